/**
 * Coercion of JS values to DuckDB column values for bulk append. One `ColumnCoercer` per column, chosen
 * by the column's DuckDB type. A coercer returns the value for the data-chunk vector or throws `BadValue`
 * (the appender turns that into `store/bad-row` naming the row index and the column).
 *
 * Input rules (documented for callers such as ingest/ and generate/):
 * - BIGINT: bigint; safe-integer number; decimal integer string (exact, never via a double).
 * - INTEGER: integer number or string in the 32-bit range. DOUBLE: number, bigint or numeric string.
 * - BOOLEAN: boolean, 0/1, 'true'/'false' (any case).
 * - TIMESTAMP: Date; ISO 8601 string (no zone = UTC; up to 9 fraction digits, kept to the microsecond);
 *   number = epoch milliseconds (JS convention); bigint = epoch microseconds (the store's own form).
 * - JSON: objects/arrays/numbers/booleans → JSON text (bigint members exact); a string that holds a JSON
 *   object or array is stored as that JSON, any other string as a JSON string.
 * - VARCHAR: string; number/bigint/boolean → their text; Date → ISO text; objects/arrays → JSON text (as Kusto
 *   ingestion does for a string column, e.g. Defender's `AdditionalFields`). Functions/symbols are refused.
 * - For every non-text type, `''` and null/undefined are NULL.
 */
import { DuckDBTimestampValue, DuckDBTypeId, type DuckDBType } from '@duckdb/node-api';
import { jsonText } from '../../sql/dialects/duckdb/literals.js';

export class BadValue extends Error {}

export type ColumnCoercer = (v: unknown) => unknown;

const INT_RE = /^\s*[-+]?\d+\s*$/;
const BIGINT_MIN = -(2n ** 63n);
const BIGINT_MAX = 2n ** 63n - 1n;

function describe(v: unknown): string {
  if (typeof v === 'string') return v.length > 60 ? `'${v.slice(0, 57)}...'` : `'${v}'`;
  if (typeof v === 'object') return Array.isArray(v) ? 'an array' : 'an object';
  return `${typeof v} ${String(v)}`;
}

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || v === '';
}

function toBigInt(v: unknown): bigint | null {
  if (isEmpty(v)) return null;
  let out: bigint;
  if (typeof v === 'bigint') out = v;
  else if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new BadValue(`expected an integer, got ${v}`);
    if (!Number.isSafeInteger(v)) {
      throw new BadValue(`${v} is beyond 2^53 and may already have lost precision; pass it as a string or bigint`);
    }
    out = BigInt(v);
  } else if (typeof v === 'string' && INT_RE.test(v)) out = BigInt(v.trim());
  else if (typeof v === 'boolean') out = v ? 1n : 0n;
  else throw new BadValue(`expected an integer, got ${describe(v)}`);
  if (out < BIGINT_MIN || out > BIGINT_MAX) throw new BadValue(`${out} does not fit a 64-bit integer`);
  return out;
}

function toInteger(v: unknown): number | null {
  const b = toBigInt(v);
  if (b === null) return null;
  if (b < -2147483648n || b > 2147483647n) throw new BadValue(`${b} does not fit a 32-bit integer`);
  return Number(b);
}

function toDouble(v: unknown): number | null {
  if (isEmpty(v)) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string') {
    const t = v.trim();
    const n = Number(t);
    if (t !== '' && !Number.isNaN(n)) return n;
    if (/^[-+]?(nan|inf(inity)?)$/i.test(t)) return t.toLowerCase().includes('nan') ? NaN : t.startsWith('-') ? -Infinity : Infinity;
  }
  throw new BadValue(`expected a number, got ${describe(v)}`);
}

function toBoolean(v: unknown): boolean | null {
  if (isEmpty(v)) return null;
  if (typeof v === 'boolean') return v;
  if (v === 0 || v === 1 || v === 0n || v === 1n) return Number(v) === 1;
  if (typeof v === 'string') {
    const t = v.trim().toLowerCase();
    if (t === 'true' || t === '1') return true;
    if (t === 'false' || t === '0') return false;
  }
  throw new BadValue(`expected a boolean, got ${describe(v)}`);
}

const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Parses an ISO 8601 instant to epoch microseconds, keeping sub-millisecond digits. */
export function isoToMicros(text: string): bigint | null {
  const m = ISO_RE.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const month = Number(mo), day = Number(d), hour = Number(h), minute = Number(mi), second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 60) return null;
  const ms = Date.UTC(Number(y), month - 1, day, hour, minute, second);
  if (Number.isNaN(ms)) return null;
  // Date.UTC rolls 2024-02-31 over to March: refuse impossible calendar dates.
  if (new Date(ms).getUTCDate() !== day && hour < 24) return null;
  let offsetMin = 0;
  if (zone && zone.toUpperCase() !== 'Z') {
    const z = zone.replace(':', '');
    offsetMin = (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5) || '0')) * (z[0] === '-' ? -1 : 1);
  }
  const micros = BigInt(frac.padEnd(6, '0').slice(0, 6));
  return (BigInt(ms) - BigInt(offsetMin) * 60_000n) * 1000n + micros;
}

function toTimestamp(v: unknown): DuckDBTimestampValue | null {
  if (isEmpty(v)) return null;
  if (v instanceof Date) {
    const t = v.getTime();
    if (Number.isNaN(t)) throw new BadValue('expected a date-time, got an invalid Date');
    return new DuckDBTimestampValue(BigInt(t) * 1000n);
  }
  if (typeof v === 'bigint') return new DuckDBTimestampValue(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new BadValue(`expected epoch milliseconds, got ${v}`);
    return new DuckDBTimestampValue(BigInt(Math.round(v * 1000)));
  }
  if (typeof v === 'string') {
    const us = isoToMicros(v);
    if (us !== null) return new DuckDBTimestampValue(us);
  }
  throw new BadValue(`expected an ISO 8601 date-time, got ${describe(v)}`);
}

function toJson(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') {
    const t = v.trimStart();
    if (t.startsWith('{') || t.startsWith('[')) {
      try {
        JSON.parse(v);
        return v;
      } catch {
        // not JSON text after all: store it as a JSON string below
      }
    }
    return JSON.stringify(v);
  }
  if (v instanceof Date) return JSON.stringify(v.toISOString());
  if (typeof v === 'number' && !Number.isFinite(v)) return 'null';
  if (typeof v === 'function' || typeof v === 'symbol') throw new BadValue(`cannot store a ${typeof v} as JSON`);
  try {
    return jsonText(v);
  } catch (e) {
    throw new BadValue(`cannot serialise value as JSON: ${(e as Error).message}`);
  }
}

function toVarchar(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') {
    try {
      return jsonText(v);
    } catch (e) {
      throw new BadValue(`cannot store ${describe(v)} as text: ${(e as Error).message}`);
    }
  }
  throw new BadValue(`expected text, got ${typeof v}`);
}

/** The coercer for a column of `type`, or undefined when append does not support the type. */
export function coercerFor(type: DuckDBType): ColumnCoercer | undefined {
  if (type.alias === 'JSON') return toJson;
  switch (type.typeId) {
    case DuckDBTypeId.BIGINT:
      return toBigInt;
    case DuckDBTypeId.INTEGER:
      return toInteger;
    case DuckDBTypeId.DOUBLE:
      return toDouble;
    case DuckDBTypeId.BOOLEAN:
      return toBoolean;
    case DuckDBTypeId.TIMESTAMP:
      return toTimestamp;
    case DuckDBTypeId.VARCHAR:
      return toVarchar;
    default:
      return undefined;
  }
}
