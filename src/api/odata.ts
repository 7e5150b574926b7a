/**
 * OData query options as Microsoft Graph accepts them on collections: `$top`, `$skip`, `$count`, `$select`,
 * `$orderby`, `$filter` (eq, ne, gt, ge, lt, le, in, and, or, not, parentheses, `startswith`/`endswith`/
 * `contains`, navigation paths such as `childHost/id`), `$search` passed through; and the response envelope
 * with `@odata.count` and `@odata.nextLink`. Evaluation is over plain JSON objects (the Graph shapes), so
 * every Graph-style route (hosts, articles, intel profiles) can reuse it.
 */
import { QuarryError } from '../core/errors.js';

export type FilterExpr =
  | { readonly op: 'and' | 'or'; readonly left: FilterExpr; readonly right: FilterExpr }
  | { readonly op: 'not'; readonly expr: FilterExpr }
  | { readonly op: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le'; readonly path: string; readonly value: Literal }
  | { readonly op: 'in'; readonly path: string; readonly values: readonly Literal[] }
  | { readonly op: 'startswith' | 'endswith' | 'contains'; readonly path: string; readonly value: string };

export type Literal = string | number | boolean | null;

export interface ODataQuery {
  readonly top?: number;
  readonly skip: number;
  readonly count: boolean;
  readonly select?: readonly string[];
  readonly orderby: readonly { readonly path: string; readonly desc: boolean }[];
  readonly filter?: FilterExpr;
  readonly search?: string;
}

function bad(message: string): QuarryError {
  return new QuarryError('api/bad-odata', message, { hints: ["example: $filter=linkKind eq 'redirect' and childHost/id eq 'contoso.com'"] });
}

type Tok = { t: 'str' | 'num' | 'id' | 'lp' | 'rp' | 'comma'; v: string };

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (/\s/.test(c)) i++;
    else if (c === '(') (out.push({ t: 'lp', v: c }), i++);
    else if (c === ')') (out.push({ t: 'rp', v: c }), i++);
    else if (c === ',') (out.push({ t: 'comma', v: c }), i++);
    else if (c === "'") {
      let v = '';
      i++;
      for (;;) {
        if (i >= s.length) throw bad(`unterminated string in $filter: ${s}`);
        if (s[i] === "'") {
          if (s[i + 1] === "'") (v += "'", (i += 2));
          else break;
        } else v += s[i++];
      }
      i++;
      out.push({ t: 'str', v });
    } else {
      const m = /^[A-Za-z0-9_./:+-]+/.exec(s.slice(i));
      if (!m) throw bad(`unexpected '${c}' in $filter at position ${i}`);
      out.push({ t: /^-?\d+(\.\d+)?$/.test(m[0]) ? 'num' : 'id', v: m[0] });
      i += m[0].length;
    }
  }
  return out;
}

export function parseFilter(text: string): FilterExpr {
  const toks = tokenize(text);
  let p = 0;
  const peek = () => toks[p];
  const next = () => {
    const t = toks[p++];
    if (!t) throw bad(`$filter ends early: ${text}`);
    return t;
  };
  const expect = (t: Tok['t']) => {
    const x = next();
    if (x.t !== t) throw bad(`expected ${t === 'rp' ? "')'" : t} in $filter near '${x.v}'`);
    return x;
  };
  const literal = (): Literal => {
    const x = next();
    if (x.t === 'str') return x.v;
    if (x.t === 'num') return Number(x.v);
    if (x.t === 'id') {
      if (x.v === 'true' || x.v === 'false') return x.v === 'true';
      if (x.v === 'null') return null;
      if (/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(x.v)) return x.v; // datetime literal
    }
    throw bad(`'${x.v}' is not a literal in $filter (quote strings: 'value')`);
  };
  const primary = (): FilterExpr => {
    const t = next();
    if (t.t === 'lp') {
      const e = or();
      expect('rp');
      return e;
    }
    if (t.t !== 'id') throw bad(`unexpected '${t.v}' in $filter`);
    const low = t.v.toLowerCase();
    if (low === 'not') return { op: 'not', expr: primary() };
    if ((low === 'startswith' || low === 'endswith' || low === 'contains') && peek()?.t === 'lp') {
      expect('lp');
      const path = expect('id').v;
      expect('comma');
      const v = literal();
      expect('rp');
      return { op: low, path, value: String(v) };
    }
    const opTok = next();
    const op = opTok.v.toLowerCase();
    if (op === 'in') {
      expect('lp');
      const values: Literal[] = [literal()];
      while (peek()?.t === 'comma') (next(), values.push(literal()));
      expect('rp');
      return { op: 'in', path: t.v, values };
    }
    if (!['eq', 'ne', 'gt', 'ge', 'lt', 'le'].includes(op)) throw bad(`unsupported operator '${opTok.v}' in $filter (eq, ne, gt, ge, lt, le, in, startswith, endswith, contains)`);
    return { op: op as 'eq', path: t.v, value: literal() };
  };
  const and = (): FilterExpr => {
    let l = primary();
    while (peek()?.t === 'id' && peek()!.v.toLowerCase() === 'and') (next(), (l = { op: 'and', left: l, right: primary() }));
    return l;
  };
  const or = (): FilterExpr => {
    let l = and();
    while (peek()?.t === 'id' && peek()!.v.toLowerCase() === 'or') (next(), (l = { op: 'or', left: l, right: and() }));
    return l;
  };
  const e = or();
  if (p !== toks.length) throw bad(`unexpected '${toks[p]!.v}' in $filter`);
  return e;
}

function whole(v: string | undefined, name: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (v === undefined || v === '') return undefined;
  if (!/^\d+$/.test(v) || Number(v) > max) throw bad(`${name} must be a whole number${max < Number.MAX_SAFE_INTEGER ? ` up to ${max}` : ''}, got '${v}'`);
  return Number(v);
}

/** Reads `$top`, `$skip`, … from a query-string object (keys with or without `$`). */
export function parseODataQuery(qs: Readonly<Record<string, unknown>>, opts: { maxTop?: number } = {}): ODataQuery {
  const get = (k: string) => {
    const v = qs[`$${k}`] ?? qs[k];
    return typeof v === 'string' ? v : Array.isArray(v) ? String(v[0]) : undefined;
  };
  const count = get('count');
  if (count !== undefined && count !== 'true' && count !== 'false') throw bad(`$count must be true or false, got '${count}'`);
  const orderby = (get('orderby') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const [path, dir, extra] = s.split(/\s+/);
      if (extra || (dir && !/^(asc|desc)$/i.test(dir))) throw bad(`$orderby '${s}': use 'property [asc|desc]'`);
      return { path: path!, desc: dir?.toLowerCase() === 'desc' };
    });
  const filterText = get('filter');
  const top = whole(get('top'), '$top', opts.maxTop);
  const select = get('select')?.split(',').map((s) => s.trim()).filter(Boolean);
  const search = get('search');
  return {
    ...(top !== undefined ? { top } : {}), skip: whole(get('skip'), '$skip') ?? 0, count: count === 'true',
    ...(select ? { select } : {}), orderby, ...(filterText ? { filter: parseFilter(filterText) } : {}), ...(search !== undefined ? { search } : {}),
  };
}

/** Value at `a/b/c` in an object. */
export function valueAt(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split('/')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function cmp(a: unknown, b: Literal): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a ?? '');
  const y = String(b ?? '');
  // ISO datetimes compare as instants (Graph returns 'Z', callers may write offsets).
  const dx = Date.parse(x);
  const dy = Date.parse(y);
  if (/^\d{4}-\d{2}-\d{2}/.test(x) && /^\d{4}-\d{2}-\d{2}/.test(y) && !Number.isNaN(dx) && !Number.isNaN(dy)) return dx - dy;
  return x.toLowerCase() < y.toLowerCase() ? -1 : x.toLowerCase() > y.toLowerCase() ? 1 : 0;
}

export function matchesFilter(e: FilterExpr, obj: unknown): boolean {
  switch (e.op) {
    case 'and':
      return matchesFilter(e.left, obj) && matchesFilter(e.right, obj);
    case 'or':
      return matchesFilter(e.left, obj) || matchesFilter(e.right, obj);
    case 'not':
      return !matchesFilter(e.expr, obj);
    case 'in':
      return e.values.some((v) => cmp(valueAt(obj, e.path), v) === 0);
    case 'startswith':
      return String(valueAt(obj, e.path) ?? '').toLowerCase().startsWith(e.value.toLowerCase());
    case 'endswith':
      return String(valueAt(obj, e.path) ?? '').toLowerCase().endsWith(e.value.toLowerCase());
    case 'contains':
      return String(valueAt(obj, e.path) ?? '').toLowerCase().includes(e.value.toLowerCase());
    default: {
      const v = valueAt(obj, e.path);
      if (e.value === null) return e.op === 'eq' ? v === null || v === undefined : e.op === 'ne' ? v !== null && v !== undefined : false;
      const c = cmp(v, e.value);
      return e.op === 'eq' ? c === 0 : e.op === 'ne' ? c !== 0 : e.op === 'gt' ? c > 0 : e.op === 'ge' ? c >= 0 : e.op === 'lt' ? c < 0 : c <= 0;
    }
  }
}

export interface ODataPageOptions {
  /** Absolute or path URL of this request without the query string (for nextLink). */
  readonly baseUrl: string;
  /** The request's own query string parameters, kept in nextLink. */
  readonly params: Readonly<Record<string, unknown>>;
  readonly context?: string;
  /** Page size when `$top` is absent. */
  readonly pageSize?: number;
  /** Allowed `$orderby` properties (Graph restricts them); all when absent. */
  readonly orderable?: readonly string[];
}

/** Applies $filter, $orderby, $count, $skip/$top and $select to `items`; builds the Graph envelope. */
export function odataPage<T extends object>(items: readonly T[], q: ODataQuery, opts: ODataPageOptions): Record<string, unknown> {
  let list = q.filter ? items.filter((i) => matchesFilter(q.filter!, i)) : [...items];
  for (const o of q.orderby) {
    if (opts.orderable && !opts.orderable.includes(o.path)) throw bad(`$orderby supports ${opts.orderable.join(', ')}; not '${o.path}'`);
  }
  if (q.orderby.length > 0) {
    list = [...list].sort((a, b) => {
      for (const o of q.orderby) {
        const av = valueAt(a, o.path);
        const c = cmp(av, (valueAt(b, o.path) ?? null) as Literal);
        if (c !== 0) return o.desc ? -c : c;
      }
      return 0;
    });
  }
  const total = list.length;
  const size = q.top ?? opts.pageSize ?? 100;
  const page = list.slice(q.skip, q.skip + size);
  const value = q.select
    ? page.map((i) => Object.fromEntries(['@odata.type', 'id', ...q.select!].filter((k) => k in i).map((k) => [k, (i as Record<string, unknown>)[k]])))
    : page;
  const out: Record<string, unknown> = {};
  if (opts.context) out['@odata.context'] = opts.context;
  if (q.count) out['@odata.count'] = total;
  out['value'] = value;
  // Graph pages with @odata.nextLink whenever rows remain after this page, whether the server's page size or
  // the client's $top cut the result (the link keeps $top, so a client walks the whole result in $top steps).
  if (q.skip + size < total) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(opts.params)) if (k !== '$skip' && k !== 'skip' && v !== undefined) params.set(k, String(v));
    params.set('$skip', String(q.skip + size));
    out['@odata.nextLink'] = `${opts.baseUrl}?${params.toString()}`;
  }
  return out;
}
