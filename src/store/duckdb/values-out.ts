/**
 * The one converter from DuckDB result values to the JS values documented in `store/store.ts`.
 * Everything that reads rows out of DuckDB goes through `convertValue`.
 */
import {
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBIntervalValue,
  DuckDBListValue,
  DuckDBArrayValue,
  DuckDBMapValue,
  DuckDBStructValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBUnionValue,
  DuckDBBlobValue,
  DuckDBTypeId,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';

const MICROS_PER_DAY = 86_400_000_000n;

/** SQL type name of a result column: JSON keeps its alias (DuckDB reports it as an aliased VARCHAR). */
export function sqlTypeName(type: DuckDBType): string {
  return type.alias ?? type.toString();
}

/** Interval → microseconds. Months count as 30 days, as Kusto timespans have no calendar months. */
function intervalMicros(v: DuckDBIntervalValue): bigint {
  return BigInt(v.months) * 30n * MICROS_PER_DAY + BigInt(v.days) * MICROS_PER_DAY + v.micros;
}

export function convertValue(value: DuckDBValue): unknown {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'boolean':
    case 'string':
    case 'bigint':
      return value;
    case 'number':
      return value;
  }
  if (value instanceof DuckDBTimestampValue || value instanceof DuckDBTimestampTZValue) return value.micros;
  if (value instanceof DuckDBTimestampMillisecondsValue) return value.millis * 1000n;
  if (value instanceof DuckDBTimestampSecondsValue) return value.seconds * 1_000_000n;
  if (value instanceof DuckDBTimestampNanosecondsValue) return value.nanos / 1000n;
  if (value instanceof DuckDBDateValue) return BigInt(value.days) * MICROS_PER_DAY;
  if (value instanceof DuckDBIntervalValue) return intervalMicros(value);
  if (value instanceof DuckDBDecimalValue) return value.toDouble();
  if (value instanceof DuckDBListValue || value instanceof DuckDBArrayValue) return value.items.map(convertValue);
  if (value instanceof DuckDBStructValue) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value.entries)) out[k] = convertValue(v);
    return out;
  }
  if (value instanceof DuckDBMapValue) {
    const out: Record<string, unknown> = {};
    for (const e of value.entries) out[String(convertValue(e.key))] = convertValue(e.value);
    return out;
  }
  if (value instanceof DuckDBUnionValue) return convertValue(value.value);
  if (value instanceof DuckDBBlobValue) return Buffer.from(value.bytes).toString('base64');
  // UUID, TIME, BIT, ENUM-like and anything newer: their text form.
  return String(value);
}

/** True for type ids whose values are JS primitives already (the fast path skips `convertValue`). */
export function isPrimitiveType(type: DuckDBType): boolean {
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
    case DuckDBTypeId.VARCHAR:
      return true;
    default:
      return false;
  }
}
