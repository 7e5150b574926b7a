/**
 * Reading the data sets for one artifact: per data set filters (MDTI's: direction, cause, record type,
 * source, type, name, value …), sort by first/last seen (default last seen desc), paging. Every function
 * is plain SQL over the catalog tables, so the same rows are what KQL sees.
 */
import { QuarryError } from '../core/errors.js';
import type { SqlParam, Store } from '../store/store.js';
import { quoteIdentifier as q } from '../sql/dialects/duckdb/literals.js';
import { datasetByName, type DatasetSpec } from './datasets.js';
import { cidrRange, isIpAddress, registeredDomain } from './hostnames.js';
import { ensureExplorerIndexes } from './indexes.js';
import { hostOfArtifact, type Artifact } from './search.js';

export interface PageOptions {
  readonly top?: number;
  readonly skip?: number;
  /** `firstSeen` | `lastSeen` (default lastSeen). */
  readonly sortBy?: string;
  readonly sortDir?: 'asc' | 'desc';
  /** Column → wanted value (exact, case-insensitive). `direction` for host pairs: `parent` | `child` | `both`. */
  readonly filters?: Readonly<Record<string, string>>;
}

export interface DatasetPage {
  readonly dataset: string;
  readonly total: number;
  readonly rows: Record<string, unknown>[];
}

/** IPv4 text → number in SQL (no extension functions: IP helpers are ours). */
function ipv4IntSql(col: string): string {
  return [0, 1, 2, 3].map((i) => `TRY_CAST(split_part(${col}, '.', ${i + 1}) AS BIGINT) * ${256 ** (3 - i)}`).join(' + ');
}

/**
 * The rows of a data set that belong to an artifact, as a SELECT. Lookups by host are unions of single-column
 * equalities so DuckDB can answer each from its ART index (an OR, or any other filter in the same scan, turns
 * the index scan into a full scan); extra filters are applied after (see `datasetPage`).
 */
interface Where {
  sql: string;
  params: SqlParam[];
}

function eq(table: string, col: string): string {
  return `SELECT * FROM ${q(table)} WHERE ${q(col)} = $1`;
}

/**
 * Rows matching `a = $1` or `b = $1`, each row once: a set UNION of two index lookups (rows are unique by
 * their key, so UNION only folds the row that matches both). A filter on top of the second lookup would be
 * pushed into its scan and cost the index.
 */
function either(table: string, a: string, b: string): string {
  return `${eq(table, a)} UNION ${eq(table, b)}`;
}

export function artifactWhere(spec: DatasetSpec, a: Artifact, filters: Readonly<Record<string, string>> = {}): Where | undefined {
  const host = hostOfArtifact(a);
  const v = host ?? a.value;
  const t = spec.table;
  switch (spec.name) {
    case 'resolutions':
      if (a.kind === 'cidr') {
        const r = cidrRange(a.value);
        return r ? { sql: `SELECT * FROM ${q(t)} WHERE RecordType = 'A' AND ${ipv4IntSql('Resolve')} BETWEEN ${r[0]} AND ${r[1]}`, params: [] } : undefined;
      }
      if (a.kind === 'asn') return { sql: `SELECT * FROM ${q(t)} WHERE Asn = $1`, params: [Number(a.value)] };
      if (!host) return undefined;
      // For a name: what it resolved to; for an IP: which names resolved to it (MDTI shows both directions).
      return { sql: eq(t, isIpAddress(host) ? 'Resolve' : 'Host'), params: [host] };
    case 'hostPairs': {
      if (!host) return undefined;
      const dir = (filters['direction'] ?? 'both').toLowerCase();
      if (dir === 'parent' || dir === 'parenttochild') return { sql: eq(t, 'ParentHost'), params: [host] };
      if (dir === 'child' || dir === 'childtoparent') return { sql: eq(t, 'ChildHost'), params: [host] };
      if (dir !== 'both') throw new QuarryError('core/bad-argument', `direction must be parent, child or both, got '${filters['direction']}'`);
      return { sql: either(t, 'ParentHost', 'ChildHost'), params: [host] };
    }
    case 'whois':
      if (a.kind === 'email') return { sql: `SELECT * FROM ${q(t)} WHERE lower(RegistrantEmail) = $1 OR list_contains(string_split(Emails, '|'), $1)`, params: [a.value] };
      return host ? { sql: eq(t, 'Domain'), params: [isIpAddress(host) ? host : registeredDomain(host)] } : undefined;
    case 'certificates':
      if (a.kind === 'certificate') return { sql: `SELECT * FROM ${q(t)} WHERE Fingerprint = $1 OR Sha1 = $1`, params: [a.value] };
      if (a.kind === 'hash' && a.hashType === 'sha256') return { sql: `SELECT * FROM ${q(t)} WHERE Sha256 = $1 OR Fingerprint = $1`, params: [a.value] };
      return host ? { sql: `SELECT * FROM ${q(t)} WHERE Fingerprint IN (SELECT Fingerprint FROM ExplorerHostCertificates WHERE Host = $1)`, params: [host] } : undefined;
    case 'hostCertificates':
      if (a.kind === 'certificate') return { sql: eq(t, 'Fingerprint'), params: [a.value] };
      return host ? { sql: eq(t, 'Host'), params: [host] } : undefined;
    case 'subdomains':
      return host && !isIpAddress(host) ? { sql: eq(t, 'Domain'), params: [registeredDomain(host)] } : undefined;
    case 'trackers':
      if (a.kind === 'tracker') return { sql: `SELECT * FROM ${q(t)} WHERE upper(Value) = $1`, params: [a.value] };
      return host ? { sql: eq(t, 'Host'), params: [host] } : undefined;
    case 'components':
      return host ? { sql: eq(t, 'Host'), params: [host] } : undefined;
    case 'cookies':
      if (a.kind === 'cookie') return { sql: `SELECT * FROM ${q(t)} WHERE CookieName = $1`, params: [a.value] };
      return host ? { sql: eq(t, 'Host'), params: [host] } : undefined;
    case 'dns':
      return host ? { sql: eq(t, 'Host'), params: [host] } : undefined;
    case 'reverseDns':
      // An address: its PTR names; a name: DNS records (NS, MX, CNAME …) whose value is that name.
      if (!host) return undefined;
      return isIpAddress(host)
        ? { sql: eq(t, 'Address'), params: [host] }
        : { sql: 'SELECT Host AS Address, RecordType, Value, FirstSeen, LastSeen, SeenCount, Source, Tags FROM ExplorerDns WHERE Value = $1', params: [host] };
    case 'services':
      return host ? { sql: eq(t, 'Address'), params: [host] } : undefined;
    case 'crawls':
      return host ? { sql: either(t, 'Host', 'FinalHost'), params: [host] } : undefined;
    case 'tags':
      return { sql: eq(t, 'Artifact'), params: [v] };
  }
  return undefined;
}

/** Column filters a data set accepts (besides `direction` on host pairs): query key → column. */
const filterColumns: Record<string, Record<string, string>> = {
  resolutions: { source: 'Source', recordtype: 'RecordType', asn: 'Asn', network: 'Network', tag: 'Tags' },
  hostPairs: { cause: 'Cause', parenthost: 'ParentHost', childhost: 'ChildHost', source: 'Source' },
  trackers: { type: 'TrackerType', trackertype: 'TrackerType', hostname: 'Host', value: 'Value' },
  components: { category: 'Category', type: 'Category', name: 'Name', hostname: 'Host' },
  cookies: { name: 'CookieName', domain: 'CookieDomain', hostname: 'Host' },
  dns: { recordtype: 'RecordType', type: 'RecordType', value: 'Value' },
  reverseDns: { recordtype: 'RecordType', type: 'RecordType', value: 'Value', host: 'Host' },
  services: { port: 'Port', protocol: 'Protocol', status: 'Status' },
  subdomains: { source: 'Source' },
  whois: { registrar: 'Registrar' },
  certificates: { issuer: 'IssuerCommonName' },
};

function extraFilters(spec: DatasetSpec, filters: Readonly<Record<string, string>>, params: SqlParam[]): string[] {
  const out: string[] = [];
  const cols = filterColumns[spec.name] ?? {};
  for (const [k, v] of Object.entries(filters)) {
    const key = k.toLowerCase();
    if (key === 'direction' || v === '') continue;
    const col = cols[key];
    if (!col) {
      throw new QuarryError('core/bad-argument', `data set '${spec.name}' has no filter '${k}'`, {
        hints: [`filters: ${[...Object.keys(cols), ...(spec.name === 'hostPairs' ? ['direction'] : [])].join(', ') || 'none'}`],
      });
    }
    params.push(v);
    if (col === 'Tags') out.push(`list_contains(string_split(Tags, '|'), $${params.length})`);
    else if (col === 'Asn' || col === 'Port') out.push(`CAST(${q(col)} AS VARCHAR) = $${params.length}`);
    else out.push(`lower(${q(col)}) = lower($${params.length})`);
  }
  return out;
}

function orderBy(spec: DatasetSpec, opts: PageOptions): string {
  const dir = opts.sortDir === 'asc' ? 'ASC' : 'DESC';
  if (!spec.seen) return spec.name === 'crawls' ? `CrawledAt ${dir}` : `${q(spec.keys[0]!)} ${dir}`;
  const by = (opts.sortBy ?? 'lastSeen').toLowerCase();
  if (by !== 'lastseen' && by !== 'firstseen') throw new QuarryError('core/bad-argument', `sort by '${opts.sortBy}': use firstSeen or lastSeen`);
  const col = by === 'firstseen' ? 'FirstSeen' : 'LastSeen';
  return `${col} ${dir} NULLS LAST, ${spec.keys.map(q).join(', ')}`;
}

export const MAX_PAGE = 1000;

export async function datasetPage(store: Store, dataset: string, a: Artifact, opts: PageOptions = {}): Promise<DatasetPage> {
  const spec = datasetByName(dataset);
  await ensureExplorerIndexes(store);
  const filters = opts.filters ?? {};
  const w = artifactWhere(spec, a, filters);
  if (!w) return { dataset: spec.name, total: 0, rows: [] };
  const params = [...w.params];
  const extra = extraFilters(spec, filters, params);
  const where = extra.length ? `WHERE ${extra.join(' AND ')}` : '';
  const top = Math.min(Math.max(opts.top ?? 25, 0), MAX_PAGE);
  const skip = Math.max(opts.skip ?? 0, 0);
  // MATERIALIZED keeps the index lookups apart from ORDER BY … LIMIT: DuckDB pushes a Top-N filter into the
  // scan otherwise, and a scan with a second filter no longer uses the ART index.
  const m = `WITH m AS MATERIALIZED (${w.sql})`;
  const data = await store.query(`${m} SELECT *, count(*) OVER () AS __total FROM m ${where} ORDER BY ${orderBy(spec, opts)} LIMIT ${top} OFFSET ${skip}`, { params, inlineParams: true });
  const totalAt = data.columns.findIndex((c) => c.name === '__total');
  let total = Number(data.rows[0]?.[totalAt] ?? 0);
  if (data.rows.length === 0 && (skip > 0 || top === 0)) {
    const c = await store.query(`${m} SELECT count(*) FROM m ${where}`, { params, inlineParams: true });
    total = Number(c.rows[0]?.[0] ?? 0);
  }
  const rows = data.rows.map((r) => Object.fromEntries(data.columns.filter((c) => c.name !== '__total').map((c) => [c.name, r[data.columns.indexOf(c)]])));
  return { dataset: spec.name, total, rows };
}
