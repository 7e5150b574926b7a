/**
 * Test harness for part A of the DuckDB function catalog: renders `fn(args)` through the real dialect
 * object, runs it on a real in-memory DuckDB with the part-A prelude loaded, and reads the value back.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { KqlScalarType } from '../../src/catalog/types.js';
import type { FnArg, LiteralValue } from '../../src/sql/dialect.js';
import { duckdbDialect } from '../../src/sql/dialects/duckdb/dialect.js';
import { renderLiteral } from '../../src/sql/dialects/duckdb/literals.js';
import { preludeA } from '../../src/sql/dialects/duckdb/prelude-a.js';

export async function openDb(): Promise<DuckDBConnection> {
  const inst = await DuckDBInstance.create(':memory:');
  const con = await inst.connect();
  for (const stmt of preludeA) await con.run(stmt);
  return con;
}

/** A constant argument, rendered by the dialect's literal renderer. */
export function lit(value: LiteralValue, type: KqlScalarType): FnArg {
  return { sql: renderLiteral(value, type), type, constant: { value } };
}
export const s = (v: string | null): FnArg => lit(v, 'string');
export const l = (v: number | bigint | null): FnArg => lit(v === null ? null : BigInt(v), 'long');
export const i32 = (v: number | null): FnArg => lit(v === null ? null : BigInt(v), 'int');
export const r = (v: number | null): FnArg => lit(v, 'real');
export const b = (v: boolean | null): FnArg => lit(v, 'bool');
export const dyn = (v: LiteralValue): FnArg => lit(v, 'dynamic');
/** datetime literal from an ISO string (UTC). */
export const dt = (iso: string): FnArg => lit(BigInt(Date.parse(iso)) * 1000n, 'datetime');
/** timespan literal in microseconds. */
export const ts = (us: number | bigint): FnArg => lit(BigInt(us), 'timespan');
/** A non-constant argument (e.g. a column or an expression). */
export const expr = (sql: string, type: KqlScalarType): FnArg => ({ sql, type });

export function render(name: string, args: readonly FnArg[], resultType: KqlScalarType = 'bool'): string {
  const impl = duckdbDialect.functions[name];
  if (!impl) throw new Error(`no function ${name}`);
  return impl(args, { dialect: duckdbDialect, resultType, name });
}

/** Evaluates a rendered expression and returns its value as text (NULL → null), JSON values compacted. */
export async function text(con: DuckDBConnection, sql: string): Promise<string | null> {
  const res = await con.runAndReadAll(`SELECT CAST((${sql}) AS VARCHAR) AS v`);
  const v = res.getRowObjectsJson()[0]!.v;
  return v === null ? null : String(v);
}

/** Evaluates `fn(args)` and returns the value as text. */
export async function call(con: DuckDBConnection, name: string, args: readonly FnArg[], resultType: KqlScalarType = 'string'): Promise<string | null> {
  return text(con, render(name, args, resultType));
}

/** Evaluates a boolean `fn(args)`: true / false / null. */
export async function pred(con: DuckDBConnection, name: string, args: readonly FnArg[]): Promise<boolean | null> {
  const v = await text(con, render(name, args, 'bool'));
  return v === null ? null : v === 'true';
}
