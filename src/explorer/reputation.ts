/**
 * Reputation 0–100 for a host, domain or IP, with MDTI's brackets (Malicious ≥ 75, Suspicious 50–74,
 * Neutral 25–49, Unknown < 25) and the Graph `hostReputation` shape. Each rule that fires adds its weight
 * (the sum is capped at 100) and is listed with its severity and reason. The rule table is documented in
 * docs/explorer.md; weights are chosen so that one confirmed tie to blocklisted infrastructure (an active
 * indicator, an analyst's "malicious" tag) alone reaches Malicious, and weak signals only add up.
 */
import type { Store } from '../store/store.js';
import { isIpAddress, registeredDomain, tldOf } from './hostnames.js';

export type Severity = 'high' | 'medium' | 'low';

export interface ReputationRule {
  readonly name: string;
  readonly description: string;
  readonly severity: Severity;
  readonly weight: number;
  readonly relatedDetailsUrl?: string;
}

export interface HostReputation {
  readonly classification: 'unknown' | 'neutral' | 'suspicious' | 'malicious';
  readonly score: number;
  readonly rules: readonly ReputationRule[];
}

export const suspiciousTlds = new Set(['xyz', 'top', 'cc', 'tk', 'ml', 'ga', 'cf', 'gq', 'buzz', 'work', 'click', 'zip', 'mov', 'country', 'stream', 'download', 'rest', 'fit', 'loan', 'icu', 'cyou', 'monster']);

export const dynamicDnsDomains = new Set([
  'no-ip.com', 'no-ip.org', 'no-ip.biz', 'no-ip.info', 'ddns.net', 'hopto.org', 'zapto.org', 'sytes.net', 'serveftp.com', 'myftp.org',
  'myftp.biz', 'servebeer.com', 'changeip.com', 'changeip.net', 'dynamic-dns.net', 'duckdns.org', 'dyndns.org', 'dyndns.info',
  'afraid.org', 'mooo.com', 'dynu.net', 'dynu.com', 'freeddns.org', '3utilities.com', 'bounceme.net', 'redirectme.net', 'ydns.eu',
]);

export function classify(score: number): HostReputation['classification'] {
  return score >= 75 ? 'malicious' : score >= 50 ? 'suspicious' : score >= 25 ? 'neutral' : 'unknown';
}

async function scalar(store: Store, sql: string, params: (string | number)[]): Promise<unknown> {
  try {
    const r = await store.query(sql, { params, inlineParams: true });
    return r.rows[0]?.[0];
  } catch {
    return undefined; // a table another feature owns may not exist in this store: the rule simply does not fire
  }
}

const legacySql = (ph: string, nowLit: string) => `SELECT coalesce(Description, ThreatType, IndicatorId) FROM ThreatIntelligenceIndicator
     WHERE Active AND (ExpirationDateTime IS NULL OR ExpirationDateTime > ${nowLit})
       AND (lower(DomainName) IN (${ph}) OR NetworkIP IN (${ph}) OR NetworkDestinationIP IN (${ph}) OR NetworkSourceIP IN (${ph}))
       AND coalesce(Description, '') NOT ILIKE '%State: inactive;%' AND coalesce(Description, '') NOT ILIKE '%State: falsepos;%'
     LIMIT 1`;
const stixSql = (ph: string, nowLit: string) => `SELECT coalesce(CAST(Data->>'name' AS VARCHAR), Id) FROM ThreatIntelIndicators
     WHERE IsActive AND NOT coalesce(Revoked, false) AND (ValidUntil IS NULL OR ValidUntil > ${nowLit}) AND lower(ObservableValue) IN (${ph}) LIMIT 1`;
const tagsSql = (ph: string) => `SELECT count(*) FROM ExplorerArtifactTags WHERE lower(Tag) = 'malicious' AND lower(Artifact) IN (${ph})`;
const mentionSql = (p: string) =>
  `SELECT coalesce(CAST(Data->>'name' AS VARCHAR), StixType) FROM ThreatIntelObjects WHERE StixType IN ('report', 'threat-actor', 'intrusion-set', 'malware', 'campaign') AND CAST(Data AS VARCHAR) ILIKE ${p} LIMIT 1`;
const placeholders = (values: readonly unknown[]) => values.map((_, i) => `$${i + 1}`).join(', ');
const timestampLiteral = (now: Date) => `TIMESTAMP '${now.toISOString().replace('T', ' ').replace('Z', '')}'`;

/** Indicator values (legacy and STIX tables) that are active now and name this host, its domain or IP. */
async function activeIndicator(store: Store, values: string[], now: Date): Promise<string | undefined> {
  const ph = placeholders(values);
  // Both tables at once (independent probes); the legacy table's answer wins when both match.
  const [legacy, stix] = await Promise.all([scalar(store, legacySql(ph, timestampLiteral(now)), values), scalar(store, stixSql(ph, timestampLiteral(now)), values)]);
  if (legacy !== undefined && legacy !== null) return String(legacy);
  return stix !== undefined && stix !== null ? String(stix) : undefined;
}

async function taggedMalicious(store: Store, values: string[]): Promise<boolean> {
  const n = await scalar(store, tagsSql(placeholders(values)), values);
  return Number(n ?? 0) > 0;
}

interface Probes {
  readonly hit: string | undefined;
  readonly tagged: boolean;
  readonly mention: unknown;
}

/**
 * The indicator and tag probes (and the intel-mention probe when `mentionOf` is given) for `values`, as one
 * statement of scalar subqueries: one plan and one round trip instead of four. When it fails — a table
 * another feature owns is missing from this store — each probe runs on its own, and only the missing one
 * comes back empty.
 */
async function probes(store: Store, values: string[], now: Date, mentionOf?: string): Promise<Probes> {
  const ph = placeholders(values);
  const items = [legacySql(ph, timestampLiteral(now)), stixSql(ph, timestampLiteral(now)), tagsSql(ph)];
  const params: string[] = [...values];
  if (mentionOf !== undefined) {
    params.push(`%${mentionOf}%`);
    items.push(mentionSql(`$${params.length}`));
  }
  try {
    const r = await store.query(`SELECT ${items.map((q) => `(${q})`).join(', ')}`, { params, inlineParams: true });
    const [legacy, stix, tags, mention] = r.rows[0] ?? [];
    const hit = legacy !== undefined && legacy !== null ? legacy : stix;
    return { hit: hit !== undefined && hit !== null ? String(hit) : undefined, tagged: Number(tags ?? 0) > 0, mention };
  } catch {
    const [hit, tagged, mention] = await Promise.all([
      activeIndicator(store, values, now),
      taggedMalicious(store, values),
      mentionOf !== undefined ? scalar(store, mentionSql('$1'), [`%${mentionOf}%`]) : undefined,
    ]);
    return { hit, tagged, mention };
  }
}

/** The first of `values` that is malicious by an active indicator or a `malicious` tag (one query per source). */
async function firstBad(store: Store, values: readonly string[], now: Date): Promise<string | undefined> {
  const expanded = [...new Set(values.flatMap((v) => (isIpAddress(v) ? [v] : [v, registeredDomain(v)])))];
  if (expanded.length === 0) return undefined;
  const p = await probes(store, expanded, now);
  if (p.hit === undefined && !p.tagged) return undefined;
  // Rare path: say which one.
  for (const v of values) {
    const vs = isIpAddress(v) ? [v] : [...new Set([v, registeredDomain(v)])];
    if ((await activeIndicator(store, vs, now)) !== undefined || (await taggedMalicious(store, vs))) return v;
  }
  return undefined;
}

async function column(store: Store, sql: string, params: string[]): Promise<string[]> {
  const r = await store.query(sql, { params, inlineParams: true });
  return r.rows.map((row) => String(row[0]));
}

/**
 * Hosts that share infrastructure with `h`: for an IP the names on it; for a name its addresses, the other
 * names on those addresses and its host-pair neighbours. Each step is a single-column equality so DuckDB
 * answers it from the ART index (a self-join would scan the whole table).
 */
async function infrastructureNeighbours(store: Store, h: string, ip: boolean, known: NeighbourRows = {}): Promise<string[]> {
  if (ip) {
    if (known.resolutions) return [...new Set(known.resolutions.map((r) => String(r['Host'])))].slice(0, 200);
    return column(store, 'SELECT DISTINCT Host FROM ExplorerResolutions WHERE Resolve = $1 LIMIT 200', [h]);
  }
  // MATERIALIZED: a RecordType filter pushed into the same scan would turn the index lookup into a full scan.
  const addrs = known.resolutions
    ? [...new Set(known.resolutions.filter((r) => r['RecordType'] === 'A' || r['RecordType'] === 'AAAA').map((r) => String(r['Resolve'])))].slice(0, 20)
    : await column(
        store,
        "WITH m AS MATERIALIZED (SELECT Resolve, RecordType FROM ExplorerResolutions WHERE Host = $1) SELECT DISTINCT Resolve FROM m WHERE RecordType IN ('A', 'AAAA') LIMIT 20",
        [h],
      );
  const out = new Set<string>(addrs);
  const pairs = known.hostPairs?.flatMap((r) => [...(r['ParentHost'] === h ? [String(r['ChildHost'])] : []), ...(r['ChildHost'] === h ? [String(r['ParentHost'])] : [])]);
  // One statement: a UNION ALL of lookups, each answered from an ART index (DuckDB 1.5 also answers a short
  // IN list of constants from the index: one index scan for all addresses instead of one branch each).
  // Every placeholder must be used (DuckDB rejects unused parameters), so `$1` is only bound with the pair branches.
  const at = pairs ? 1 : 2;
  const branches = [
    ...(addrs.length > 0 ? [`SELECT Host AS n FROM ExplorerResolutions WHERE Resolve IN (${addrs.map((_, i) => `$${i + at}`).join(', ')})`] : []),
    ...(pairs ? [] : ['SELECT ChildHost AS n FROM ExplorerHostPairs WHERE ParentHost = $1', 'SELECT ParentHost AS n FROM ExplorerHostPairs WHERE ChildHost = $1']),
  ];
  if (branches.length > 0) {
    for (const n of await column(store, `SELECT DISTINCT n FROM (${branches.join(' UNION ALL ')}) LIMIT 200`, pairs ? addrs : [h, ...addrs])) out.add(n);
  }
  for (const n of pairs ?? []) out.add(n);
  return [...out].slice(0, 200);
}

/** All rows of the data sets that link the host to others, when the caller already holds them. */
export interface NeighbourRows {
  /** Every resolution row of the host (by `Host`, or by `Resolve` for an IP). */
  readonly resolutions?: readonly Record<string, unknown>[];
  /** Every host-pair row with the host as parent or child. */
  readonly hostPairs?: readonly Record<string, unknown>[];
}

/**
 * Inputs of the rules that a caller may already hold (the artifact summary has read the data sets): each one
 * given spares its query. Values are as the store returns them.
 */
export interface ReputationKnown {
  /** max(Created) of the registered domain's WHOIS records (null: none). */
  readonly created?: unknown;
  /** Number of web components of the host. */
  readonly components?: unknown;
  /** Number of the host's certificates that are self-signed. */
  readonly selfSigned?: unknown;
}

/** The rule inputs that come from the Explorer data sets: from `known` where given, queried otherwise. */
async function datasetInputs(store: Store, h: string, ip: boolean, known: ReputationKnown) {
  const has = (k: keyof ReputationKnown) => k in known;
  return Promise.all([
    ip ? undefined : has('created') ? known.created : scalar(store, 'SELECT max(Created) FROM ExplorerWhois WHERE Domain = $1', [registeredDomain(h)]),
    has('selfSigned')
      ? known.selfSigned
      : scalar(store, 'WITH hc AS MATERIALIZED (SELECT Fingerprint FROM ExplorerHostCertificates WHERE Host = $1) SELECT count(*) FROM hc JOIN ExplorerCertificates c USING (Fingerprint) WHERE c.SelfSigned', [h]),
    has('components') ? known.components : scalar(store, 'SELECT count(*) FROM ExplorerComponents WHERE Host = $1', [h]),
  ]);
}

export interface ReputationOptions {
  readonly now?: Date;
  /** Data-set inputs the caller already read (or will have read: a promise). */
  readonly known?: ReputationKnown | Promise<ReputationKnown>;
  /** The host's resolution and host-pair rows, when the caller holds all of them (or a promise of them). */
  readonly related?: NeighbourRows | Promise<NeighbourRows>;
}

/**
 * The probes of the indicator, tag and intel tables start at once; the data-set inputs wait for `known` /
 * `related` (when given) and query only what those lack — so a caller reading the data sets anyway (the
 * artifact summary) overlaps the probes with its own reads and spares the repeated lookups.
 */
export async function hostReputation(store: Store, host: string, opts: ReputationOptions = {}): Promise<HostReputation> {
  const now = opts.now ?? new Date();
  const h = host.toLowerCase();
  const ip = isIpAddress(h);
  const values = ip ? [h] : [...new Set([h, registeredDomain(h)])];
  const rules: ReputationRule[] = [];
  const [{ hit, tagged, mention }, neighbours, [created, selfSigned, components]] = await Promise.all([
    probes(store, values, now, h),
    Promise.resolve(opts.related ?? {}).then((r) => infrastructureNeighbours(store, h, ip, r)).catch(() => [] as string[]),
    Promise.resolve(opts.known ?? {}).then((k) => datasetInputs(store, h, ip, k)),
  ]);
  if (hit !== undefined) rules.push({ name: 'Active indicator', description: `Matches an active threat-intelligence indicator: ${hit}`, severity: 'high', weight: 75 });
  if (tagged) rules.push({ name: 'Tagged as malicious', description: 'An analyst tagged this artifact as malicious', severity: 'high', weight: 75 });
  if (mention) rules.push({ name: 'Intel article or profile', description: `Mentioned in "${String(mention)}"`, severity: 'high', weight: 40 });
  if (!ip) {
    if (typeof created === 'bigint') {
      const ageDays = (now.getTime() - Number(created / 1000n)) / 86_400_000;
      if (ageDays >= 0 && ageDays < 30) rules.push({ name: 'Young domain', description: `Registered ${Math.floor(ageDays)} days ago`, severity: 'medium', weight: 20 });
      else if (ageDays >= 0 && ageDays < 90) rules.push({ name: 'Young domain', description: `Registered ${Math.floor(ageDays)} days ago`, severity: 'low', weight: 10 });
    }
    const tld = tldOf(h);
    if (suspiciousTlds.has(tld)) rules.push({ name: 'Suspicious TLD', description: `.${tld} is frequently abused`, severity: 'low', weight: 15 });
    if (dynamicDnsDomains.has(registeredDomain(h))) rules.push({ name: 'Dynamic DNS', description: `${registeredDomain(h)} is a dynamic-DNS provider`, severity: 'medium', weight: 25 });
  }
  if (Number(selfSigned ?? 0) > 0) rules.push({ name: 'TLS certificate self-signed', description: 'The host presented a self-signed certificate', severity: 'medium', weight: 15 });
  // Shared infrastructure: names on the same addresses (or the addresses of this name), and host-pair neighbours.
  // Sorted: the neighbour lookups return rows in no particular order, and the rule names the first bad one.
  const others = neighbours.filter((n) => n !== h && (ip || isIpAddress(n) || registeredDomain(n) !== registeredDomain(h))).sort();
  const bad = await firstBad(store, others, now);
  if (bad) rules.push({ name: 'Shares infrastructure with a malicious host', description: `Connected to ${bad}, which is malicious`, severity: 'high', weight: 40 });
  if (Number(components ?? 0) > 0) rules.push({ name: 'Web components observed', description: `${String(components)} web components observed`, severity: 'low', weight: 5 });
  const score = Math.min(100, rules.reduce((s, r) => s + r.weight, 0));
  return { classification: classify(score), score, rules };
}
