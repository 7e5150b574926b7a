/**
 * `compileKql`: KQL text → bound tree (official parser/binder) → relational plan → SQL for a dialect.
 * The named stages are `bindKql` (kql/), `planQuery` (plan/) and `planToSql` (sql/).
 */
import { processCatalog, type Catalog } from '../catalog/catalog.js';
import type { KqlScalarType, SchemaView } from '../catalog/types.js';
import { QuarryError, spanAt } from '../core/errors.js';
import { dateToMicros } from '../core/time.js';
import { bindKql, type Diagnostic, throwOnErrors, type ViewChoice } from '../kql/bind.js';
import { quoteFileProfileArgs } from '../kql/defender-functions.js';
import type { Col, Plan, QueryParam, Rel } from '../plan/ir.js';
import { planQuery } from '../plan/lower.js';
import { inlineSplitForMvExpand } from '../plan/inline-split.js';
import { pruneColumns } from '../plan/prune.js';
import type { Dialect } from '../sql/dialect.js';
import { duckdbDialect } from '../sql/dialects/duckdb/dialect.js';
import { fillParams, renderPlan, type RenderOptions } from '../sql/render.js';

export interface CompileOptions {
  readonly view?: ViewChoice;
  /** The query's "now" (frozen for `now()`/`ago()`); default: the current time. */
  readonly now?: Date;
  /** Restricts every table scan to `[from, to)` on its time column. */
  readonly timeRange?: { readonly from: Date; readonly to: Date };
  readonly catalog?: Catalog;
  readonly dialect?: Dialect;
  readonly render?: RenderOptions;
  /** Inline "now" and the time range as literals (SQL shown to people); such compiles are not cached. */
  readonly inlineParams?: boolean;
  /** Use the compiled-query cache (default true); benchmarks of the compiler itself turn it off. */
  readonly cache?: boolean;
}

export interface CompiledQuery {
  readonly sql: string;
  /** Bound parameters of `sql` in `$1, $2, …` order; values in `paramValues` (epoch µs). */
  readonly params: readonly QueryParam[];
  readonly paramValues: Partial<Record<QueryParam, bigint>>;
  readonly plan: Plan;
  readonly schema: readonly { readonly name: string; readonly type: KqlScalarType }[];
  readonly view: SchemaView;
  readonly diagnostics: readonly Diagnostic[];
  readonly now: Date;
  /** `externaldata` sources the query reads (fetched by the hunt layer before running). */
  readonly externals: readonly Extract<Rel, { op: 'external' }>[];
}

export { processCatalog };

function checkText(text: string): void {
  if (text.replace(/\/\/[^\n]*/g, '').trim() === '') throw new QuarryError('kql/empty-query', 'the query is empty');
}

/** Binds and plans, without rendering SQL (used by `quarry check` and by compileKql). */
export function planKql(written: string, opts: CompileOptions = {}): { plan: Plan; view: SchemaView; diagnostics: readonly Diagnostic[]; now: Date } {
  checkText(written);
  // Defender's `invoke FileProfile(SHA1)` names the column bare: quoted for the binder; positions map back.
  const rewritten = quoteFileProfileArgs(written);
  if (rewritten.text === written) return planText(written, opts);
  const back = (start: number, end: number) => spanAt(written, rewritten.toOriginal(start), rewritten.toOriginal(end));
  try {
    const r = planText(rewritten.text, opts);
    return { ...r, diagnostics: r.diagnostics.map((d) => ({ ...d, ...back(d.start, d.end) })) };
  } catch (e) {
    if (!(e instanceof QuarryError) || !e.span) throw e;
    throw new QuarryError(e.code, e.message, {
      span: back(e.span.start, e.span.end),
      ...(e.hints ? { hints: e.hints } : {}),
      ...(e.details ? { details: e.details } : {}),
      cause: e.cause,
    });
  }
}

function planText(text: string, opts: CompileOptions): { plan: Plan; view: SchemaView; diagnostics: readonly Diagnostic[]; now: Date } {
  const catalog = opts.catalog ?? processCatalog();
  const bound = bindKql(text, catalog, opts.view ?? 'auto');
  throwOnErrors(bound, text);
  const now = opts.now ?? new Date();
  const planned = planQuery(bound.root, {
    now: dateToMicros(now),
    view: bound.view,
    table: bound.table,
    text,
    ...(opts.timeRange ? { timeRange: { from: dateToMicros(opts.timeRange.from), to: dateToMicros(opts.timeRange.to) } } : {}),
  });
  const plan = pruneColumns(inlineSplitForMvExpand(planned));
  return { plan, view: bound.view, diagnostics: bound.diagnostics, now };
}

/**
 * Compiled queries by (dialect, catalog size, view, time range or not, text): "now" and the time range are bound
 * parameters, so one entry serves every run of the same query — the hunting portal re-running a query, a
 * detection rule on its schedule — without paying the parser and binder again. Queries with `externaldata`
 * or a custom renderer are not cached (their SQL names fetched files).
 */
const compiled = new Map<string, Omit<CompiledQuery, 'now' | 'paramValues'>>();
const COMPILED_MAX = 512;

export function compileKql(text: string, opts: CompileOptions = {}): CompiledQuery {
  const dialect = opts.dialect ?? duckdbDialect;
  const now = opts.now ?? new Date();
  const paramValues = {
    now: dateToMicros(now),
    ...(opts.timeRange ? { from: dateToMicros(opts.timeRange.from), to: dateToMicros(opts.timeRange.to) } : {}),
  };
  const catalog = opts.catalog ?? processCatalog();
  const cacheable = opts.cache !== false && !opts.render && !opts.inlineParams;
  const key = cacheable ? `${dialect.name}\u0000${catalog.listTables().length}\u0000${opts.view ?? 'auto'}\u0000${opts.timeRange ? 'tr' : ''}\u0000${text}` : '';
  const hit = cacheable ? compiled.get(key) : undefined;
  if (hit) {
    compiled.delete(key);
    compiled.set(key, hit); // most recently used last
    return { ...hit, sql: fillParams(hit.sql, paramValues, dialect), now, paramValues };
  }
  const { plan, view, diagnostics } = planKql(text, { ...opts, now });
  const externals = collectExternals(plan);
  const rendered = renderPlan(plan, dialect, {
    readExternal: opts.render?.readExternal ?? displayExternal,
    ...opts.render,
    paramValues,
    ...(opts.inlineParams ? { inlineParams: true } : {}),
  });
  const schema = plan.body.columns.map((c: Col) => ({ name: c.name, type: c.type }));
  // The rendered SQL is a template with parameter placeholders; each run fills in its own values.
  const result: CompiledQuery = { sql: fillParams(rendered.sql, paramValues, dialect), params: [], plan, schema, view, diagnostics, now, paramValues, externals };
  if (cacheable && externals.length === 0) {
    const { now: _n, paramValues: _p, ...rest } = result;
    const entry = { ...rest, sql: rendered.sql };
    compiled.set(key, entry);
    if (compiled.size > COMPILED_MAX) compiled.delete(compiled.keys().next().value!);
  }
  return result;
}

/** The values to bind for a compiled query's parameters, in `$n` order. */
export function paramsFor(c: Pick<CompiledQuery, 'params' | 'paramValues'>): bigint[] {
  return c.params.map((p) => {
    const v = c.paramValues[p];
    if (v === undefined) throw new QuarryError('core/internal', `no value for the query parameter '${p}'`);
    return v;
  });
}

/** For SQL shown to users (`quarry compile`): reads the URL itself; the hunt layer substitutes local files. */
function displayExternal(rel: Extract<Rel, { op: 'external' }>, d: Dialect): string {
  const files = rel.localFiles ?? rel.urls.map((u, i) => (rel.obfuscated?.[i] ? '<obfuscated>' : u));
  return externalReader(rel, files, d);
}

export { externalReader } from './external-reader.js';
import { externalReader } from './external-reader.js';

export function collectExternals(plan: Plan): Extract<Rel, { op: 'external' }>[] {
  const out: Extract<Rel, { op: 'external' }>[] = [];
  const seen = new Set<object>();
  const walk = (x: unknown): void => {
    if (!x || typeof x !== 'object' || seen.has(x)) return;
    seen.add(x);
    if ((x as { op?: string }).op === 'external') out.push(x as Extract<Rel, { op: 'external' }>);
    for (const v of Array.isArray(x) ? x : Object.values(x)) walk(v);
  };
  walk(plan);
  return out;
}
