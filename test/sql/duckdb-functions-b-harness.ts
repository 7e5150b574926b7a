/**
 * Test harness for the part-B DuckDB function templates: renders calls with literal (or column) arguments,
 * runs them on a real in-memory DuckDB after `preludeB`, and returns results as text.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { KqlScalarType } from '../../src/catalog/types.js';
import type { AggregateFnImpl, Dialect, FnArg, LiteralValue, ScalarFnImpl } from '../../src/sql/dialect.js';
import { aggregates } from '../../src/sql/dialects/duckdb/aggregates.js';
import { datetimeFunctions } from '../../src/sql/dialects/duckdb/functions-datetime.js';
import { dynamicFunctions } from '../../src/sql/dialects/duckdb/functions-dynamic.js';
import { ipFunctions } from '../../src/sql/dialects/duckdb/functions-ip.js';
import { miscFunctions } from '../../src/sql/dialects/duckdb/functions-misc.js';
import { quoteIdentifier, renderLiteral } from '../../src/sql/dialects/duckdb/literals.js';
import { preludeB } from '../../src/sql/dialects/duckdb/prelude-b.js';
import { duckdbTypeOf } from '../../src/sql/dialects/duckdb/types.js';

export const functions: Record<string, ScalarFnImpl> = { ...datetimeFunctions, ...dynamicFunctions, ...ipFunctions, ...miscFunctions };

/** A stand-in dialect for the context argument (the lead's real dialect merges parts A and B). */
const dialect: Dialect = {
  name: 'duckdb',
  flags: { supportsQualify: true, supportsAggregateFilter: true, supportsStarExclude: true, supportsLateralUnnest: true, supportsArgMax: true },
  quoteIdentifier,
  literal: renderLiteral,
  sqlType: (t) => duckdbTypeOf[t],
  functions,
  aggregates,
  prelude: preludeB,
};

/** A constant argument. */
export function lit(value: LiteralValue, type: KqlScalarType): FnArg {
  return { sql: renderLiteral(value, type), type, constant: { value } };
}
/** A non-constant argument (e.g. a column reference). */
export function col(sql: string, type: KqlScalarType): FnArg {
  return { sql, type };
}
export const str = (s: string | null) => lit(s, 'string');
export const long = (n: number | bigint | null) => lit(n === null ? null : BigInt(n), 'long');
export const real = (n: number | null) => lit(n, 'real');
export const bool = (b: boolean | null) => lit(b, 'bool');
export const dyn = (v: LiteralValue) => lit(v, 'dynamic');
export const span = (us: bigint | null) => lit(us, 'timespan');

/** A datetime literal from 'YYYY-MM-DD[ HH:MM[:SS[.ffffff]]]' (UTC). */
export function dt(text: string): FnArg {
  return lit(epochMicros(text), 'datetime');
}
export function epochMicros(text: string): bigint {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?$/.exec(text);
  if (!m) throw new Error(`bad datetime ${text}`);
  const d = new Date(0);
  d.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  d.setUTCHours(Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), 0);
  return BigInt(d.getTime()) * 1000n + BigInt((m[7] ?? '').padEnd(6, '0') || '0');
}

export const US = { s: 1_000_000n, m: 60_000_000n, h: 3_600_000_000n, d: 86_400_000_000n };

export interface Harness {
  con: DuckDBConnection;
  /** Renders `name(args)` and returns the result as text (NULL → null). */
  call(name: string, args: FnArg[], resultType?: KqlScalarType): Promise<string | null>;
  /** Renders the SQL of a call without running it. */
  render(name: string, args: FnArg[], resultType?: KqlScalarType): string;
  /** Runs `SELECT CAST((sql) AS VARCHAR)` and returns the text. */
  value(sql: string): Promise<string | null>;
  /** Runs an aggregate over `rows` (SQL VALUES tuples) of a table `t(columns)`. */
  aggregate(name: string, args: FnArg[], table: { columns: string; rows: string[] }, resultType?: KqlScalarType, groupBy?: string): Promise<(string | null)[]>;
  close(): void;
}

export async function openHarness(): Promise<Harness> {
  const instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  for (const stmt of preludeB) await con.run(stmt);

  const value = async (sql: string): Promise<string | null> => {
    const reader = await con.runAndReadAll(`SELECT CAST((${sql}) AS VARCHAR) AS v`);
    const v = reader.getRows()[0]?.[0];
    return v === null || v === undefined ? null : String(v);
  };
  const render = (name: string, args: FnArg[], resultType: KqlScalarType = 'string'): string => {
    const fn = functions[name];
    if (!fn) throw new Error(`no function ${name}`);
    return fn(args, { dialect, resultType, name });
  };
  return {
    con,
    render,
    value,
    call: (name, args, resultType) => value(render(name, args, resultType)),
    aggregate: async (name, args, table, resultType = 'long', groupBy) => {
      const fn: AggregateFnImpl | undefined = aggregates[name];
      if (!fn) throw new Error(`no aggregate ${name}`);
      const sql = fn(args, { dialect, resultType, name });
      const from = table.rows.length > 0
        ? `(VALUES ${table.rows.join(', ')}) t(${table.columns})`
        : `(SELECT * FROM (VALUES (NULL)) z(${table.columns.split(',')[0]}) WHERE false) t`;
      const group = groupBy ? ` GROUP BY ${groupBy} ORDER BY ${groupBy}` : '';
      const reader = await con.runAndReadAll(`SELECT CAST((${sql}) AS VARCHAR) FROM ${from}${group}`);
      return reader.getRows().map((r) => (r[0] === null || r[0] === undefined ? null : String(r[0])));
    },
    close: () => {
      con.closeSync();
      instance.closeSync();
    },
  };
}
