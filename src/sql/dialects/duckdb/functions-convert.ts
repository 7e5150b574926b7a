/**
 * KQL conversions (`tostring`, `tolong`, `todatetime`, …) and conditionals (`iff`, `case`, `coalesce`,
 * `min_of`, …) as DuckDB SQL. The string renderings follow Kusto: datetime `yyyy-MM-ddTHH:mm:ss[.fffffff]Z`,
 * timespan `[-][d.]hh:mm:ss[.fffffff]`, real as .NET prints a double, dynamic strings without quotes.
 * Unparseable input gives null, as Kusto does. Macros used here live in `prelude-a.ts`.
 */
import type { KqlScalarType } from '../../../catalog/types.js';
import { QuarryError } from '../../../core/errors.js';
import type { FnArg, FnContext, ScalarFnImpl } from '../../dialect.js';
import { duckdbTypeOf } from './types.js';

/** .NET ticks (100 ns) between 0001-01-01 and the Unix epoch, in microseconds. */
const DOTNET_EPOCH_OFFSET_US = 62_135_596_800_000_000n;

export const isIntegerType = (t: KqlScalarType): boolean => t === 'long' || t === 'int';
export const isNumericType = (t: KqlScalarType): boolean => t === 'long' || t === 'int' || t === 'real' || t === 'decimal';

/** Text of a value (never NULL): Kusto's `tostring`. */
export function toStringSql(a: FnArg): string {
  return `coalesce(${toStringNullable(a)}, '')`;
}

/** Text of a value, NULL where Kusto's `tostring` would give "" for a null (cheaper inside coalescing contexts). */
export function toStringNullable(a: FnArg): string {
  switch (a.type) {
    case 'string':
    case 'guid':
      return a.sql;
    case 'long':
    case 'int':
    case 'bool':
      return `CAST(${a.sql} AS VARCHAR)`;
    case 'real':
    case 'decimal':
      return `kqla_real_str(${a.sql})`;
    case 'datetime':
      return `kqla_dt_str(${a.sql})`;
    case 'timespan':
      return `kqla_ts_str(${a.sql})`;
    case 'dynamic':
      return `kqla_dyn_str(${a.sql})`;
  }
}

export function toLongSql(a: FnArg): string {
  switch (a.type) {
    case 'long':
      return a.sql;
    case 'int':
    case 'bool':
      return `CAST(${a.sql} AS BIGINT)`;
    case 'real':
    case 'decimal':
      return `TRY_CAST(trunc(${a.sql}) AS BIGINT)`;
    case 'timespan':
      return `(${a.sql} * 10)`; // ticks
    case 'datetime':
      return `((epoch_us(${a.sql}) + ${DOTNET_EPOCH_OFFSET_US}) * 10)`; // ticks since 0001-01-01
    case 'string':
    case 'guid':
      return `kqla_str_long(${a.sql})`;
    case 'dynamic':
      return `kqla_str_long(kqla_dyn_str(${a.sql}))`;
  }
}

export function toRealSql(a: FnArg): string {
  switch (a.type) {
    case 'real':
    case 'decimal':
      return a.sql;
    case 'long':
    case 'int':
      return `CAST(${a.sql} AS DOUBLE)`;
    case 'bool':
      return `CAST(CAST(${a.sql} AS INTEGER) AS DOUBLE)`;
    case 'timespan':
      return `(${a.sql} * 10.0)`;
    case 'datetime':
      return `CAST(${toLongSql(a)} AS DOUBLE)`;
    case 'string':
    case 'guid':
      return `TRY_CAST(trim(${a.sql}) AS DOUBLE)`;
    case 'dynamic':
      return `TRY_CAST(kqla_dyn_str(${a.sql}) AS DOUBLE)`;
  }
}

export function toBoolSql(a: FnArg): string {
  switch (a.type) {
    case 'bool':
      return a.sql;
    case 'long':
    case 'int':
    case 'real':
    case 'decimal':
    case 'timespan':
      return `(${a.sql} <> 0)`;
    case 'string':
    case 'guid':
      return `kqla_str_bool(${a.sql})`;
    case 'dynamic':
      return `kqla_str_bool(kqla_dyn_str(${a.sql}))`;
    case 'datetime':
      return 'CAST(NULL AS BOOLEAN)';
  }
}

export function toDatetimeSql(a: FnArg): string {
  switch (a.type) {
    case 'datetime':
      return a.sql;
    case 'string':
    case 'guid':
      return `kqla_str_dt(${a.sql})`;
    case 'dynamic':
      return `kqla_str_dt(kqla_dyn_str(${a.sql}))`;
    case 'long':
    case 'int':
      return `make_timestamp(${a.sql} // 10 - ${DOTNET_EPOCH_OFFSET_US})`; // .NET ticks
    default:
      return 'CAST(NULL AS TIMESTAMP)';
  }
}

export function toTimespanSql(a: FnArg): string {
  switch (a.type) {
    case 'timespan':
      return a.sql;
    case 'string':
    case 'guid':
      return `kqla_str_ts(${a.sql})`;
    case 'dynamic':
      return `kqla_str_ts(kqla_dyn_str(${a.sql}))`;
    case 'long':
    case 'int':
      return `(${a.sql} // 10)`; // ticks
    case 'real':
    case 'decimal':
      return `TRY_CAST(round(${a.sql} / 10) AS BIGINT)`;
    default:
      return 'CAST(NULL AS BIGINT)';
  }
}

/** Converts an argument to the given KQL type with Kusto's conversion rules (used to unify branches). */
export function convertTo(a: FnArg, to: KqlScalarType): string {
  if (a.type === to) return a.sql;
  if (a.constant && a.constant.value === null) return `CAST(NULL AS ${duckdbTypeOf[to]})`;
  switch (to) {
    case 'string':
      return toStringSql(a);
    case 'guid':
      return a.type === 'string' ? a.sql : toStringSql(a);
    case 'long':
      return toLongSql(a);
    case 'int':
      return `TRY_CAST(${toLongSql(a)} AS INTEGER)`;
    case 'real':
    case 'decimal':
      return toRealSql(a);
    case 'bool':
      return toBoolSql(a);
    case 'datetime':
      return toDatetimeSql(a);
    case 'timespan':
      return toTimespanSql(a);
    case 'dynamic':
      return dynamicOf(a);
  }
}

/** A scalar as a JSON value (Kusto keeps datetimes and timespans as their text inside dynamic). */
export function dynamicOf(a: FnArg): string {
  switch (a.type) {
    case 'dynamic':
      return a.sql;
    case 'datetime':
    case 'timespan':
      return `to_json(${toStringNullable(a)})`;
    default:
      return `to_json(${a.sql})`;
  }
}

function arity(args: readonly FnArg[], ctx: FnContext, min: number, max = min): void {
  if (args.length < min || args.length > max) {
    const want = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    throw new QuarryError('kql/semantic-error', `${ctx.name}() takes ${want} argument(s), got ${args.length}`);
  }
}

const one = (f: (a: FnArg) => string): ScalarFnImpl => (args, ctx) => {
  arity(args, ctx, 1);
  return f(args[0]!);
};

function branch(a: FnArg, t: KqlScalarType): string {
  if (a.type === t) return a.sql;
  // Numeric branches of different widths: let DuckDB unify them rather than round-trip through text.
  if (isNumericType(a.type) && isNumericType(t)) return `CAST(${a.sql} AS ${duckdbTypeOf[t]})`;
  return convertTo(a, t);
}

function coalesceSql(args: readonly FnArg[], ctx: FnContext): string {
  arity(args, ctx, 1, 64);
  const t = ctx.resultType;
  if (t === 'string' || t === 'guid') return `coalesce(${args.map((a) => `nullif(${branch(a, t)}, '')`).join(', ')}, '')`;
  return `coalesce(${args.map((a) => branch(a, t)).join(', ')})`;
}

function minMaxOf(fn: 'least' | 'greatest'): ScalarFnImpl {
  return (args, ctx) => {
    arity(args, ctx, 1, 64);
    const t = ctx.resultType;
    // DuckDB's least/greatest skip NULLs: "non-null values take precedence", as Kusto documents.
    return `${fn}(${args.map((a) => branch(a, t)).join(', ')})`;
  };
}

export const convertFunctions: Record<string, ScalarFnImpl> = {
  tostring: one(toStringSql),
  tolong: one(toLongSql),
  toint: one((a) => (a.type === 'int' ? a.sql : `TRY_CAST(${toLongSql(a)} AS INTEGER)`)),
  todouble: one(toRealSql),
  toreal: one(toRealSql),
  todecimal: one(toRealSql),
  tobool: one(toBoolSql),
  toboolean: one(toBoolSql),
  toguid: one((a) => (a.type === 'guid' ? a.sql : `CAST(TRY_CAST(${toStringNullable(a)} AS UUID) AS VARCHAR)`)),
  todatetime: one(toDatetimeSql),
  totimespan: one(toTimespanSql),
  totime: one(toTimespanSql),

  iff: (args, ctx) => {
    arity(args, ctx, 3);
    const t = ctx.resultType;
    return `(CASE WHEN ${args[0]!.sql} THEN ${branch(args[1]!, t)} ELSE ${branch(args[2]!, t)} END)`;
  },
  case: (args, ctx) => {
    if (args.length < 3 || args.length % 2 === 0) {
      throw new QuarryError('kql/semantic-error', 'case() takes predicate/value pairs followed by an else value');
    }
    const t = ctx.resultType;
    const whens: string[] = [];
    for (let i = 0; i + 1 < args.length; i += 2) whens.push(`WHEN ${args[i]!.sql} THEN ${branch(args[i + 1]!, t)}`);
    return `(CASE ${whens.join(' ')} ELSE ${branch(args[args.length - 1]!, t)} END)`;
  },
  coalesce: coalesceSql,
  isnan: one((a) => `isnan(${toRealSql(a)})`),
  isinf: one((a) => `isinf(${toRealSql(a)})`),
  isfinite: one((a) => `isfinite(${toRealSql(a)})`),
  min_of: minMaxOf('least'),
  max_of: minMaxOf('greatest'),
};
