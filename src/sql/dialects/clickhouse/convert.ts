/**
 * Value conversions with Kusto's rules as ClickHouse SQL: text renderings (datetime
 * `yyyy-MM-ddTHH:mm:ss[.fffffff]Z`, timespan `[-][d.]hh:mm:ss[.fffffff]`, dynamic strings unquoted) and
 * parsing (unparseable → null). Dynamic values are JSON text (`String`).
 */
import type { KqlScalarType } from '../../../catalog/types.js';
import type { FnArg } from '../../dialect.js';
import { microsToDatetime } from './literals.js';

export const isIntegerType = (t: KqlScalarType): boolean => t === 'long' || t === 'int';
export const isNumericType = (t: KqlScalarType): boolean => t === 'long' || t === 'int' || t === 'real' || t === 'decimal';
export const isStringy = (t: KqlScalarType): boolean => t === 'string' || t === 'guid';

/** A JSON value's text as Kusto's tostring gives it (strings unquoted; null → NULL). */
export const dynText = (j: string): string =>
  `if(JSONType(coalesce(${j}, 'null')) IN ('Null'), NULL, if(JSONType(${j}) = 'String', JSONExtractString(${j}), ${j}))`;

function datetimeText(d: string): string {
  const frac = `toUnixTimestamp64Micro(${d}) % 1000000`;
  return `if(${d} IS NULL, NULL, concat(formatDateTime(${d}, '%Y-%m-%dT%H:%i:%S', 'UTC'), '.', leftPad(toString((${frac} + 1000000) % 1000000), 6, '0'), '0', 'Z'))`;
}

export function timespanText(us: string): string {
  const a = `abs(${us})`;
  const days = `intDiv(${a}, 86400000000)`;
  const hms = `concat(leftPad(toString(intDiv(${a}, 3600000000) % 24), 2, '0'), ':', leftPad(toString(intDiv(${a}, 60000000) % 60), 2, '0'), ':', leftPad(toString(intDiv(${a}, 1000000) % 60), 2, '0'))`;
  const frac = `if(${a} % 1000000 = 0, '', concat('.', leftPad(toString(${a} % 1000000), 6, '0'), '0'))`;
  return `if(${us} IS NULL, NULL, concat(if(${us} < 0, '-', ''), if(${days} > 0, concat(toString(${days}), '.'), ''), ${hms}, ${frac}))`;
}

/** A non-string value as nullable text (Kusto's tostring before the null → "" rule). */
export function toStringNullable(a: FnArg): string {
  switch (a.type) {
    case 'string':
    case 'guid':
      return a.sql;
    case 'bool':
      return `if(${a.sql}, 'true', 'false')`;
    case 'datetime':
      return datetimeText(a.sql);
    case 'timespan':
      return timespanText(a.sql);
    case 'dynamic':
      return dynText(a.sql);
    case 'real':
    case 'decimal':
      return `multiIf(isNaN(${a.sql}), 'NaN', ${a.sql} = inf, '∞', ${a.sql} = -inf, '-∞', toString(${a.sql}))`;
    default:
      return `toString(${a.sql})`;
  }
}

export const toStringSql = (a: FnArg): string => `coalesce(${toStringNullable(a)}, '')`;

export function toRealSql(a: FnArg): string {
  switch (a.type) {
    case 'real': case 'decimal': return a.sql;
    case 'long': case 'int': case 'timespan': return `toFloat64(${a.sql})`;
    case 'bool': return `toFloat64(toUInt8(${a.sql}))`;
    case 'datetime': return `toFloat64(toUnixTimestamp64Micro(${a.sql}) * 10)`;
    case 'dynamic': return `toFloat64OrNull(${dynText(a.sql)})`;
    default: return `toFloat64OrNull(trim(BOTH ' ' FROM ${a.sql}))`;
  }
}

export function toLongSql(a: FnArg): string {
  switch (a.type) {
    case 'long': case 'timespan': return a.sql;
    case 'int': return `toInt64(${a.sql})`;
    case 'real': case 'decimal': return `if(isFinite(${a.sql}), toInt64(trunc(${a.sql})), NULL)`;
    case 'bool': return `toInt64(toUInt8(${a.sql}))`;
    case 'datetime': return `toUnixTimestamp64Micro(${a.sql}) * 10`;
    case 'dynamic': return `toInt64OrNull(${dynText(a.sql)})`;
    default: return `coalesce(toInt64OrNull(trim(BOTH ' ' FROM ${a.sql})), toInt64OrNull(toString(trunc(toFloat64OrNull(trim(BOTH ' ' FROM ${a.sql}))))))`;
  }
}

export function toBoolSql(a: FnArg): string {
  switch (a.type) {
    case 'bool': return a.sql;
    case 'long': case 'int': case 'real': case 'decimal': return `(${a.sql} != 0)`;
    case 'dynamic': return toBoolSql({ sql: dynText(a.sql), type: 'string' });
    default: return `multiIf(lower(trim(BOTH ' ' FROM ${a.sql})) = 'true', true, lower(trim(BOTH ' ' FROM ${a.sql})) = 'false', false, toInt64OrNull(${a.sql}) IS NOT NULL, toInt64OrNull(${a.sql}) != 0, NULL)`;
  }
}

/** Text → datetime: ISO 8601 (offset converted to UTC) or what parseDateTime64BestEffort reads. */
export function toDatetimeSql(a: FnArg): string {
  switch (a.type) {
    case 'datetime': return a.sql;
    case 'long': return microsToDatetime(`intDiv(${a.sql}, 10)`);
    case 'dynamic': return toDatetimeSql({ sql: dynText(a.sql), type: 'string' });
    case 'string': case 'guid':
      return `if(empty(trim(BOTH ' ' FROM coalesce(${a.sql}, ''))), NULL, parseDateTime64BestEffortOrNull(${a.sql}, 6, 'UTC'))`;
    default: return `CAST(NULL AS Nullable(DateTime64(6, 'UTC')))`;
  }
}

/** Text → timespan microseconds: `[-][d.]hh:mm[:ss[.f]]` or `<n><unit>` (d, h, m, s, ms). */
export function toTimespanSql(a: FnArg): string {
  switch (a.type) {
    case 'timespan': return a.sql;
    case 'long': case 'int': return `intDiv(toInt64(${a.sql}), 10)`;
    case 'real': case 'decimal': return `toInt64(round(${a.sql} / 10))`;
    case 'dynamic': return toTimespanSql({ sql: dynText(a.sql), type: 'string' });
    case 'string': case 'guid': {
      const s = `trim(BOTH ' ' FROM ${a.sql})`;
      const g = (i: number) => `extractGroups(${s}, '^(-?)(?:(\\\\d+)\\\\.)?(\\\\d{1,2}):(\\\\d{2})(?::(\\\\d{2})(?:\\\\.(\\\\d{1,7}))?)?$')[${i}]`;
      const clock = `if(${g(4)} = '', NULL, (if(${g(1)} = '-', -1, 1) * ((toInt64OrZero(${g(2)}) * 86400 + toInt64(${g(3)}) * 3600 + toInt64(${g(4)}) * 60 + toInt64OrZero(${g(5)})) * 1000000 + intDiv(toInt64OrZero(rightPad(${g(6)}, 7, '0')), 10))))`;
      const u = (i: number) => `extractGroups(${s}, '^(-?[0-9.]+)(d|h|m|s|ms|microsecond|tick)$')[${i}]`;
      const unit = `toInt64(round(toFloat64OrNull(${u(1)}) * multiIf(${u(2)} = 'd', 86400000000, ${u(2)} = 'h', 3600000000, ${u(2)} = 'm', 60000000, ${u(2)} = 's', 1000000, ${u(2)} = 'ms', 1000, ${u(2)} = 'microsecond', 1, 0.1)))`;
      return `if(${a.sql} IS NULL, NULL, coalesce(${clock}, if(${u(2)} = '', NULL, ${unit})))`;
    }
    default: return `CAST(NULL AS Nullable(Int64))`;
  }
}

/** A scalar as a JSON value (Kusto keeps datetimes and timespans as their text inside dynamic). */
export function jsonOf(a: FnArg): string {
  switch (a.type) {
    case 'dynamic': return `coalesce(${a.sql}, 'null')`;
    case 'string': case 'guid': return `toJSONString(coalesce(${a.sql}, ''))`;
    case 'datetime': case 'timespan': return `if(${a.sql} IS NULL, 'null', toJSONString(${toStringNullable(a)}))`;
    case 'bool': return `multiIf(${a.sql} IS NULL, 'null', ${a.sql}, 'true', 'false')`;
    case 'real': case 'decimal': return `multiIf(${a.sql} IS NULL, 'null', isFinite(${a.sql}), toString(${a.sql}), toJSONString(toString(${a.sql})))`;
    default: return `if(${a.sql} IS NULL, 'null', toString(${a.sql}))`;
  }
}
