/**
 * KQL type ↔ DuckDB type mapping: the one place that decides it (store and SQL both use it).
 */
import type { KqlScalarType } from '../../../catalog/types.js';

export const duckdbTypeOf: Readonly<Record<KqlScalarType, string>> = {
  bool: 'BOOLEAN',
  datetime: 'TIMESTAMP',
  decimal: 'DOUBLE',
  dynamic: 'JSON',
  guid: 'VARCHAR',
  int: 'INTEGER',
  long: 'BIGINT',
  real: 'DOUBLE',
  string: 'VARCHAR',
  timespan: 'BIGINT', // microseconds
};

/** Best-effort KQL type of a DuckDB result column type (for SQL that did not come from KQL). */
export function kqlTypeOfDuckdb(sqlType: string): KqlScalarType {
  const t = sqlType.toUpperCase();
  if (t === 'BOOLEAN') return 'bool';
  if (t.startsWith('TIMESTAMP') || t === 'DATE') return 'datetime';
  if (t === 'BIGINT' || t === 'HUGEINT' || t === 'UBIGINT' || t === 'UINTEGER') return 'long';
  if (t === 'INTEGER' || t === 'SMALLINT' || t === 'TINYINT' || t === 'USMALLINT' || t === 'UTINYINT') return 'int';
  if (t === 'DOUBLE' || t === 'FLOAT' || t.startsWith('DECIMAL')) return 'real';
  if (t === 'JSON' || t.endsWith('[]') || t.startsWith('STRUCT') || t.startsWith('MAP')) return 'dynamic';
  if (t === 'INTERVAL') return 'timespan';
  if (t === 'UUID') return 'guid';
  return 'string';
}
