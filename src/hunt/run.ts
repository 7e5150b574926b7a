/**
 * Running a hunting query: compile, fetch `externaldata` sources, execute with a row cap, a timeout and
 * cancellation, and return `{schema, results}` with Kusto-typed values (the Graph `runHuntingQuery` shape).
 */
import type { KqlScalarType, SchemaView } from '../catalog/types.js';
import { QuarryError } from '../core/errors.js';
import { formatKustoDatetime, parseInstant, parseIsoDuration } from '../core/time.js';
import { formatKustoTimespan } from '../core/timespan.js';
import type { ViewChoice } from '../kql/bind.js';
import { parseJsonExact } from '../core/json.js';
import { kqlTypeOfDuckdb } from '../sql/dialects/duckdb/types.js';
import { huntingTarget } from '../store/clickhouse/split-store.js';
import type { Store } from '../store/store.js';
import { type CompileOptions, compileKql, externalReader, paramsFor } from './compile.js';
import { type ExternalFetcher, resolveExternals } from './externals.js';

export const DEFAULT_MAX_ROWS = 30_000;
export const DEFAULT_TIMEOUT_MS = 10 * 60_000;

export interface RunOptions {
  readonly now?: Date;
  readonly maxRows?: number;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly view?: ViewChoice;
  /** ISO 8601 duration (`P30D`) or interval (`start/end`, `P7D/end`, `start/P7D`, `start`) like Graph's Timespan. */
  readonly timespan?: string;
  /** How `externaldata` URLs are fetched (the storage feature plugs its signed-URL reader in here). */
  readonly fetchExternal?: ExternalFetcher;
  readonly compile?: Omit<CompileOptions, 'now' | 'view' | 'timeRange'>;
}

export interface SchemaColumn {
  readonly name: string;
  readonly type: KqlScalarType;
}

export interface HuntResult {
  readonly schema: readonly SchemaColumn[];
  readonly results: Record<string, unknown>[];
  readonly sql: string;
  readonly truncated: boolean;
  readonly view: SchemaView;
  readonly render?: { readonly kind: string; readonly props: Readonly<Record<string, string>> };
  readonly stats: { readonly compileMs: number; readonly executeMs: number; readonly rows: number };
}

/** Parses a Graph-style Timespan into `[from, to)` relative to `now`. */
export function parseTimespan(text: string, now: Date): { from: Date; to: Date } {
  const parts = text.split('/');
  const isDuration = (s: string) => /^P/i.test(s.trim());
  if (parts.length === 1) {
    const p = parts[0]!.trim();
    if (isDuration(p)) return { from: new Date(now.getTime() - Number(parseIsoDuration(p) / 1000n)), to: now };
    return { from: parseInstant(p, 'timespan start'), to: now };
  }
  if (parts.length !== 2) throw new QuarryError('hunt/bad-timespan', `'${text}' is not an ISO 8601 duration or interval`);
  const [a, b] = [parts[0]!.trim(), parts[1]!.trim()];
  if (isDuration(a) && !isDuration(b)) {
    const to = parseInstant(b, 'timespan end');
    return { from: new Date(to.getTime() - Number(parseIsoDuration(a) / 1000n)), to };
  }
  if (!isDuration(a) && isDuration(b)) {
    const from = parseInstant(a, 'timespan start');
    return { from, to: new Date(from.getTime() + Number(parseIsoDuration(b) / 1000n)) };
  }
  if (isDuration(a) && isDuration(b)) throw new QuarryError('hunt/bad-timespan', `'${text}': an interval needs at least one instant`);
  return { from: parseInstant(a, 'timespan start'), to: parseInstant(b, 'timespan end') };
}

export async function runKql(given: Store, text: string, opts: RunOptions = {}): Promise<HuntResult> {
  const now = opts.now ?? new Date();
  const t0 = performance.now();
  const timeRange = opts.timespan ? parseTimespan(opts.timespan, now) : undefined;
  // Event tables may live in ClickHouse (`serve --store clickhouse://`): the query is compiled for, and runs on, that store.
  const target = huntingTarget(given);
  const store = target.store;
  const compileBase = { ...(target.dialect ? { dialect: target.dialect } : {}), ...opts.compile };
  const compiled = compileKql(text, { ...compileBase, now, ...(opts.view ? { view: opts.view } : {}), ...(timeRange ? { timeRange } : {}) });
  let sql = compiled.sql;
  let params = paramsFor(compiled);
  let cleanup: (() => Promise<void>) | undefined;
  try {
    if (compiled.externals.length > 0) {
      const resolved = await resolveExternals(compiled.externals, opts.fetchExternal, opts.signal);
      cleanup = resolved.cleanup;
      const again = compileKql(text, {
        ...compileBase, now, ...(opts.view ? { view: opts.view } : {}), ...(timeRange ? { timeRange } : {}),
        render: { readExternal: (rel, d) => externalReader(rel, resolved.filesFor(rel), d) },
      });
      sql = again.sql;
      params = paramsFor(again);
    }
    const compileMs = performance.now() - t0;
    const t1 = performance.now();
    const maxRows = opts.maxRows ?? DEFAULT_MAX_ROWS;
    let res;
    try {
      res = await store.query(sql, { ...(params.length ? { params } : {}), maxRows, timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, ...(opts.signal ? { signal: opts.signal } : {}) });
    } catch (e) {
      if (e instanceof QuarryError) {
        if (e.code === 'store/timeout') throw new QuarryError('hunt/timeout', `the query exceeded its time limit of ${opts.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms`);
        if (e.code === 'store/cancelled') throw new QuarryError('hunt/cancelled', 'the query was cancelled');
      }
      throw e;
    }
    const executeMs = performance.now() - t1;
    // Data-dependent schemas (pivot, bag_unpack) take their columns from the result itself.
    const schema: SchemaColumn[] = compiled.plan.dynamicSchema
      ? res.columns.map((c) => ({ name: c.name, type: compiled.schema.find((s) => s.name === c.name)?.type ?? kqlTypeOfDuckdb(c.sqlType) }))
      : [...compiled.schema];
    const results = res.rows.map((row) => {
      const obj: Record<string, unknown> = {};
      schema.forEach((c, i) => {
        obj[c.name] = toKustoValue(row[i], c.type);
      });
      return obj;
    });
    return {
      schema, results, sql, truncated: res.truncated ?? false, view: compiled.view,
      ...(compiled.plan.render ? { render: compiled.plan.render } : {}),
      stats: { compileMs, executeMs, rows: results.length },
    };
  } finally {
    await cleanup?.();
  }
}

/** Converts a store value to its Kusto JSON form for a column of KQL type `type`. */
export function toKustoValue(v: unknown, type: KqlScalarType): unknown {
  if (v === null || v === undefined) return type === 'string' ? '' : null;
  switch (type) {
    case 'string':
    case 'guid':
      return typeof v === 'string' ? v : String(v);
    case 'long':
      return typeof v === 'bigint' ? v : typeof v === 'number' ? BigInt(Math.trunc(v)) : BigInt(String(v));
    case 'int':
      return Number(v);
    case 'real':
    case 'decimal': {
      const n = Number(v);
      if (Number.isNaN(n)) return 'NaN';
      if (n === Infinity) return 'Infinity';
      if (n === -Infinity) return '-Infinity';
      return n;
    }
    case 'bool':
      return Boolean(v);
    case 'datetime':
      return typeof v === 'bigint' ? formatKustoDatetime(v) : String(v);
    case 'timespan':
      return typeof v === 'bigint' ? formatKustoTimespan(v) : typeof v === 'number' ? formatKustoTimespan(BigInt(Math.trunc(v))) : String(v);
    case 'dynamic':
      if (typeof v === 'string') {
        try {
          return parseJsonExact(v);
        } catch {
          return v;
        }
      }
      return v;
  }
}
