/**
 * The dialect contract: capability flags, literal/identifier rendering and KQL function → SQL templates.
 * `plan/` never names a dialect; `sql/` renders a plan through one of these. A new backend
 * (ClickHouse) is a new folder under `sql/dialects/` implementing this interface.
 *
 * Representation of KQL types in SQL (all dialects follow the same logical model):
 * - string → text (NULL may appear internally; it reads as "" — `isempty` treats both alike);
 * - long → 64-bit int; int → 32-bit int; real → double; bool → boolean; guid → text; decimal → double;
 * - datetime → timestamp with microsecond precision, UTC;
 * - timespan → 64-bit int of **microseconds** (so arithmetic and comparisons are plain integer maths);
 * - dynamic → JSON (DuckDB `JSON`), arrays and bags as JSON text.
 */
import type { KqlScalarType } from '../catalog/types.js';
import type { Rel, Scalar } from '../plan/ir.js';

/** A rendered argument of a function call or operator. */
export interface FnArg {
  /** SQL text of the argument expression (already parenthesised where needed). */
  readonly sql: string;
  /** The argument's KQL type as the binder computed it. */
  readonly type: KqlScalarType;
  /** Present when the argument is a compile-time constant; `value` uses the literal value model below. */
  readonly constant?: { readonly value: LiteralValue };
}

/**
 * Literal values: string → string; long/int → bigint; real → number (NaN/±Infinity allowed); bool → boolean;
 * datetime → bigint epoch microseconds; timespan → bigint microseconds; guid → string;
 * dynamic → any JSON-compatible JS value (arrays/objects, bigint allowed for long members); null → null.
 */
export type LiteralValue = string | number | bigint | boolean | null | readonly unknown[] | { readonly [k: string]: unknown };

export interface FnContext {
  readonly dialect: Dialect;
  /** The call's result type as the binder computed it. */
  readonly resultType: KqlScalarType;
  /** KQL name of the function or operator, lower-case (for error messages). */
  readonly name: string;
}

/** Renders a scalar function or operator call; throws `kql/unsupported` for argument shapes it cannot handle. */
export type ScalarFnImpl = (args: readonly FnArg[], ctx: FnContext) => string;

export interface AggregateContext extends FnContext {
  /** `true` for `dcount`-style distinct aggregates when the dialect wants to know. */
  readonly distinct?: boolean;
}

/** Renders an aggregate call (e.g. `countif(x)` → `count(*) FILTER (WHERE x)`). */
export type AggregateFnImpl = (args: readonly FnArg[], ctx: AggregateContext) => string;

export interface DialectFlags {
  /** `QUALIFY` clause available (window filters without a sub-select). */
  readonly supportsQualify: boolean;
  /** `FILTER (WHERE …)` on aggregates. */
  readonly supportsAggregateFilter: boolean;
  /** `SELECT * EXCLUDE (…)`/`REPLACE` available. */
  readonly supportsStarExclude: boolean;
  /** Lateral `UNNEST` in FROM. */
  readonly supportsLateralUnnest: boolean;
  /** `arg_max(x, y)` native aggregate. */
  readonly supportsArgMax: boolean;
  /**
   * Separate `arg_max(col, by)` aggregates over the same `by` in one GROUP BY pick their values from the same
   * row (the engine updates and combines all states of a group in one order). Then `arg_max(by, *)` renders
   * as one aggregate per column instead of one packed tuple, which is several times faster.
   */
  readonly argExtremeConsistent?: boolean;
  /**
   * Window functions may emit rows in another order than their input's (ClickHouse computes windows in
   * parallel streams). Then a SELECT with an ordered window repeats the window's ORDER BY, so that a
   * `sort | extend prev(x)` keeps the sorted row order. Absent: the input order is kept (DuckDB).
   */
  readonly windowsReorderRows?: boolean;
}

export interface Dialect {
  readonly name: 'duckdb' | 'clickhouse';
  readonly flags: DialectFlags;
  quoteIdentifier(name: string): string;
  /**
   * A bound query parameter holding a datetime as epoch microseconds (`index` is 1-based). Dialects without
   * parameters leave it out; the renderer then inlines the value as a literal.
   */
  paramDatetime?(index: number): string;
  /** Renders a literal of a KQL type, escaped for this dialect (never string-concatenated user text). */
  literal(value: LiteralValue, type: KqlScalarType): string;
  /** SQL type name for a KQL scalar type (used in CASTs and CREATE TABLE). */
  sqlType(type: KqlScalarType): string;
  /** Scalar functions and operators keyed by lower-case KQL name (operators use their KQL spelling: `has`, `=~`, `!in~`). */
  readonly functions: Readonly<Record<string, ScalarFnImpl>>;
  /** Aggregates keyed by lower-case KQL name. */
  readonly aggregates: Readonly<Record<string, AggregateFnImpl>>;
  /**
   * Optional tree rewrite of a call before it is rendered (e.g. `tostring(parse_json(s).a.b)` → one JSON-path
   * extraction). Returns the replacement, or undefined to keep the call. Must preserve Kusto semantics.
   */
  readonly rewriteCall?: (call: Extract<Scalar, { k: 'call' }>) => Scalar | undefined;
  /** Statements to run once per connection before queries (temp macros for Kusto semantics). */
  readonly prelude: readonly string[];
  /**
   * Relation-level SQL forms that differ between engines (QUALIFY, semi joins, PIVOT, UNNEST …).
   * Absent: the DuckDB forms (so hand-built test dialects keep working).
   */
  readonly relational?: RelationalSql;
  /**
   * Optional: SQL reading an `externaldata` source from the local `files` the hunt layer fetched, with
   * Kusto's binding and conversion rules. Absent: the DuckDB reader of `hunt/external-reader.ts`.
   */
  readonly readExternal?: (rel: Extract<Rel, { op: 'external' }>, files: readonly string[], d: Dialect) => string;
}

/** A column of a relation-level hook: its quoted name and KQL type. */
export interface HookColumn {
  readonly sql: string;
  readonly type: KqlScalarType;
}

/**
 * Relation-level SQL hooks. Every argument is already-rendered SQL; `from` arguments are
 * `(<select>) AS <alias>` ready to follow FROM. Hooks return one SELECT (or set operation).
 */
export interface RelationalSql {
  /** One WITH entry: `name AS [MATERIALIZED] (sql)`. */
  cte(name: string, sql: string, materialized: boolean): string;
  /** The statement after the WITH list (e.g. wrapped when the engine cannot start it with a parenthesis). */
  cteBody(body: string): string;
  /** Rows of `from` where a predicate that contains window functions holds. */
  windowFilter(from: string, predicate: string): string;
  /** `innerunique`: one (arbitrary) row of `sql` per distinct value of the key expressions. */
  firstPerKey(sql: string, alias: string, keys: readonly string[]): string;
  /** The join keyword for a plan join kind (`leftsemi` … after the renderer swapped right* kinds). */
  joinKeyword(kind: string): string;
  /** `ON` clause for a join without equality keys. */
  joinAlways(): string;
  /** arg_max/arg_min over several columns taken from the same row: one tuple-valued aggregate. */
  argExtremeTuple(fn: 'arg_max' | 'arg_min', fields: readonly string[], by: string): string;
  /** Field `index` (0-based) of a tuple made by `argExtremeTuple`, `tuple` being `alias.column`. */
  tupleField(tuple: string, index: number): string;
  /** `range x from a to b step s` with `x` of `type`; `name` is the quoted output column. */
  range(name: string, type: KqlScalarType, from: string, to: string, step: string, next: () => string): string;
  /** `datatable`/`print` rows (at least one); each value is already a typed literal of its column. */
  values(columns: readonly HookColumn[], rows: readonly (readonly string[])[], next: () => string): string;
  /** Sub-select yielding column `v`: the text of each value (dynamic arrays flattened) of `column` in `from`. */
  valuesAsText(column: string, dynamic: boolean, from: string, elementsText: (sql: string) => string): string;
  /** Scalar sub-query: the column's values (dynamic arrays concatenated) as one JSON array. */
  listAsJson(column: string, dynamic: boolean, from: string): string;
  /** The first `n` items of an mv-expand list. */
  listHead(list: string, n: string): string;
  /**
   * mv-expand: one output row per position of the lists `__mvl0…` of `from` (columns `__mv0…`, plus
   * `__mvidx` 0-based when `withIndex`), all other columns kept.
   */
  expandLists(from: string, alias: string, count: number, withIndex: boolean, q: (n: string) => string): string;
  /**
   * Optional: a row number that depends only on the row's values (for plan windows marked `identity`), for
   * engines that recompute a CTE at each reference and could number rows differently each time. Absent:
   * the plain `row_number()` window.
   */
  rowIdentity?(): string;
  /** A window function call; `over` is the rendered ORDER BY (or ''). Return null when unsupported. */
  window(fn: string, args: readonly string[], over: string): string | null;
  /** `evaluate pivot(...)`. */
  pivot(input: string, column: string, using: string, groupBy: readonly string[]): string;
  /** `evaluate bag_unpack(col, prefix)`: `src` is a fresh alias for the input, `next` makes more. */
  bagUnpack(src: string, input: string, column: string, prefix: string, next: () => string): string;
}
