/**
 * The Explorer data sets as merge specs: for each table, the key that identifies an edge (re-observing it
 * widens `FirstSeen`/`LastSeen` and adds to `SeenCount`) and the attribute columns (latest observation wins,
 * never overwritten by an empty value). The table definitions themselves live in the catalog
 * (`src/catalog/tables/quarry-explorer.ts`).
 */
import { QuarryError } from '../core/errors.js';

export interface DatasetSpec {
  /** Short name used by the API, CLI and CSV export (`resolutions`, `hostPairs`, …). */
  readonly name: string;
  readonly table: string;
  readonly keys: readonly string[];
  readonly attrs: readonly string[];
  /** Has FirstSeen / LastSeen / SeenCount / Source / Tags. */
  readonly seen: boolean;
}

const spec = (name: string, table: string, keys: string[], attrs: string[], seen = true): DatasetSpec => ({ name, table, keys, attrs, seen });

export const datasets = {
  resolutions: spec('resolutions', 'ExplorerResolutions', ['Host', 'Resolve', 'RecordType', 'Source'], ['ResolveKind', 'Location', 'Network', 'Asn', 'AsnName']),
  hostPairs: spec('hostPairs', 'ExplorerHostPairs', ['ParentHost', 'ChildHost', 'Cause'], ['Source']),
  whois: spec('whois', 'ExplorerWhois', ['Domain', 'SnapshotId'], [
    'Registrar', 'WhoisServer', 'Created', 'Updated', 'Expires', 'DomainStatus', 'NameServers', 'Contacts',
    'RegistrantName', 'RegistrantOrganization', 'RegistrantEmail', 'Emails', 'RawText', 'Source',
  ]),
  certificates: spec('certificates', 'ExplorerCertificates', ['Fingerprint'], [
    'Sha1', 'Sha256', 'SerialNumber', 'Subject', 'SubjectCommonName', 'SubjectOrganization', 'Issuer', 'IssuerCommonName',
    'IssuerOrganization', 'AlternativeNames', 'IssuedAt', 'ExpiresAt', 'SelfSigned', 'SslVersion', 'Source',
  ]),
  hostCertificates: spec('hostCertificates', 'ExplorerHostCertificates', ['Host', 'Fingerprint', 'Port'], ['Source']),
  subdomains: spec('subdomains', 'ExplorerSubdomains', ['Domain', 'Hostname'], ['Source']),
  trackers: spec('trackers', 'ExplorerTrackers', ['Host', 'TrackerType', 'Value'], ['Source']),
  components: spec('components', 'ExplorerComponents', ['Host', 'Category', 'Name', 'Version'], ['Source']),
  cookies: spec('cookies', 'ExplorerCookies', ['Host', 'CookieName', 'CookieDomain'], ['Source']),
  dns: spec('dns', 'ExplorerDns', ['Host', 'RecordType', 'Value'], ['Source']),
  reverseDns: spec('reverseDns', 'ExplorerReverseDns', ['Address', 'RecordType', 'Value'], ['Source']),
  services: spec('services', 'ExplorerServices', ['Address', 'Port', 'Protocol'], ['Status', 'Banner', 'ScanProtocol', 'Component', 'Source']),
  crawls: spec('crawls', 'ExplorerCrawls', ['Url', 'CrawledAt'], ['Host', 'FinalUrl', 'FinalHost', 'Status', 'Title', 'Requests'], false),
  tags: spec('tags', 'ExplorerArtifactTags', ['Artifact', 'Tag'], ['ArtifactKind', 'CreatedBy', 'CreatedAt'], false),
} as const satisfies Record<string, DatasetSpec>;

export type DatasetName = keyof typeof datasets;

export const datasetNames = Object.keys(datasets) as DatasetName[];

/** Resolves a data set by its short name (case-insensitive, `-`/`_` ignored) or table name. */
export function datasetByName(name: string): DatasetSpec {
  const norm = name.toLowerCase().replace(/[-_]/g, '');
  for (const d of Object.values(datasets) as DatasetSpec[]) {
    if (d.name.toLowerCase() === norm || d.table.toLowerCase() === norm) return d;
  }
  throw new QuarryError('explorer/unknown-dataset', `'${name}' is not an Explorer data set`, {
    hints: [`data sets: ${datasetNames.join(', ')}`],
  });
}
