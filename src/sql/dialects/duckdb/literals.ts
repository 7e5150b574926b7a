/**
 * Literal rendering for DuckDB. User text only ever reaches SQL through these functions.
 */
import type { KqlScalarType } from '../../../catalog/types.js';
import { QuarryError } from '../../../core/errors.js';
import type { LiteralValue } from '../../dialect.js';

export function quoteIdentifier(name: string): string {
  if (name.includes('\u0000')) throw new QuarryError('kql/bad-literal', 'identifiers cannot contain NUL characters');
  return '"' + name.replace(/"/g, '""') + '"';
}

/** A SQL string literal; DuckDB standard strings treat backslash literally, so only quotes need doubling. */
export function sqlString(s: string): string {
  if (s.includes('\u0000')) {
    // NUL cannot appear inside a DuckDB string literal; build it with chr(0).
    return '(' + s.split('\u0000').map(sqlString).join(' || chr(0) || ') + ')';
  }
  return "'" + s.replace(/'/g, "''") + "'";
}

/** JSON text of a dynamic value; bigint members are written as exact integers. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `__BIGINT__${v.toString()}__` : v))
    .replace(/"__BIGINT__(-?\d+)__"/g, '$1');
}

function microsToTimestampSql(us: bigint): string {
  return `make_timestamp(${us.toString()}::BIGINT)`;
}

export function renderLiteral(value: LiteralValue, type: KqlScalarType): string {
  if (value === null || value === undefined) return `CAST(NULL AS ${nullType(type)})`;
  switch (type) {
    case 'string':
    case 'guid':
      return sqlString(String(value));
    case 'long':
      return `CAST(${BigInt(value as bigint | number).toString()} AS BIGINT)`;
    case 'int':
      return `CAST(${BigInt(value as bigint | number).toString()} AS INTEGER)`;
    case 'real':
    case 'decimal': {
      const n = Number(value);
      if (Number.isNaN(n)) return "CAST('NaN' AS DOUBLE)";
      if (n === Infinity) return "CAST('Infinity' AS DOUBLE)";
      if (n === -Infinity) return "CAST('-Infinity' AS DOUBLE)";
      const text = Number.isInteger(n) ? n.toFixed(1) : String(n);
      return `CAST(${text} AS DOUBLE)`;
    }
    case 'bool':
      return value ? 'TRUE' : 'FALSE';
    case 'datetime':
      return microsToTimestampSql(BigInt(value as bigint | number));
    case 'timespan':
      return `CAST(${BigInt(value as bigint | number).toString()} AS BIGINT)`;
    case 'dynamic':
      return `CAST(${sqlString(jsonText(value))} AS JSON)`;
  }
}

function nullType(type: KqlScalarType): string {
  switch (type) {
    case 'string': case 'guid': return 'VARCHAR';
    case 'long': case 'timespan': return 'BIGINT';
    case 'int': return 'INTEGER';
    case 'real': case 'decimal': return 'DOUBLE';
    case 'bool': return 'BOOLEAN';
    case 'datetime': return 'TIMESTAMP';
    case 'dynamic': return 'JSON';
  }
}
