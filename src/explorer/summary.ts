/**
 * The artifact summary: what the search recognised, reputation, insights, and per data set the row count
 * and the first page — what the Explorer page shows on arrival (and what the host-lookup benchmark times).
 *
 * Cost is per statement (each small DuckDB statement pays parse, plan and result transfer, about half a
 * millisecond, more on a busy machine), so the summary issues as few as it can: the reputation probes of the
 * indicator, tag and intel tables start together with the resolution and host-pair pages; one statement
 * counts the other data sets and only those with rows are paged; and every insight or reputation input that
 * the pages already answer (counts, latest timestamps, the complete rows of a small data set) is taken from
 * them instead of being queried again. Folding everything into one statement was measured and is slower:
 * DuckDB plans and schedules a statement with a dozen CTEs and scalar subqueries in tens of ms.
 */
import type { SqlParam, Store } from '../store/store.js';
import { datasetByName, datasetNames, type DatasetName } from './datasets.js';
import { artifactWhere, datasetPage, type DatasetPage } from './lookup.js';
import { insightFacts, insightsFromFacts, type Insight, type InsightFacts } from './insights.js';
import { hostReputation, type HostReputation, type NeighbourRows, type ReputationKnown } from './reputation.js';
import { isIpAddress } from './hostnames.js';
import { classifyArtifact, hostOfArtifact, type Artifact } from './search.js';

export interface ArtifactSummary {
  readonly artifact: Artifact;
  readonly reputation?: HostReputation;
  readonly insights?: readonly Insight[];
  readonly datasets: Record<string, DatasetPage>;
}

/** Data sets the summary pages through (`tags` and `crawls` are shown in the header, not as tabs). */
export const summaryDatasets: readonly DatasetName[] = datasetNames.filter((d) => d !== 'tags');

/** Largest non-null value (bigint timestamps), null when there is none — SQL `max`. */
function maxOf(rows: readonly Record<string, unknown>[], col: string): unknown {
  let best: unknown = null;
  for (const r of rows) {
    const v = r[col];
    if (v !== null && v !== undefined && (best === null || (v as bigint) > (best as bigint))) best = v;
  }
  return best;
}

/** The page holds every row of its data set. */
const complete = (p: DatasetPage | undefined): p is DatasetPage => p !== undefined && p.rows.length >= p.total;

/**
 * Insight facts the pages answer. Only when the page was read with the same key the insight query would use
 * (`host` is already lowercase, as the search box normalises it); sorted by LastSeen (or CrawledAt) desc with
 * nulls last, the first row carries the maximum.
 */
function knownFacts(host: string, pages: Record<string, DatasetPage>): Partial<InsightFacts> {
  const k: Partial<InsightFacts> = {};
  if (host !== host.toLowerCase()) return k;
  const ip = isIpAddress(host);
  const first = (p: DatasetPage, col: string) => (p.total === 0 ? null : p.rows.length > 0 ? p.rows[0]![col] : undefined);
  const res = pages['resolutions'];
  if (res && first(res, 'LastSeen') !== undefined) Object.assign(k, { resCount: BigInt(res.total), lastSeen: first(res, 'LastSeen') });
  const whois = pages['whois'];
  if (whois) {
    if (complete(whois)) Object.assign(k, { whoisCount: BigInt(whois.total), created: maxOf(whois.rows, 'Created'), updated: maxOf(whois.rows, 'Updated') });
    // No WHOIS record for the domain: nothing to share name servers or a registrant with.
    if (whois.total === 0) Object.assign(k, { sharingNs: 0n, sharingWhois: 0n });
  }
  const sub = pages['subdomains'];
  if (!ip && complete(sub)) Object.assign(k, { subCount: BigInt(sub.total), newestSub: maxOf(sub.rows, 'FirstSeen') });
  const crawls = pages['crawls'];
  if (complete(crawls)) {
    const ok = crawls.rows.filter((r) => r['Status'] !== null && Number(r['Status']) >= 200 && Number(r['Status']) <= 399).length;
    Object.assign(k, { lastCrawl: maxOf(crawls.rows, 'CrawledAt'), okPages: BigInt(ok) });
  }
  const services = pages['services'];
  if (services && services.total === 0) Object.assign(k, { openPorts: null, lastScan: null });
  const comps = pages['components'];
  if (complete(comps)) Object.assign(k, { servers: BigInt(comps.rows.filter((r) => r['Category'] === 'Server').length) });
  return k;
}

/** Reputation inputs the pages and insight facts answer (same keys as `hostReputation`'s own queries). */
function knownReputation(host: string, pages: Record<string, DatasetPage>, facts: InsightFacts): ReputationKnown {
  if (host !== host.toLowerCase()) return {};
  const k: { -readonly [P in keyof ReputationKnown]: ReputationKnown[P] } = { created: facts.created };
  const comps = pages['components'];
  if (comps) k.components = BigInt(comps.total);
  if (pages['hostCertificates']?.total === 0) k.selfSigned = 0n;
  return k;
}

/** The resolution and host-pair rows, when the pages hold all of them. */
function relatedRows(host: string, pages: Record<string, DatasetPage>): NeighbourRows {
  if (host !== host.toLowerCase()) return {};
  const res = pages['resolutions'];
  const pairs = pages['hostPairs'];
  return { ...(complete(res) ? { resolutions: res.rows } : {}), ...(complete(pairs) ? { hostPairs: pairs.rows } : {}) };
}

/** Moves `$n` placeholders of a fragment up by `by`, so fragments that each use `$1` share one parameter list. */
function shiftParams(sql: string, by: number): string {
  return by === 0 ? sql : sql.replace(/\$(\d+)/g, (_m, n: string) => `$${Number(n) + by}`);
}

/**
 * Row count of each data set for the artifact, in one statement: a UNION ALL of one count per data set, each
 * over the same lookup `datasetPage` runs (single-column equalities, answered from the ART indexes).
 */
async function datasetCounts(store: Store, names: readonly DatasetName[], a: Artifact): Promise<Map<DatasetName, number>> {
  const out = new Map<DatasetName, number>();
  const branches: string[] = [];
  const counted: DatasetName[] = [];
  const params: SqlParam[] = [];
  for (const d of names) {
    const w = artifactWhere(datasetByName(d), a);
    out.set(d, 0);
    if (!w) continue;
    branches.push(`SELECT ${counted.length} AS i, count(*) AS n FROM (${shiftParams(w.sql, params.length)})`);
    counted.push(d);
    params.push(...w.params);
  }
  if (branches.length === 0) return out;
  const r = await store.query(branches.join('\nUNION ALL\n'), { params, inlineParams: true });
  for (const [i, n] of r.rows as [number, bigint][]) out.set(counted[i]!, Number(n));
  return out;
}

/** Read first: the reputation's neighbour lookups need them and then run alongside the other pages. */
const linkingDatasets: readonly DatasetName[] = ['resolutions', 'hostPairs'];

export async function artifactSummary(store: Store, text: string, opts: { top?: number; now?: Date; reputation?: boolean } = {}): Promise<ArtifactSummary> {
  const artifact = classifyArtifact(text);
  const host = hostOfArtifact(artifact);
  const withReputation = host !== undefined && opts.reputation !== false;
  // The two linking data sets at once (separate reader connections): they hold most of a host's rows.
  const linkingRun = Promise.all(linkingDatasets.map((d) => datasetPage(store, d, artifact, { top: opts.top ?? 25 })));
  linkingRun.catch(() => undefined); // awaited below
  // The reputation probes that do not depend on the data sets run while the pages are read.
  let handOver: (k: ReputationKnown) => void = () => undefined;
  let handOverRelated: (r: NeighbourRows) => void = () => undefined;
  const known = new Promise<ReputationKnown>((resolve) => (handOver = resolve));
  const related = new Promise<NeighbourRows>((resolve) => (handOverRelated = resolve));
  const reputationRun = withReputation ? hostReputation(store, host, { ...(opts.now ? { now: opts.now } : {}), known, related }) : undefined;
  reputationRun?.catch(() => undefined); // awaited below; a failure of the pages must not leave it unhandled
  // Most hosts have rows in few data sets: count all the others in one statement (alongside the linking
  // pages: it does not depend on them), then page only those with rows.
  const others = summaryDatasets.filter((d) => !linkingDatasets.includes(d));
  const otherPages = datasetCounts(store, others, artifact).then((counts) =>
    Promise.all([...counts].map(async ([d, n]): Promise<DatasetPage> => (n === 0 ? { dataset: d, total: 0, rows: [] } : await datasetPage(store, d, artifact, { top: opts.top ?? 25 })))),
  );
  otherPages.catch(() => undefined); // awaited below
  try {
    const pages: Record<string, DatasetPage> = {};
    const linking = await linkingRun;
    linkingDatasets.forEach((d, i) => (pages[d] = linking[i]!));
    if (withReputation) handOverRelated(relatedRows(host, pages));
    for (const p of await otherPages) pages[p.dataset] = p;
    // In the data sets' own order, as callers (and the JSON answer) list them.
    const datasets = Object.fromEntries(summaryDatasets.map((d) => [d, pages[d]!]));
    if (!withReputation) return { artifact, datasets };
    const facts = await insightFacts(store, host, knownFacts(host, datasets));
    handOver(knownReputation(host, datasets, facts));
    const [reputation, insights] = [await reputationRun!, insightsFromFacts(host, facts)];
    return { artifact, reputation, insights, datasets };
  } finally {
    handOver({});
    handOverRelated({});
  }
}
