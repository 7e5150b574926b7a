/**
 * A thin adapter over the shared OData module (`../odata.ts`) for the Graph threat-intelligence routes:
 *
 * - property checks: `$filter`, `$select` and `$orderby` naming a property the entity type does not have
 *   answer 400 `api/bad-odata` (Graph answers 400 too) instead of silently matching nothing;
 * - push-down: a top-level `prop eq value` conjunct the intel service can apply itself (profile `kind`,
 *   article `isFeatured eq true`) is taken out of the filter, so plain listings page in the service;
 * - `@odata.nextLink` also for client-side paging: Graph returns a next link when `$top` cuts the result
 *   (`?$top=5` → `…?$top=5&$skip=5`), while `odataPage` links only server-side pages;
 * - `@odata.context` like Graph's (`$metadata#security/threatIntelligence/intelProfiles`, `(…)` after the
 *   set when `$select` is used), rooted at this server so a client that swapped base URLs stays on it.
 */
import type { FastifyRequest } from 'fastify';
import { QuarryError } from '../../core/errors.js';
import { odataPage, parseODataQuery, type FilterExpr, type Literal, type ODataQuery } from '../odata.js';

export const MAX_TOP = 1000;
export const PAGE_SIZE = 100;

export interface EntityType {
  /** Graph type name, e.g. `microsoft.graph.security.intelligenceProfile`. */
  readonly name: string;
  readonly properties: readonly string[];
  /** Scalar properties `$orderby` may use. */
  readonly orderable: readonly string[];
}

function bad(message: string, hints?: string[]): QuarryError {
  return new QuarryError('api/bad-odata', message, hints ? { hints } : {});
}

function pathsOf(e: FilterExpr): string[] {
  switch (e.op) {
    case 'and':
    case 'or':
      return [...pathsOf(e.left), ...pathsOf(e.right)];
    case 'not':
      return pathsOf(e.expr);
    default:
      return [e.path];
  }
}

/** Parses the request's OData options and checks every property they name against the entity type. */
export function graphQuery(req: FastifyRequest, type: EntityType, qs: Record<string, unknown> = req.query as Record<string, unknown>): ODataQuery {
  const q = parseODataQuery(qs, { maxTop: MAX_TOP });
  const known = (p: string) => type.properties.includes(p.split('/')[0]!);
  const unknown = (what: string, p: string) =>
    bad(`${what}: could not find a property named '${p}' on type '${type.name}'`, [`properties: ${type.properties.join(', ')}`]);
  for (const p of q.filter ? pathsOf(q.filter) : []) if (!known(p)) throw unknown('$filter', p);
  for (const p of q.select ?? []) {
    if (p.includes('/')) throw bad(`$select can't select nested properties ('${p}')`);
    if (!known(p)) throw unknown('$select', p);
  }
  for (const o of q.orderby) {
    if (!known(o.path)) throw unknown('$orderby', o.path);
    if (!type.orderable.includes(o.path)) throw bad(`$orderby supports ${type.orderable.join(', ')} on '${type.name}'; not '${o.path}'`);
  }
  return q;
}

/** Graph writes `$search="text"`; the quotes are not part of the term. */
export function searchTerm(q: ODataQuery): string | undefined {
  const s = q.search?.trim().replace(/^"(.*)"$/, '$1').trim();
  return s ? s : undefined;
}

function conjuncts(e: FilterExpr): FilterExpr[] {
  return e.op === 'and' ? [...conjuncts(e.left), ...conjuncts(e.right)] : [e];
}

/**
 * Takes the first top-level `prop eq value` conjunct for which `accept(value)` holds out of the filter.
 * `rest` is what remains for `odataPage` to evaluate (undefined when nothing does).
 */
export function takeEq(filter: FilterExpr | undefined, prop: string, accept: (v: Literal) => boolean): { value?: Literal; rest?: FilterExpr } {
  if (!filter) return {};
  const parts = conjuncts(filter);
  const ix = parts.findIndex((p) => p.op === 'eq' && p.path === prop && accept(p.value));
  if (ix < 0) return { rest: filter };
  const value = (parts[ix] as { value: Literal }).value;
  const others = parts.filter((_, i) => i !== ix);
  const rest = others.length ? others.reduce((l, r) => ({ op: 'and', left: l, right: r })) : undefined;
  return rest ? { value, rest } : { value };
}

/** `https://host:port/v1.0/$metadata#security/threatIntelligence/<path>`. */
export function contextUrl(req: FastifyRequest, path: string, q?: ODataQuery): string {
  const select = q?.select?.length ? `(${q.select.join(',')})` : '';
  return `${req.protocol}://${req.host}/v1.0/$metadata#security/threatIntelligence/${path}${select}`;
}

function nextLink(req: FastifyRequest, skip: number): string {
  const enc = (k: string) => encodeURIComponent(k).replace(/^%24/, '$');
  const parts: string[] = [];
  for (const [k, v] of Object.entries(req.query as Record<string, unknown>)) {
    if (k === '$skip' || k === 'skip' || v === undefined) continue;
    parts.push(`${enc(k)}=${encodeURIComponent(String(Array.isArray(v) ? v[0] : v))}`);
  }
  parts.push(`$skip=${skip}`);
  return `${req.protocol}://${req.host}${req.url.split('?')[0]}?${parts.join('&')}`;
}

function envelope(req: FastifyRequest, q: ODataQuery, context: string, value: unknown, total: number): Record<string, unknown> {
  const size = q.top ?? PAGE_SIZE;
  const out: Record<string, unknown> = { '@odata.context': context };
  if (q.count) out['@odata.count'] = total;
  if (size > 0 && q.skip + size < total) out['@odata.nextLink'] = nextLink(req, q.skip + size);
  out['value'] = value;
  return out;
}

/** A whole collection: `$filter`, `$orderby`, `$skip/$top`, `$select` applied here (by `odataPage`). */
export function graphCollection(req: FastifyRequest, q: ODataQuery, context: string, items: readonly object[]): Record<string, unknown> {
  const page = odataPage(items, { ...q, count: true }, { baseUrl: '', params: {}, pageSize: PAGE_SIZE });
  return envelope(req, q, context, page['value'], page['@odata.count'] as number);
}

/** A page the service already cut at `q.skip` (its length ≤ `$top`), of `total` items; `$select` applied here. */
export function graphServicePage(req: FastifyRequest, q: ODataQuery, context: string, page: readonly object[], total: number): Record<string, unknown> {
  const { filter: _filter, ...rest } = q;
  const cut = odataPage(page, { ...rest, skip: 0, top: page.length, orderby: [], count: false }, { baseUrl: '', params: {} });
  return envelope(req, q, context, cut['value'], total);
}

/** Whether the service can page by itself: nothing left to filter and no ordering requested. */
export function servicePageable(q: ODataQuery, rest: FilterExpr | undefined): boolean {
  return rest === undefined && q.orderby.length === 0;
}

/** Graph key syntax: `{id}` or `'{id}'`. */
export function keyParam(id: string): string {
  return id.trim().replace(/^'(.*)'$/, '$1');
}
