/**
 * Explorer rows in Microsoft Graph `microsoft.graph.security` shapes (shared/reference/mdti.md §2.1): host,
 * passiveDnsRecord, hostPair, hostComponent, hostCookie, hostTracker, hostSslCertificate, sslCertificate,
 * hostPort, subdomain, whoisRecord, hostReputation. Ids are base64 of `$$`-joined composite keys, as in
 * Graph's examples, so an id is stable and can be decoded back to the row's key.
 */
import { QuarryError } from '../core/errors.js';
import type { Store } from '../store/store.js';
import { quoteIdentifier as q } from '../sql/dialects/duckdb/literals.js';
import { datasetByName } from './datasets.js';
import { isIpAddress, registeredDomain } from './hostnames.js';
import { hostReputation } from './reputation.js';

type Row = Record<string, unknown>;
export type GraphObject = Record<string, unknown>;

const NS = '#microsoft.graph.security.';
export const graphId = (...parts: unknown[]) => Buffer.from(parts.map((p) => String(p ?? '')).join('$$')).toString('base64');
export const decodeGraphId = (id: string) => Buffer.from(id, 'base64').toString('utf8').split('$$');
const dt = (v: unknown) => (typeof v === 'bigint' ? new Date(Number(v / 1000n)).toISOString().replace('.000Z', 'Z') : null);
const hostRef = (h: unknown) => ({ '@odata.type': NS + (isIpAddress(String(h)) ? 'ipAddress' : 'hostname'), id: String(h) });
const seen = (r: Row) => ({ firstSeenDateTime: dt(r['FirstSeen']), lastSeenDateTime: dt(r['LastSeen']) });

export const toGraph = {
  passiveDns: (r: Row): GraphObject => ({
    '@odata.type': NS + 'passiveDnsRecord', id: graphId(r['Host'], r['Resolve'], 'false'), ...seen(r), collectedDateTime: dt(r['LastSeen']),
    recordType: r['RecordType'], parentHost: hostRef(r['Host']), artifact: hostRef(r['Resolve']),
  }),
  hostPair: (r: Row): GraphObject => ({
    id: graphId(r['Cause'], r['ParentHost'], r['ChildHost'], r['ChildHost']), ...seen(r), linkKind: r['Cause'],
    parentHost: hostRef(r['ParentHost']), childHost: hostRef(r['ChildHost']),
  }),
  component: (r: Row): GraphObject => ({
    id: graphId(r['Host'], r['Category'], r['Name'], r['Version']), ...seen(r), category: r['Category'], name: r['Name'], version: r['Version'] || null, host: hostRef(r['Host']),
  }),
  cookie: (r: Row): GraphObject => ({ id: graphId(r['Host'], r['CookieName'], r['CookieDomain']), ...seen(r), name: r['CookieName'], domain: r['CookieDomain'], host: hostRef(r['Host']) }),
  tracker: (r: Row): GraphObject => ({ id: graphId(r['Host'], r['TrackerType'], r['Value']), ...seen(r), kind: r['TrackerType'], value: r['Value'], host: hostRef(r['Host']) }),
  subdomain: (r: Row): GraphObject => ({ id: graphId(r['Hostname']), firstSeenDateTime: dt(r['FirstSeen']), host: hostRef(r['Hostname']) }),
  sslCertificate: (r: Row): GraphObject => ({
    id: graphId(r['Fingerprint']), sha1: r['Sha1'] || null, fingerprint: r['Sha256'] || r['Fingerprint'], serialNumber: r['SerialNumber'],
    issueDateTime: dt(r['IssuedAt']), expirationDateTime: dt(r['ExpiresAt']), ...seen(r),
    subject: { commonName: r['SubjectCommonName'], organizationName: r['SubjectOrganization'], alternateNames: parseList(r['AlternativeNames']) },
    issuer: { commonName: r['IssuerCommonName'], organizationName: r['IssuerOrganization'] },
  }),
  port: (r: Row): GraphObject => ({
    id: graphId(r['Address'], r['Port'], r['Protocol']), port: r['Port'], protocol: r['Protocol'], status: r['Status'], ...seen(r),
    lastScanDateTime: dt(r['LastSeen']), timesObserved: Number(r['SeenCount'] ?? 0),
    banners: r['Banner'] ? [{ banner: r['Banner'], scanProtocol: r['ScanProtocol'], ...seen(r), timesObserved: Number(r['SeenCount'] ?? 0) }] : [],
    services: r['Component'] ? [{ ...seen(r), isRecent: true, component: { name: r['Component'] } }] : [], host: hostRef(r['Address']),
  }),
  whois: (r: Row): GraphObject => {
    const contacts = parseObj(r['Contacts']);
    const contact = (role: string) => {
      const c = contacts[role] as Record<string, unknown> | undefined;
      if (!c) return null;
      return {
        name: c['name'] ?? null, organization: c['organization'] ?? null, email: c['email'] ?? null, telephone: c['phone'] ?? null, fax: c['fax'] ?? null,
        address: { street: c['street'] ?? null, city: c['city'] ?? null, state: c['state'] ?? null, postalCode: c['postalCode'] ?? null, countryOrRegion: c['country'] ?? null },
      };
    };
    return {
      id: graphId(r['Domain'], r['SnapshotId']), ...seen(r), whoisServer: r['WhoisServer'], domainStatus: r['DomainStatus'],
      registrationDateTime: dt(r['Created']), lastUpdateDateTime: dt(r['Updated']), expirationDateTime: dt(r['Expires']), rawWhoisText: r['RawText'],
      registrar: r['Registrar'] ? { name: r['Registrar'] } : null, registrant: contact('registrant'), admin: contact('admin'), technical: contact('technical'),
      billing: contact('billing'), abuse: contact('abuse'), noc: contact('noc'), zone: contact('zone'),
      nameservers: parseList(r['NameServers']).map((h) => ({ host: hostRef(h), ...seen(r) })), host: hostRef(r['Domain']),
    };
  },
};

function parseList(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'string' && v.startsWith('[')) return (JSON.parse(v) as unknown[]).map(String);
  return [];
}
function parseObj(v: unknown): Record<string, unknown> {
  if (v && typeof v === 'object') return v as Record<string, unknown>;
  if (typeof v === 'string' && v.startsWith('{')) return JSON.parse(v) as Record<string, unknown>;
  return {};
}

const CAP = 50_000;

async function select(store: Store, dataset: string, where: string, params: (string | number)[]): Promise<Row[]> {
  const spec = datasetByName(dataset);
  // MATERIALIZED keeps LIMIT/ORDER BY from adding filters to the index lookup's scan.
  const r = await store.query(`WITH m AS MATERIALIZED (SELECT * FROM ${q(spec.table)} WHERE ${where}) SELECT * FROM m LIMIT ${CAP}`, { params });
  return r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c.name, row[i]])));
}

/** Navigation properties of `host` in Graph (`/hosts/{id}/<nav>`) → objects. */
export const hostNavigations: Record<string, (store: Store, host: string) => Promise<GraphObject[]>> = {
  passiveDns: async (s, h) => (await select(s, 'resolutions', 'Host = $1', [h])).map(toGraph.passiveDns),
  passiveDnsReverse: async (s, h) => (await select(s, 'resolutions', 'Resolve = $1', [h])).map(toGraph.passiveDns),
  hostPairs: async (s, h) => [
    ...(await select(s, 'hostPairs', 'ParentHost = $1', [h])),
    ...(await select(s, 'hostPairs', 'ChildHost = $1', [h])).filter((r) => r['ParentHost'] !== h),
  ].map(toGraph.hostPair),
  parentHostPairs: async (s, h) => (await select(s, 'hostPairs', 'ChildHost = $1', [h])).map(toGraph.hostPair),
  childHostPairs: async (s, h) => (await select(s, 'hostPairs', 'ParentHost = $1', [h])).map(toGraph.hostPair),
  components: async (s, h) => (await select(s, 'components', 'Host = $1', [h])).map(toGraph.component),
  cookies: async (s, h) => (await select(s, 'cookies', 'Host = $1', [h])).map(toGraph.cookie),
  trackers: async (s, h) => (await select(s, 'trackers', 'Host = $1', [h])).map(toGraph.tracker),
  ports: async (s, h) => (await select(s, 'services', 'Address = $1', [h])).map(toGraph.port),
  subdomains: async (s, h) => (isIpAddress(h) ? [] : (await select(s, 'subdomains', 'Domain = $1', [registeredDomain(h)])).map(toGraph.subdomain)),
  sslCertificates: async (s, h) => {
    const links = await select(s, 'hostCertificates', 'Host = $1', [h]);
    const byCert = new Map<string, Row[]>();
    for (const l of links) byCert.set(String(l['Fingerprint']), [...(byCert.get(String(l['Fingerprint'])) ?? []), l]);
    const out: GraphObject[] = [];
    for (const [fp, ls] of byCert) {
      const cert = (await select(s, 'certificates', 'Fingerprint = $1', [fp]))[0];
      const first = ls.reduce((m, l) => ((l['FirstSeen'] as bigint) < m ? (l['FirstSeen'] as bigint) : m), ls[0]!['FirstSeen'] as bigint);
      const last = ls.reduce((m, l) => ((l['LastSeen'] as bigint) > m ? (l['LastSeen'] as bigint) : m), ls[0]!['LastSeen'] as bigint);
      out.push({
        id: graphId(h, fp), firstSeenDateTime: dt(first), lastSeenDateTime: dt(last),
        ports: ls.map((l) => ({ port: l['Port'], ...seen(l) })), host: hostRef(h), sslCertificate: cert ? toGraph.sslCertificate(cert) : { id: graphId(fp) },
      });
    }
    return out;
  },
};

export const navigationNames = [...Object.keys(hostNavigations), 'whois', 'reputation'];

/** The `host` entity: hostname or ipAddress with first/last seen over all data sets. */
export async function graphHost(store: Store, host: string): Promise<GraphObject> {
  const h = host.toLowerCase();
  const r = await store.query(
    `SELECT min(f), max(l) FROM (
       SELECT min(FirstSeen) f, max(LastSeen) l FROM ExplorerResolutions WHERE Host = $1 OR Resolve = $1
       UNION ALL SELECT min(FirstSeen), max(LastSeen) FROM ExplorerHostPairs WHERE ParentHost = $1 OR ChildHost = $1
       UNION ALL SELECT min(FirstSeen), max(LastSeen) FROM ExplorerHostCertificates WHERE Host = $1
       UNION ALL SELECT min(FirstSeen), max(LastSeen) FROM ExplorerServices WHERE Address = $1)`,
    { params: [h] },
  );
  const [f, l] = r.rows[0] ?? [];
  if (f === null || f === undefined) throw new QuarryError('core/not-found', `no Explorer data about host '${host}'`);
  const base = { id: h, firstSeenDateTime: dt(f), lastSeenDateTime: dt(l) };
  if (isIpAddress(h)) {
    const n = await store.query('SELECT Network, Asn, AsnName, Location FROM ExplorerResolutions WHERE Resolve = $1 AND Asn IS NOT NULL LIMIT 1', { params: [h] });
    const [network, asn, asnName, loc] = n.rows[0] ?? [];
    return {
      '@odata.type': NS + 'ipAddress', ...base, netblock: network ?? null, countryOrRegion: loc ?? null, hostingProvider: asnName ?? null,
      autonomousSystem: asn !== undefined && asn !== null ? { number: Number(asn), name: asnName ?? null, organization: asnName ?? null, value: `AS${String(asn)}` } : null,
    };
  }
  const w = await store.query('SELECT Registrar, RegistrantOrganization, RegistrantName FROM ExplorerWhois WHERE Domain = $1 ORDER BY LastSeen DESC LIMIT 1', { params: [registeredDomain(h)] });
  const [registrar, org, name] = w.rows[0] ?? [];
  return { '@odata.type': NS + 'hostname', ...base, registrar: registrar ?? null, registrant: org ?? name ?? null };
}

export async function graphWhois(store: Store, host: string): Promise<GraphObject> {
  const rows = (await select(store, 'whois', 'Domain = $1', [isIpAddress(host) ? host : registeredDomain(host)])).sort((a, b) =>
    (b['LastSeen'] as bigint) > (a['LastSeen'] as bigint) ? 1 : -1,
  );
  if (rows.length === 0) throw new QuarryError('core/not-found', `no WHOIS record for '${host}'`);
  return { ...toGraph.whois(rows[0]!), history: rows.slice(1).map(toGraph.whois) };
}

export async function graphReputation(store: Store, host: string): Promise<GraphObject> {
  const r = await hostReputation(store, host);
  return {
    id: graphId(host), classification: r.classification, score: r.score,
    rules: r.rules.map((x) => ({ name: x.name, description: x.description, severity: x.severity, relatedDetailsUrl: x.relatedDetailsUrl ?? null })),
  };
}
