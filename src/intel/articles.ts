/**
 * Articles (MDTI / Graph `article`) are STIX `report` objects: title = name, body = description (markdown),
 * summary = `x_quarry_summary` (else the body's first paragraph), image = `x_quarry_image_url`, featured =
 * `x_quarry_featured`, tags = labels + custom tags, indicators = the indicators in `object_refs`.
 * `createArticle` writes a new report (and indicators for raw values) through the versioned store.
 */
import { QuarryError } from '../core/errors.js';
import type { Store } from '../store/store.js';
import { indicatorCsv } from './export/csv.js';
import { classifyValue, patternFor } from './normalize.js';
import { getObject, listObjects, observablesOf, type Page } from './object-read.js';
import { writeObjects } from './object-store.js';
import { deterministicId, type StixObject } from './stix.js';
import type { FormattedContent } from './profiles.js';

type Reader = Pick<Store, 'query'>;

export interface Article {
  readonly id: string;
  readonly title: string;
  readonly summary: FormattedContent;
  readonly body: FormattedContent;
  readonly imageUrl: string | null;
  readonly isFeatured: boolean;
  readonly tags: string[];
  readonly createdDateTime: string;
  readonly lastUpdatedDateTime: string;
}

export interface ArticleIndicator {
  readonly id: string;
  readonly source: 'microsoft' | 'osint' | 'public';
  readonly artifact: { kind: string; id: string };
}

async function customTags(store: Reader, id: string): Promise<string[]> {
  const r = await store.query('SELECT tag FROM intel_tags WHERE target = $1 ORDER BY tag', { params: [id] });
  return r.rows.map((row) => row[0] as string);
}

export async function shapeArticle(store: Reader, o: StixObject): Promise<Article> {
  const body = typeof o.description === 'string' ? o.description : '';
  const summary = typeof o.x_quarry_summary === 'string' ? o.x_quarry_summary : body.split(/\n\s*\n/)[0]!.trim();
  const labels = Array.isArray(o.labels) ? (o.labels as string[]) : [];
  return {
    id: o.id, title: String(o.name ?? ''), summary: { content: summary, format: 'markdown' }, body: { content: body, format: 'markdown' },
    imageUrl: typeof o.x_quarry_image_url === 'string' ? o.x_quarry_image_url : null, isFeatured: o.x_quarry_featured === true,
    tags: [...new Set([...labels, ...(await customTags(store, o.id))])],
    createdDateTime: String(o.published ?? o.created), lastUpdatedDateTime: String(o.modified ?? o.created),
  };
}

/** Articles newest first; `featured` keeps only featured ones. */
export async function listArticles(store: Reader, f: { featured?: boolean; search?: string; tag?: string; skip?: number; top?: number } = {}): Promise<Page<Article>> {
  if (f.featured) {
    const all = await listObjects(store, { types: ['report'], top: 10_000, ...(f.search ? { search: f.search } : {}), ...(f.tag ? { tag: f.tag } : {}) });
    const feat = all.items.filter((o) => o.x_quarry_featured === true);
    const page = feat.slice(f.skip ?? 0, (f.skip ?? 0) + (f.top ?? 100));
    return { items: await Promise.all(page.map((o) => shapeArticle(store, o))), total: feat.length };
  }
  const page = await listObjects(store, { types: ['report'], ...f });
  return { items: await Promise.all(page.items.map((o) => shapeArticle(store, o))), total: page.total };
}

export async function getArticle(store: Reader, id: string): Promise<Article> {
  const o = await getObject(store, id);
  if (o.type !== 'report') throw new QuarryError('intel/not-found', `'${id}' is a ${o.type}, not an article`);
  return shapeArticle(store, o);
}

export async function articleIndicators(store: Reader, id: string): Promise<ArticleIndicator[]> {
  const o = await getObject(store, id);
  const refs = (Array.isArray(o.object_refs) ? (o.object_refs as string[]) : []).filter((r) => r.startsWith('indicator--'));
  const obs = await observablesOf(store, refs);
  const src = await store.query(`SELECT id, source FROM intel_objects WHERE is_current AND id IN (${refs.map((_, i) => `$${i + 1}`).join(',') || "''"})`, { params: refs });
  const sourceOf = new Map(src.rows.map((r) => [r[0] as string, r[1] as string | null]));
  return refs.flatMap((rid) =>
    (obs.get(rid) ?? []).map((ob) => ({
      id: rid, source: (sourceOf.get(rid) === 'Quarry demo' ? 'microsoft' : 'public') as ArticleIndicator['source'], artifact: { kind: ob.kind, id: ob.value },
    })),
  );
}

/** The article's indicators in MDTI's CSV layout `type, value, source`. */
export async function articleIndicatorsCsv(store: Reader, id: string): Promise<string> {
  const list = await articleIndicators(store, id);
  return indicatorCsv(list.map((i) => ({ kind: i.artifact.kind, value: i.artifact.id, source: i.source === 'microsoft' ? 'Quarry' : 'OSINT' })));
}

export interface NewArticle {
  readonly title: string;
  readonly summary?: string;
  readonly body: string;
  readonly imageUrl?: string;
  readonly isFeatured?: boolean;
  readonly tags?: string[];
  /** Indicator ids already stored, or raw values (domains, IPs, URLs, hashes, e-mail; defanged is fine). */
  readonly indicators?: string[];
  readonly source?: string;
  readonly now?: Date;
}

export async function createArticle(store: Pick<Store, 'transaction' | 'query'>, a: NewArticle): Promise<Article> {
  if (!a.title?.trim()) throw new QuarryError('core/bad-argument', 'an article needs a title');
  const now = (a.now ?? new Date()).toISOString();
  const source = a.source ?? 'Quarry';
  const objects: StixObject[] = [];
  const refs: string[] = [];
  for (const v of a.indicators ?? []) {
    if (/^indicator--/.test(v)) {
      refs.push(v);
      continue;
    }
    const c = classifyValue(v);
    if (!c) throw new QuarryError('core/bad-argument', `'${v}' is not a domain, IP, URL, hash or e-mail address`);
    const ind = {
      type: 'indicator', spec_version: '2.1', id: deterministicId('indicator', source, c.kind, c.value), created: now, modified: now,
      name: c.value, pattern: patternFor(c.kind, c.value), pattern_type: 'stix', valid_from: now, indicator_types: ['malicious-activity'],
    } as StixObject;
    objects.push(ind);
    refs.push(ind.id);
  }
  const report = {
    type: 'report', spec_version: '2.1', id: deterministicId('report', source, a.title.trim()), created: now, modified: now,
    name: a.title.trim(), description: a.body, published: now, report_types: ['threat-report'], object_refs: refs.length ? refs : [deterministicId('identity', source)],
    ...(a.tags?.length ? { labels: a.tags } : {}), ...(a.summary ? { x_quarry_summary: a.summary } : {}),
    ...(a.imageUrl ? { x_quarry_image_url: a.imageUrl } : {}), x_quarry_featured: a.isFeatured === true,
  } as StixObject;
  if (!refs.length) objects.push({ type: 'identity', spec_version: '2.1', id: deterministicId('identity', source), created: now, modified: now, name: source, identity_class: 'organization' });
  objects.push(report);
  const w = await writeObjects(store, objects, { source, method: 'api:article', ...(a.now ? { now: a.now } : {}) });
  if (w.rejected > 0) throw new QuarryError('intel/bad-object', w.issues.map((i) => i.reason).join('; '));
  return shapeArticle(store, report);
}
