/**
 * Literal rendering and the KQL type ↔ ClickHouse type mapping for the ClickHouse dialect.
 * ClickHouse string literals use backslash escapes, so backslashes and quotes are both escaped here;
 * user text only reaches SQL through `sqlString`.
 */
import type { KqlScalarType } from '../../../catalog/types.js';
import { QuarryError } from '../../../core/errors.js';
import type { LiteralValue } from '../../dialect.js';

export function quoteIdentifier(name: string): string {
  if (name.includes('\u0000')) throw new QuarryError('kql/bad-literal', 'identifiers cannot contain NUL characters');
  return '"' + name.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';
}

export function sqlString(s: string): string {
  return "'" + s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\u0000/g, '\\0') + "'";
}

/** JSON text of a dynamic value; bigint members are written as exact integers. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `__BIGINT__${v.toString()}__` : v))
    .replace(/"__BIGINT__(-?\d+)__"/g, '$1');
}

/** Column types of values (non-null where Kusto never has null: strings; nullable elsewhere). */
export const clickhouseBaseType: Readonly<Record<KqlScalarType, string>> = {
  bool: 'Bool',
  datetime: "DateTime64(6, 'UTC')",
  decimal: 'Float64',
  dynamic: 'String',
  guid: 'String',
  int: 'Int32',
  long: 'Int64',
  real: 'Float64',
  string: 'String',
  timespan: 'Int64', // microseconds
};

/** The type used in CASTs: every KQL value may be null inside a query. */
export const nullableType = (t: KqlScalarType): string => `Nullable(${clickhouseBaseType[t]})`;

export function int64Sql(v: bigint): string {
  const abs = v < 0n ? -v : v;
  return abs < 2n ** 53n ? `toInt64(${v.toString()})` : `toInt64('${v.toString()}')`;
}

export const microsToDatetime = (sql: string): string => `fromUnixTimestamp64Micro(${sql}, 'UTC')`;

export function renderLiteral(value: LiteralValue, type: KqlScalarType): string {
  if (value === null || value === undefined) return `CAST(NULL AS ${nullableType(type)})`;
  switch (type) {
    case 'string':
    case 'guid':
      return sqlString(String(value));
    case 'long':
    case 'timespan':
      return int64Sql(BigInt(value as bigint | number));
    case 'int':
      return `toInt32(${BigInt(value as bigint | number).toString()})`;
    case 'real':
    case 'decimal': {
      const n = Number(value);
      if (Number.isNaN(n)) return 'nan';
      if (n === Infinity) return 'inf';
      if (n === -Infinity) return '-inf';
      return `toFloat64(${Number.isInteger(n) ? n.toFixed(1) : String(n)})`;
    }
    case 'bool':
      return value ? 'true' : 'false';
    case 'datetime':
      return microsToDatetime(int64Sql(BigInt(value as bigint | number)));
    case 'dynamic':
      return sqlString(jsonText(value));
  }
}
