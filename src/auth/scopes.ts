/**
 * Token scopes: a token may be limited to some API areas. A scope entry is `*` (everything), an area
 * (`hunt`, `intel`, `explorer`, `threatIntelligence`, `storage`, `ingest`, …) or `<area>:read` (only
 * GET/HEAD in that area; `*:read` for read-only everywhere). The area of a route is its `auth.scope`
 * config, or is derived from its path (see `routeArea`).
 */
import { QuarryError } from '../core/errors.js';

const SCOPE_RE = /^(\*|[A-Za-z][A-Za-z0-9_-]{0,40})(:read)?$/;

export function parseScopes(input: string | readonly string[] | undefined): string[] {
  if (input === undefined) return ['*'];
  const list = (typeof input === 'string' ? input.split(',') : [...input]).map((s) => s.trim()).filter(Boolean);
  if (list.length === 0) throw new QuarryError('core/bad-argument', 'a token needs at least one scope (use * for all)');
  for (const s of list) {
    if (!SCOPE_RE.test(s)) throw new QuarryError('core/bad-argument', `'${s}' is not a scope: use *, an area name such as hunt or intel, or <area>:read`);
  }
  return [...new Set(list)];
}

/** The API area a URL belongs to, for scope checks and the OpenAPI tags. */
export function routeArea(url: string): string {
  const path = url.split('?')[0]!;
  if (/^\/v1\.0\/security\/runHuntingQuery\b/i.test(path) || /^\/api\/(advancedhunting|hunt)(\/|$)/.test(path)) return 'hunt';
  const graph = /^\/v1\.0\/security\/([^/]+)/.exec(path);
  if (graph) return graph[1]!.replace(/\(.*$/, '');
  const api = /^\/api\/([^/]+)/.exec(path);
  if (api) return api[1]!;
  const first = /^\/([^/]+)/.exec(path);
  return first ? first[1]!.replace(/\d+$/, '') : 'root';
}

export function scopesAllow(scopes: readonly string[], area: string, safeMethod: boolean): boolean {
  for (const s of scopes) {
    if (s === '*' || s === area) return true;
    if (safeMethod && (s === '*:read' || s === `${area}:read`)) return true;
  }
  return false;
}
