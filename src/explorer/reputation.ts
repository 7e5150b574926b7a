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
    const r = await store.query(sql, { params });
    return r.rows[0]?.[0];
  } catch {
    return undefined; // a table another feature owns may not exist in this store: the rule simply does not fire
  }
}

/** Indicator values (legacy and STIX tables) that are active now and name this host, its domain or IP. */
async function activeIndicator(store: Store, values: string[], now: Date): Promise<string | undefined> {
  const ph = values.map((_, i) => `$${i + 1}`).join(', ');
  const nowLit = `TIMESTAMP '${now.toISOString().replace('T', ' ').replace('Z', '')}'`;
  const legacy = await scalar(
    store,
    `SELECT coalesce(Description, ThreatType, IndicatorId) FROM ThreatIntelligenceIndicator
     WHERE Active AND (ExpirationDateTime IS NULL OR ExpirationDateTime > ${nowLit})
       AND (lower(DomainName) IN (${ph}) OR NetworkIP IN (${ph}) OR NetworkDestinationIP IN (${ph}) OR NetworkSourceIP IN (${ph}))
       AND coalesce(Description, '') NOT ILIKE '%State: inactive;%' AND coalesce(Description, '') NOT ILIKE '%State: falsepos;%'
     LIMIT 1`,
    values,
  );
  if (legacy !== undefined && legacy !== null) return String(legacy);
  const stix = await scalar(
    store,
    `SELECT coalesce(CAST(Data->>'name' AS VARCHAR), Id) FROM ThreatIntelIndicators
     WHERE IsActive AND NOT coalesce(Revoked, false) AND (ValidUntil IS NULL OR ValidUntil > ${nowLit}) AND lower(ObservableValue) IN (${ph}) LIMIT 1`,
    values,
  );
  return stix !== undefined && stix !== null ? String(stix) : undefined;
}

async function taggedMalicious(store: Store, values: string[]): Promise<boolean> {
  const ph = values.map((_, i) => `$${i + 1}`).join(', ');
  const n = await scalar(store, `SELECT count(*) FROM ExplorerArtifactTags WHERE lower(Tag) = 'malicious' AND lower(Artifact) IN (${ph})`, values);
  return Number(n ?? 0) > 0;
}

/** The first of `values` that is malicious by an active indicator or a `malicious` tag (one query per source). */
async function firstBad(store: Store, values: readonly string[], now: Date): Promise<string | undefined> {
  const expanded = [...new Set(values.flatMap((v) => (isIpAddress(v) ? [v] : [v, registeredDomain(v)])))];
  if (expanded.length === 0) return undefined;
  const hit = (await activeIndicator(store, expanded, now)) !== undefined || (await taggedMalicious(store, expanded));
  if (!hit) return undefined;
  // Rare path: say which one.
  for (const v of values) {
    const vs = isIpAddress(v) ? [v] : [...new Set([v, registeredDomain(v)])];
    if ((await activeIndicator(store, vs, now)) !== undefined || (await taggedMalicious(store, vs))) return v;
  }
  return undefined;
}

async function column(store: Store, sql: string, params: string[]): Promise<string[]> {
  const r = await store.query(sql, { params });
  return r.rows.map((row) => String(row[0]));
}

/**
 * Hosts that share infrastructure with `h`: for an IP the names on it; for a name its addresses, the other
 * names on those addresses and its host-pair neighbours. Each step is a single-column equality so DuckDB
 * answers it from the ART index (a self-join would scan the whole table).
 */
async function infrastructureNeighbours(store: Store, h: string, ip: boolean): Promise<string[]> {
  if (ip) return column(store, 'SELECT DISTINCT Host FROM ExplorerResolutions WHERE Resolve = $1 LIMIT 200', [h]);
  // MATERIALIZED: a RecordType filter pushed into the same scan would turn the index lookup into a full scan.
  const addrs = await column(
    store,
    "WITH m AS MATERIALIZED (SELECT Resolve, RecordType FROM ExplorerResolutions WHERE Host = $1) SELECT DISTINCT Resolve FROM m WHERE RecordType IN ('A', 'AAAA') LIMIT 20",
    [h],
  );
  const out = new Set<string>(addrs);
  // One statement: a UNION ALL of equalities, each answered from an index (an IN list would scan).
  const branches = [
    ...addrs.map((_, i) => `SELECT Host AS n FROM ExplorerResolutions WHERE Resolve = $${i + 2}`),
    'SELECT ChildHost AS n FROM ExplorerHostPairs WHERE ParentHost = $1',
    'SELECT ParentHost AS n FROM ExplorerHostPairs WHERE ChildHost = $1',
  ];
  for (const n of await column(store, `SELECT DISTINCT n FROM (${branches.join(' UNION ALL ')}) LIMIT 200`, [h, ...addrs])) out.add(n);
  return [...out].slice(0, 200);
}

export async function hostReputation(store: Store, host: string, opts: { now?: Date } = {}): Promise<HostReputation> {
  const now = opts.now ?? new Date();
  const h = host.toLowerCase();
  const ip = isIpAddress(h);
  const values = ip ? [h] : [...new Set([h, registeredDomain(h)])];
  const rules: ReputationRule[] = [];
  const [hit, tagged, mention, created, selfSigned, neighbours, components] = await Promise.all([
    activeIndicator(store, values, now),
    taggedMalicious(store, values),
    scalar(store, `SELECT coalesce(CAST(Data->>'name' AS VARCHAR), StixType) FROM ThreatIntelObjects WHERE StixType IN ('report', 'threat-actor', 'intrusion-set', 'malware', 'campaign') AND CAST(Data AS VARCHAR) ILIKE $1 LIMIT 1`, [`%${h}%`]),
    ip ? Promise.resolve(undefined) : scalar(store, 'SELECT max(Created) FROM ExplorerWhois WHERE Domain = $1', [registeredDomain(h)]),
    scalar(store, 'WITH hc AS MATERIALIZED (SELECT Fingerprint FROM ExplorerHostCertificates WHERE Host = $1) SELECT count(*) FROM hc JOIN ExplorerCertificates c USING (Fingerprint) WHERE c.SelfSigned', [h]),
    infrastructureNeighbours(store, h, ip).catch(() => [] as string[]),
    scalar(store, 'SELECT count(*) FROM ExplorerComponents WHERE Host = $1', [h]),
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
  const others = neighbours.filter((n) => n !== h && (ip || isIpAddress(n) || registeredDomain(n) !== registeredDomain(h)));
  const bad = await firstBad(store, others, now);
  if (bad) rules.push({ name: 'Shares infrastructure with a malicious host', description: `Connected to ${bad}, which is malicious`, severity: 'high', weight: 40 });
  if (Number(components ?? 0) > 0) rules.push({ name: 'Web components observed', description: `${String(components)} web components observed`, severity: 'low', weight: 5 });
  const score = Math.min(100, rules.reduce((s, r) => s + r.weight, 0));
  return { classification: classify(score), score, rules };
}
