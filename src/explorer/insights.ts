/**
 * Analyst insights: small fact cards about a domain or IP, including the ones that did not trigger (as the
 * MDTI UI shows them). Each is `{name, triggered, detail}`.
 *
 * The cards are computed from a handful of facts (counts and latest timestamps per data set). A caller that
 * already read the rows a fact comes from — the artifact summary holds the first page of every data set —
 * passes them as `known`, and only the facts it could not derive are queried.
 */
import type { Store } from '../store/store.js';
import { isIpAddress, registeredDomain } from './hostnames.js';
import { dynamicDnsDomains } from './reputation.js';

export interface Insight {
  readonly name: string;
  readonly triggered: boolean;
  readonly detail: string;
}

/** The inputs of the insight cards (values as the store returns them: counts bigint, datetimes epoch µs). */
export interface InsightFacts {
  resCount: unknown;
  lastSeen: unknown;
  whoisCount: unknown;
  created: unknown;
  updated: unknown;
  subCount: unknown;
  newestSub: unknown;
  sharingNs: unknown;
  sharingWhois: unknown;
  lastCrawl: unknown;
  okPages: unknown;
  openPorts: unknown;
  lastScan: unknown;
  servers: unknown;
}

const iso = (v: unknown) => (typeof v === 'bigint' ? new Date(Number(v / 1000n)).toISOString() : undefined);

async function one(store: Store, sql: string, params: string[]): Promise<unknown[]> {
  const r = await store.query(sql, { params, inlineParams: true });
  return (r.rows[0] ?? []) as unknown[];
}

/** Each group of facts and the single-row query that yields it (in the group's order). */
function factQueries(h: string, domain: string, ip: boolean): [keys: (keyof InsightFacts)[], sql: string, params: string[]][] {
  const sharingNsSql = `SELECT count(DISTINCT w2.Domain) FROM (SELECT unnest(CAST(NameServers AS VARCHAR[])) AS ns FROM ExplorerWhois WHERE Domain = $1) a
     JOIN (SELECT Domain, unnest(CAST(NameServers AS VARCHAR[])) AS ns FROM ExplorerWhois) w2 ON a.ns = w2.ns WHERE w2.Domain <> $1`;
  const sharingWhoisSql = `SELECT count(DISTINCT Domain) FROM ExplorerWhois WHERE Domain <> $1 AND RegistrantEmail IS NOT NULL AND RegistrantEmail <> ''
       AND RegistrantEmail IN (SELECT RegistrantEmail FROM ExplorerWhois WHERE Domain = $1)`;
  return [
    [['resCount', 'lastSeen'], `SELECT count(*), max(LastSeen) FROM ExplorerResolutions WHERE ${ip ? 'Resolve' : 'Host'} = $1`, [h]],
    [['whoisCount', 'created', 'updated'], 'SELECT count(*), max(Created), max(Updated) FROM ExplorerWhois WHERE Domain = $1', [domain]],
    [['subCount', 'newestSub'], 'SELECT count(*), max(FirstSeen) FROM ExplorerSubdomains WHERE Domain = $1', [domain]],
    [['sharingNs'], sharingNsSql, [domain]],
    [['sharingWhois'], sharingWhoisSql, [domain]],
    [['lastCrawl', 'okPages'], 'SELECT max(CrawledAt), count(*) FILTER (WHERE Status BETWEEN 200 AND 399) FROM ExplorerCrawls WHERE Host = $1 OR FinalHost = $1', [h]],
    // Ports in ascending order (a DISTINCT string_agg has no defined order, and the card must read the same each time).
    [['openPorts', 'lastScan'], "SELECT array_to_string(list_sort(list_distinct(list(Port) FILTER (WHERE Status = 'open'))), ', '), max(LastSeen) FROM ExplorerServices WHERE Address = $1", [h]],
    [['servers'], "SELECT count(*) FILTER (WHERE Category = 'Server') FROM ExplorerComponents WHERE Host = $1", [h]],
  ];
}

/** The facts for `host`: those in `known` as given, the others queried (independent single-row aggregates, run together). */
export async function insightFacts(store: Store, host: string, known: Partial<InsightFacts> = {}): Promise<InsightFacts> {
  const h = host.toLowerCase();
  const ip = isIpAddress(h);
  const domain = ip ? h : registeredDomain(h);
  const facts: Partial<InsightFacts> = { ...known };
  const missing = factQueries(h, domain, ip).filter(([keys]) => keys.some((k) => !(k in known)));
  const results = await Promise.all(missing.map(([, sql, params]) => one(store, sql, params)));
  missing.forEach(([keys], i) => keys.forEach((k, j) => (facts[k] = results[i]![j])));
  return facts as InsightFacts;
}

export function insightsFromFacts(host: string, f: InsightFacts): Insight[] {
  const h = host.toLowerCase();
  const ip = isIpAddress(h);
  const domain = ip ? h : registeredDomain(h);
  const n = (v: unknown) => Number(v ?? 0);
  const { resCount, lastSeen, whoisCount, created, updated, subCount, newestSub, sharingNs, sharingWhois, lastCrawl, okPages, openPorts, lastScan, servers } = f;
  return [
    { name: 'Registered and resolving', triggered: n(whoisCount) > 0 && n(resCount) > 0, detail: `${n(whoisCount) > 0 ? 'registered' : 'no WHOIS record'}; ${n(resCount)} resolutions` },
    { name: 'Registered and updated', triggered: created !== null && created !== undefined, detail: `created ${iso(created) ?? 'unknown'}, updated ${iso(updated) ?? 'unknown'}` },
    { name: 'Subdomain count', triggered: n(subCount) > 0, detail: `${n(subCount)} subdomains` },
    { name: 'New subdomain observations', triggered: n(subCount) > 0, detail: `newest first seen ${iso(newestSub) ?? 'never'}` },
    { name: 'Domains sharing the name servers', triggered: n(sharingNs) > 0, detail: `${n(sharingNs)} other domains` },
    { name: 'Domains sharing the WHOIS registrant', triggered: n(sharingWhois) > 0, detail: `${n(sharingWhois)} other domains` },
    { name: 'Crawled', triggered: lastCrawl !== null && lastCrawl !== undefined, detail: `last crawl ${iso(lastCrawl) ?? 'never'}` },
    { name: 'Open ports detected', triggered: Boolean(openPorts), detail: openPorts ? `ports ${String(openPorts)} (last scan ${iso(lastScan)})` : 'none observed' },
    { name: 'Hosts a web server', triggered: n(servers) > 0 || n(okPages) > 0, detail: `${n(servers)} server components, ${n(okPages)} pages served` },
    { name: 'Host last observed', triggered: lastSeen !== null && lastSeen !== undefined, detail: `last resolution ${iso(lastSeen) ?? 'never'}` },
    { name: 'International domain (IDN)', triggered: !ip && h.split('.').some((l) => l.startsWith('xn--')), detail: ip ? 'not a domain' : h },
    { name: 'Dynamic DNS', triggered: !ip && dynamicDnsDomains.has(domain), detail: domain },
  ];
}

export async function hostInsights(store: Store, host: string, known: Partial<InsightFacts> = {}): Promise<Insight[]> {
  return insightsFromFacts(host, await insightFacts(store, host, known));
}
