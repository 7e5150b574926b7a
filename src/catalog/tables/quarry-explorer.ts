/**
 * Intel Explorer data sets as KQL tables (origin `quarry`, category `explorer`): hunters query them directly,
 * e.g. `ExplorerHostPairs | where ParentHost == "dancevida.com"`. Names carry an `Explorer` prefix so they never
 * collide with Defender/Sentinel tables (`DnsEvents`) or read as generic words (`Services`, `Components`).
 *
 * Every edge keeps `FirstSeen`, `LastSeen` and `SeenCount` (observations merged); `Source` names the
 * collector (`zeek-dns`, `crawler`, `whois`, `cof`, …) and `Tags` holds `|`-joined tags (MDTI's CSV form).
 * The tables are timeless (no `timeColumn`): Internet data spans years and must not be cut by a hunting
 * timespan. Field meanings follow MDTI's data sets (shared/reference/mdti.md §1.1) and Graph shapes (§2.1).
 */
import { columns, entities } from '../column-spec.js';
import type { TableDef } from '../types.js';

const seen = 'FirstSeen:datetime LastSeen:datetime SeenCount:long Source Tags';

/** MDTI's description of the data sets these tables mirror. */
const MDTI_DATA_SETS = 'https://learn.microsoft.com/en-us/defender/threat-intelligence/data-sets';

function explorer(name: string, description: string, spec: string, ents: TableDef['entityColumns'] = []): TableDef {
  return { name, origin: 'quarry', category: 'explorer', description, source: MDTI_DATA_SETS, columns: columns(spec), entityColumns: ents };
}

export const explorerTables: readonly TableDef[] = [
  explorer(
    'ExplorerResolutions',
    'Passive DNS: what a host resolved to (A/AAAA addresses, CNAME targets), with IP location, netblock and ASN when known.',
    `Host Resolve RecordType ResolveKind Location Network Asn:long AsnName ${seen}`,
    [...entities('host', 'Host'), ...entities('domain', 'Host')],
  ),
  explorer(
    'ExplorerHostPairs',
    'Host pairs seen by the crawler: the parent host references or reaches out to the child host, with the cause.',
    `ParentHost ChildHost Cause ${seen}`,
    [...entities('host', 'ParentHost', 'ChildHost')],
  ),
  explorer(
    'ExplorerWhois',
    'WHOIS snapshots per domain or address (current = latest LastSeen; older snapshots are the history), parsed fields, contacts by role and the raw text.',
    `Domain SnapshotId Registrar WhoisServer Created:datetime Updated:datetime Expires:datetime DomainStatus
     NameServers:dynamic Contacts:dynamic RegistrantName RegistrantOrganization RegistrantEmail Emails RawText ${seen}`,
    [...entities('domain', 'Domain'), ...entities('email', 'RegistrantEmail')],
  ),
  explorer(
    'ExplorerCertificates',
    'TLS certificates: fingerprints, subject and issuer, validity, alternative names; SelfSigned when subject equals issuer.',
    `Fingerprint Sha1 Sha256 SerialNumber Subject SubjectCommonName SubjectOrganization Issuer IssuerCommonName
     IssuerOrganization AlternativeNames:dynamic IssuedAt:datetime ExpiresAt:datetime SelfSigned:bool SslVersion ${seen}`,
    [...entities('sha1', 'Sha1'), ...entities('sha256', 'Sha256')],
  ),
  explorer(
    'ExplorerHostCertificates',
    'Which host (name or IP) presented which certificate on which port.',
    `Host Fingerprint Port:int ${seen}`,
    [...entities('host', 'Host')],
  ),
  explorer('ExplorerSubdomains', 'Hostnames observed under a registered domain.', `Domain Hostname ${seen}`, [
    ...entities('domain', 'Domain'),
    ...entities('host', 'Hostname'),
  ]),
  explorer(
    'ExplorerTrackers',
    'Tracking codes and fingerprints found on hosts (GoogleAnalyticsID, GoogleTagManagerID, JarmHash, …).',
    `Host TrackerType Value ${seen}`,
    [...entities('host', 'Host')],
  ),
  explorer('ExplorerComponents', 'Web components observed on hosts (server, framework, CMS, …) with version.', `Host Category Name Version ${seen}`, [
    ...entities('host', 'Host'),
  ]),
  explorer('ExplorerCookies', 'Cookies hosts set (name and cookie domain).', `Host CookieName CookieDomain ${seen}`, [...entities('host', 'Host')]),
  explorer('ExplorerDns', 'DNS records other than A/AAAA: MX, TXT, NS, CNAME, SOA (and PTR).', `Host RecordType Value ${seen}`, [
    ...entities('host', 'Host'),
  ]),
  explorer('ExplorerReverseDns', 'Reverse DNS (PTR): the names an address points back to.', `Address RecordType Value ${seen}`, [
    ...entities('ip', 'Address'),
  ]),
  explorer(
    'ExplorerServices',
    'Open ports and their services: protocol, status (open, filtered, closed), last banner.',
    `Address Port:int Protocol Status Banner ScanProtocol Component ${seen}`,
    [...entities('host', 'Address')],
  ),
  explorer(
    'ExplorerCrawls',
    'Pages the crawler loaded: requested and final URL, HTTP status and DOM title.',
    'Url Host FinalUrl FinalHost Status:int Title CrawledAt:datetime Requests:long',
    [...entities('url', 'Url', 'FinalUrl'), ...entities('host', 'Host', 'FinalHost')],
  ),
  explorer(
    'ExplorerArtifactTags',
    'Analyst tags on artifacts (a `malicious` tag feeds the reputation rule "Tagged as malicious").',
    'Artifact ArtifactKind Tag CreatedBy CreatedAt:datetime',
  ),
];
