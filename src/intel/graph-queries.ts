/**
 * The intel store seen through Microsoft Graph's `microsoft.graph.security` threat-intelligence types
 * (shared/reference/mdti.md §2.1): `intelligenceProfile`, `intelligenceProfileIndicator`, `article`,
 * `articleIndicator`, `vulnerability`, `vulnerabilityComponent`. Built on the profile and article service
 * functions; this file only adds the Graph shapes and the look-ups Graph has and they lack (an indicator by
 * its own id, vulnerabilities). Ids are the intel store's STIX ids, except a vulnerability's, which is its
 * CVE id as in Graph (`vulnerabilities/CVE-2021-44228`) — the STIX id finds it too.
 */
import { QuarryError } from '../core/errors.js';
import type { Store } from '../store/store.js';
import { articleIndicators, getArticle, listArticles, shapeArticle, type Article, type ArticleIndicator } from './articles.js';
import type { Page } from './object-read.js';
import { getProfile, listProfiles, profileIndicators, type IntelProfile, type ProfileIndicator, type ProfileKind } from './profiles.js';
import type { StixObject } from './stix.js';

type Reader = Pick<Store, 'query'>;

const NS = '#microsoft.graph.security.';
/** "Everything" for look-ups that read a whole collection (the article service caps lists at 10,000). */
const ALL = 100_000;

export interface GraphFormattedContent {
  readonly content: string;
  readonly format: 'text' | 'html' | 'markdown';
}

/** The polymorphic `artifact` navigation: hostname, ipAddress, or unclassifiedArtifact {kind, value}. */
export interface GraphArtifact {
  readonly '@odata.type': string;
  readonly id: string;
  readonly kind?: string;
  readonly value?: string;
}

export interface GraphIntelProfile {
  readonly '@odata.type': '#microsoft.graph.security.intelligenceProfile';
  readonly id: string;
  readonly kind: ProfileKind;
  readonly title: string;
  readonly firstActiveDateTime: string | null;
  readonly aliases: string[];
  readonly targets: string[];
  readonly countriesOrRegionsOfOrigin: { code: string; label: string }[];
  readonly summary: GraphFormattedContent;
  readonly description: GraphFormattedContent;
  readonly tradecraft: GraphFormattedContent;
}

export interface GraphProfileIndicator {
  readonly '@odata.type': '#microsoft.graph.security.intelligenceProfileIndicator';
  readonly id: string;
  readonly source: ProfileIndicator['source'];
  readonly firstSeenDateTime: string | null;
  readonly lastSeenDateTime: string | null;
  readonly artifact: GraphArtifact | null;
}

export type GraphArticle = { readonly '@odata.type': '#microsoft.graph.security.article' } & Article;

export interface GraphArticleIndicator {
  readonly '@odata.type': '#microsoft.graph.security.articleIndicator';
  readonly id: string;
  readonly source: ArticleIndicator['source'];
  readonly artifact: GraphArtifact;
}

export interface GraphCvssSummary {
  readonly score: number | null;
  readonly severity: string | null;
  readonly vectorString: string | null;
}

export interface GraphHyperlink {
  readonly name: string;
  readonly url: string;
}

export interface GraphVulnerability {
  readonly '@odata.type': '#microsoft.graph.security.vulnerability';
  readonly id: string;
  readonly createdDateTime: string;
  readonly lastModifiedDateTime: string;
  readonly publishedDateTime: string;
  readonly description: GraphFormattedContent;
  readonly remediation: GraphFormattedContent;
  readonly priorityScore: number | null;
  readonly severity: 'none' | 'low' | 'medium' | 'high' | 'critical' | null;
  readonly commonWeaknessEnumerationIds: string[];
  readonly cvss2Summary: GraphCvssSummary | null;
  readonly cvss3Summary: GraphCvssSummary | null;
  readonly hasChatter: boolean;
  readonly exploitsAvailable: boolean;
  readonly activeExploitsObserved: boolean;
  readonly exploits: GraphHyperlink[];
  readonly references: GraphHyperlink[];
}

export interface GraphVulnerabilityComponent {
  readonly '@odata.type': '#microsoft.graph.security.vulnerabilityComponent';
  readonly id: string;
  readonly name: string;
}

// ---------------------------------------------------------------------------------------------- shapes

/** Observable kind + value → Graph artifact. Domains are hostnames, single addresses ipAddress; the rest
 * (URLs, hashes, e-mail, CIDR ranges, …) have no Graph type of their own and are unclassifiedArtifact. */
export function graphArtifact(a: { kind: string; id: string }): GraphArtifact {
  if (a.kind === 'domain') return { '@odata.type': `${NS}hostname`, id: a.id };
  const ip = a.kind === 'ipv4' || a.kind === 'ipv6';
  if (ip && !a.id.includes('/')) return { '@odata.type': `${NS}ipAddress`, id: a.id };
  return { '@odata.type': `${NS}unclassifiedArtifact`, id: a.id, kind: ip ? 'cidr' : a.kind, value: a.id };
}

export function graphProfileShape(p: IntelProfile): GraphIntelProfile {
  return {
    '@odata.type': `${NS}intelligenceProfile`, id: p.id, kind: p.kind, title: p.title, firstActiveDateTime: p.firstActiveDateTime,
    aliases: p.aliases, targets: p.targets, countriesOrRegionsOfOrigin: p.countriesOrRegionsOfOrigin.map((c) => ({ code: c.code, label: c.label })),
    summary: { content: p.summary.content, format: p.summary.format },
    // Graph's description is formattedContent; the profile service keeps the STIX markdown text
    description: { content: p.description, format: 'markdown' },
    tradecraft: { content: p.tradecraft.content, format: p.tradecraft.format },
  };
}

function profileIndicatorShape(i: ProfileIndicator): GraphProfileIndicator {
  return {
    '@odata.type': `${NS}intelligenceProfileIndicator`, id: i.id, source: i.source, firstSeenDateTime: i.firstSeenDateTime,
    lastSeenDateTime: i.lastSeenDateTime, artifact: i.artifact ? graphArtifact(i.artifact) : null,
  };
}

function articleShape(a: Article): GraphArticle {
  return { '@odata.type': `${NS}article`, ...a };
}

/**
 * The article service lists one row per (indicator, observable). A Graph articleIndicator has exactly one
 * artifact and ids must stay unique in a collection, so an indicator with several observables (e.g.
 * `x509-certificate:issuer = … AND x509-certificate:serial_number = …`) keeps one: the smallest by
 * (kind, value), so the choice is stable.
 */
function articleIndicatorShapes(list: readonly ArticleIndicator[]): GraphArticleIndicator[] {
  const best = new Map<string, ArticleIndicator>();
  const key = (i: ArticleIndicator) => `${i.artifact.kind}|${i.artifact.id}`;
  for (const i of list) {
    const cur = best.get(i.id);
    if (!cur || key(i) < key(cur)) best.set(i.id, i);
  }
  return [...best.values()].map((i) => ({ '@odata.type': `${NS}articleIndicator`, id: i.id, source: i.source, artifact: graphArtifact(i.artifact) }));
}

// ---------------------------------------------------------------------------------------------- profiles

export interface ProfileQuery {
  readonly kind?: ProfileKind;
  readonly search?: string;
  readonly skip?: number;
  readonly top?: number;
}

/** Profiles ordered by title (the service's order), as Graph intelligenceProfile objects. */
export async function graphProfiles(store: Reader, f: ProfileQuery = {}): Promise<Page<GraphIntelProfile>> {
  const page = await listProfiles(store, { ...f, top: f.top ?? ALL });
  return { items: page.items.map(graphProfileShape), total: page.total };
}

/** One profile by its id (the STIX id of its primary object) or, as the service allows, any member id or alias. */
export async function graphProfile(store: Reader, id: string): Promise<GraphIntelProfile> {
  return graphProfileShape(await getProfile(store, id));
}

export async function graphProfileIndicators(store: Reader, profileId: string, page: { skip?: number; top?: number } = {}): Promise<Page<GraphProfileIndicator>> {
  const p = await getProfile(store, profileId);
  const r = await profileIndicators(store, p.id, { skip: page.skip ?? 0, top: page.top ?? ALL });
  return { items: r.items.map(profileIndicatorShape), total: r.total };
}

const PROFILE_TYPES = ['threat-actor--', 'intrusion-set--', 'malware--', 'tool--'];

/** Objects an indicator points at: `indicates` targets and every object of a report that contains it. */
async function relatedOf(store: Reader, indicatorId: string): Promise<string[]> {
  const r = await store.query(
    `SELECT json_extract_string(r.json, '$.target_ref') FROM intel_objects r WHERE r.is_current AND NOT r.revoked AND r.type = 'relationship'
       AND json_extract_string(r.json, '$.relationship_type') = 'indicates' AND json_extract_string(r.json, '$.source_ref') = $1
     UNION ALL
     SELECT unnest(CAST(json_extract(rp.json, '$.object_refs') AS VARCHAR[])) FROM intel_objects rp WHERE rp.is_current AND NOT rp.revoked
       AND rp.type = 'report' AND list_contains(CAST(json_extract(rp.json, '$.object_refs') AS VARCHAR[]), $1)`,
    { params: [indicatorId] },
  );
  return [...new Set(r.rows.map((row) => row[0] as string | null).filter((x): x is string => typeof x === 'string'))].sort();
}

/**
 * `intelligenceProfileIndicators/{id}`: the indicator as an indicator of the first profile it belongs to
 * (same shape as `intelProfiles/{id}/indicators` lists it). 404 when it belongs to no profile.
 */
export async function graphProfileIndicator(store: Reader, indicatorId: string): Promise<GraphProfileIndicator> {
  const candidates = (await relatedOf(store, indicatorId)).filter((id) => PROFILE_TYPES.some((t) => id.startsWith(t)));
  const tried = new Set<string>();
  for (const member of candidates) {
    let profile: IntelProfile;
    try {
      profile = await getProfile(store, member);
    } catch {
      continue; // a revoked or unknown member: not a profile
    }
    if (tried.has(profile.id)) continue;
    tried.add(profile.id);
    const all = await profileIndicators(store, profile.id, { top: ALL });
    const hit = all.items.find((i) => i.id === indicatorId);
    if (hit) return profileIndicatorShape(hit);
  }
  throw new QuarryError('intel/not-found', `no intel profile indicator '${indicatorId}'`, {
    hints: ['ids are STIX indicator ids as listed by intelProfiles/{id}/indicators'],
  });
}

// ---------------------------------------------------------------------------------------------- articles

export interface ArticleQuery {
  readonly featured?: boolean;
  readonly search?: string;
  readonly skip?: number;
  readonly top?: number;
}

/** Articles newest first (the service's order), as Graph article objects. */
export async function graphArticles(store: Reader, f: ArticleQuery = {}): Promise<Page<GraphArticle>> {
  const page = await listArticles(store, { ...f, top: f.top ?? ALL });
  return { items: page.items.map(articleShape), total: page.total };
}

export async function graphArticle(store: Reader, id: string): Promise<GraphArticle> {
  return articleShape(await getArticle(store, id));
}

export async function graphArticleIndicators(store: Reader, articleId: string): Promise<GraphArticleIndicator[]> {
  await getArticle(store, articleId); // 404 for ids that are not articles
  return articleIndicatorShapes(await articleIndicators(store, articleId));
}

/** `articleIndicators/{id}`: the indicator as the first article (by id) that contains it lists it. */
export async function graphArticleIndicator(store: Reader, indicatorId: string): Promise<GraphArticleIndicator> {
  const r = await store.query(
    `SELECT id FROM intel_objects WHERE is_current AND NOT revoked AND type = 'report'
       AND list_contains(CAST(json_extract(json, '$.object_refs') AS VARCHAR[]), $1) ORDER BY id`,
    { params: [indicatorId] },
  );
  for (const [reportId] of r.rows as [string][]) {
    const hit = articleIndicatorShapes(await articleIndicators(store, reportId)).find((i) => i.id === indicatorId);
    if (hit) return hit;
  }
  throw new QuarryError('intel/not-found', `no article indicator '${indicatorId}'`, {
    hints: ['ids are STIX indicator ids as listed by articles/{id}/indicators'],
  });
}

// ---------------------------------------------------------------------------------------------- vulnerabilities

type ExtRef = { source_name?: string; external_id?: string; url?: string; description?: string };

function refsOf(o: StixObject): ExtRef[] {
  return Array.isArray(o.external_references) ? (o.external_references as ExtRef[]).filter((r) => r && typeof r === 'object') : [];
}

function cveOf(o: StixObject): string | undefined {
  const ref = refsOf(o).find((r) => r.source_name?.toLowerCase() === 'cve' && typeof r.external_id === 'string');
  if (ref) return ref.external_id!.toUpperCase();
  return typeof o.name === 'string' && /^CVE-\d{4}-\d{4,}$/i.test(o.name) ? o.name.toUpperCase() : undefined;
}

async function findVulnerability(store: Reader, id: string): Promise<StixObject> {
  const key = id.trim();
  // the LIKE pre-filter keeps the scan to vulnerabilities whose JSON mentions the key at all
  const r = await store.query(
    `SELECT json FROM intel_objects WHERE is_current AND NOT revoked AND type = 'vulnerability' AND (id = $1 OR contains(upper(json), upper($1))) ORDER BY id`,
    { params: [key] },
  );
  const objs = r.rows.map((row) => JSON.parse(row[0] as string) as StixObject);
  const hit = objs.find((o) => o.id === key) ?? objs.find((o) => cveOf(o) === key.toUpperCase())
    ?? objs.find((o) => typeof o.name === 'string' && o.name.toLowerCase() === key.toLowerCase());
  if (!hit) {
    throw new QuarryError('intel/not-found', `no vulnerability '${key}' in the intel store`, {
      hints: ['vulnerabilities come from imported STIX vulnerability objects; look them up by CVE id (CVE-2012-0158) or STIX id'],
    });
  }
  return hit;
}

async function relationshipsOf(store: Reader, id: string): Promise<{ type: string; other: string; outgoing: boolean }[]> {
  const r = await store.query(
    `SELECT json_extract_string(json, '$.relationship_type'), json_extract_string(json, '$.source_ref'), json_extract_string(json, '$.target_ref')
     FROM intel_objects WHERE is_current AND NOT revoked AND type = 'relationship'
       AND (json_extract_string(json, '$.source_ref') = $1 OR json_extract_string(json, '$.target_ref') = $1) ORDER BY id`,
    { params: [id] },
  );
  return r.rows.map(([type, src, tgt]) => ({ type: String(type), outgoing: src === id, other: String(src === id ? tgt : src) }));
}

async function currentObjects(store: Reader, ids: readonly string[]): Promise<StixObject[]> {
  if (ids.length === 0) return [];
  const r = await store.query(
    `SELECT json FROM intel_objects WHERE is_current AND NOT revoked AND id IN (${ids.map((_, i) => `$${i + 1}`).join(',')}) ORDER BY id`,
    { params: [...ids] },
  );
  return r.rows.map((row) => JSON.parse(row[0] as string) as StixObject);
}

function cvss(v: unknown): GraphCvssSummary | null {
  if (!v || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  return {
    score: typeof o.score === 'number' ? o.score : null, severity: typeof o.severity === 'string' ? o.severity.toLowerCase() : null,
    vectorString: typeof o.vectorString === 'string' ? o.vectorString : typeof o.vector_string === 'string' ? o.vector_string : null,
  };
}

/** CVSS v3 qualitative rating of a base score (FIRST CVSS v3.1 specification §5). */
function ratingOf(score: number | null | undefined): GraphVulnerability['severity'] {
  if (typeof score !== 'number') return null;
  return score === 0 ? 'none' : score < 4 ? 'low' : score < 7 ? 'medium' : score < 9 ? 'high' : 'critical';
}

const ACTORS = ['campaign--', 'intrusion-set--', 'threat-actor--', 'malware--', 'tool--'];

async function reportsNaming(store: Reader, stixId: string): Promise<StixObject[]> {
  const r = await store.query(
    `SELECT json FROM intel_objects WHERE is_current AND NOT revoked AND type = 'report'
       AND list_contains(CAST(json_extract(json, '$.object_refs') AS VARCHAR[]), $1) ORDER BY version_us DESC, id`,
    { params: [stixId] },
  );
  return r.rows.map((row) => JSON.parse(row[0] as string) as StixObject);
}

/**
 * A STIX `vulnerability` as Graph's vulnerability. STIX carries no scores, so CVSS, severity and priority
 * come from `x_quarry_cvss2` / `x_quarry_cvss3` ({score, severity, vectorString}), `x_quarry_severity` and
 * `x_quarry_priority_score` when an import set them, else null. CWE ids and references come from
 * external_references (`exploit-db`/`*exploit*` sources are exploits); remediation from the course-of-action
 * objects that `mitigates` it; activeExploitsObserved = a campaign, intrusion set, actor, malware or tool
 * `targets`/`exploits` it; hasChatter = an article names it.
 */
export async function graphVulnerability(store: Reader, id: string): Promise<GraphVulnerability> {
  const o = await findVulnerability(store, id);
  const rels = await relationshipsOf(store, o.id);
  const coas = await currentObjects(store, rels.filter((r) => r.type === 'mitigates' && !r.outgoing && r.other.startsWith('course-of-action--')).map((r) => r.other));
  const remediation = typeof o.x_quarry_remediation === 'string' ? o.x_quarry_remediation
    : coas.map((c) => `- **${String(c.name ?? c.id)}**${typeof c.description === 'string' && c.description ? `: ${c.description}` : ''}`).join('\n');
  const refs = refsOf(o);
  const link = (r: ExtRef): GraphHyperlink => ({ name: r.description ?? r.external_id ?? r.source_name ?? r.url!, url: r.url! });
  const isExploit = (r: ExtRef) => /exploit/i.test(r.source_name ?? '');
  const c2 = cvss(o.x_quarry_cvss2);
  const c3 = cvss(o.x_quarry_cvss3);
  const severity = typeof o.x_quarry_severity === 'string' ? (o.x_quarry_severity.toLowerCase() as GraphVulnerability['severity']) : ratingOf(c3?.score ?? c2?.score);
  const exploits = refs.filter((r) => r.url && isExploit(r)).map(link);
  return {
    '@odata.type': `${NS}vulnerability`, id: cveOf(o) ?? o.id,
    createdDateTime: String(o.created), lastModifiedDateTime: String(o.modified ?? o.created),
    publishedDateTime: String(o.x_quarry_published ?? o.created),
    description: { content: typeof o.description === 'string' ? o.description : '', format: 'markdown' },
    remediation: { content: remediation, format: 'markdown' },
    priorityScore: typeof o.x_quarry_priority_score === 'number' ? o.x_quarry_priority_score : null, severity,
    commonWeaknessEnumerationIds: refs.filter((r) => r.source_name?.toLowerCase() === 'cwe' && r.external_id).map((r) => r.external_id!),
    cvss2Summary: c2, cvss3Summary: c3,
    hasChatter: (await reportsNaming(store, o.id)).length > 0,
    exploitsAvailable: exploits.length > 0,
    activeExploitsObserved: rels.some((r) => !r.outgoing && (r.type === 'targets' || r.type === 'exploits') && ACTORS.some((t) => r.other.startsWith(t))),
    exploits, references: refs.filter((r) => r.url && !isExploit(r)).map(link),
  };
}

/** Affected software: `software` / `infrastructure` objects related to the vulnerability, and the names in
 * `x_quarry_components`. Component ids are the related objects' STIX ids, or `<CVE>$$<name>` for names. */
export async function graphVulnerabilityComponents(store: Reader, id: string): Promise<GraphVulnerabilityComponent[]> {
  const o = await findVulnerability(store, id);
  const rels = await relationshipsOf(store, o.id);
  const related = await currentObjects(store, rels.map((r) => r.other).filter((x) => x.startsWith('software--') || x.startsWith('infrastructure--')));
  const named = Array.isArray(o.x_quarry_components) ? (o.x_quarry_components as unknown[]).filter((x): x is string => typeof x === 'string') : [];
  return [
    ...related.map((s) => ({ id: s.id, name: [s.vendor, s.name, s.version].filter((x) => typeof x === 'string' && x).join(' ') || s.id })),
    ...named.map((n) => ({ id: `${cveOf(o) ?? o.id}$$${n}`, name: n })),
  ].map((c) => ({ '@odata.type': `${NS}vulnerabilityComponent` as const, ...c }));
}

/** Articles (reports) whose object_refs name the vulnerability, newest first. */
export async function graphVulnerabilityArticles(store: Reader, id: string): Promise<GraphArticle[]> {
  const o = await findVulnerability(store, id);
  return Promise.all((await reportsNaming(store, o.id)).map(async (r) => articleShape(await shapeArticle(store, r))));
}
