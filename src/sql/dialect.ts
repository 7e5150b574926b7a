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
}

export interface Dialect {
  readonly name: 'duckdb' | 'clickhouse';
  readonly flags: DialectFlags;
  quoteIdentifier(name: string): string;
  /** Renders a literal of a KQL type, escaped for this dialect (never string-concatenated user text). */
  literal(value: LiteralValue, type: KqlScalarType): string;
  /** SQL type name for a KQL scalar type (used in CASTs and CREATE TABLE). */
  sqlType(type: KqlScalarType): string;
  /** Scalar functions and operators keyed by lower-case KQL name (operators use their KQL spelling: `has`, `=~`, `!in~`). */
  readonly functions: Readonly<Record<string, ScalarFnImpl>>;
  /** Aggregates keyed by lower-case KQL name. */
  readonly aggregates: Readonly<Record<string, AggregateFnImpl>>;
  /** Statements to run once per connection before queries (temp macros for Kusto semantics). */
  readonly prelude: readonly string[];
}
