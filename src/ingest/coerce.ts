/**
 * Per-type value checks for ingest: each turns an input value into the form the store appends exactly
 * (long → bigint, datetime → epoch microseconds as bigint, …) or throws `BadField` with a reason a sender
 * can act on. Stricter than the store's own coercion on purpose: a row is quarantined with a reason rather
 * than refused as part of a whole batch. Empty text is NULL for every non-string type (CSV empty cells).
 */
import type { KqlScalarType } from '../catalog/types.js';
import { parseIsoDuration } from '../core/time.js';
import { isoToMicros } from '../store/duckdb/values-in.js';

export class BadField extends Error {}

export type Coerce = (v: unknown) => unknown;

const INT_RE = /^\s*[-+]?\d+\s*$/;
const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

function show(v: unknown): string {
  if (typeof v === 'string') return v.length > 40 ? `'${v.slice(0, 37)}...'` : `'${v}'`;
  if (Array.isArray(v)) return 'an array';
  if (v !== null && typeof v === 'object') return 'an object';
  return String(v);
}

function toLong(v: unknown): bigint | null {
  if (v === '') return null;
  let b: bigint;
  if (typeof v === 'bigint') b = v;
  else if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new BadField(`expected an integer, got ${v}`);
    if (!Number.isSafeInteger(v)) throw new BadField(`${v} is beyond 2^53 and lost precision; send it as a string`);
    b = BigInt(v);
  } else if (typeof v === 'string' && INT_RE.test(v)) b = BigInt(v.trim());
  else throw new BadField(`expected an integer, got ${show(v)}`);
  if (b < I64_MIN || b > I64_MAX) throw new BadField(`${b} does not fit a 64-bit long`);
  return b;
}

function toInt(v: unknown): number | null {
  const b = toLong(v);
  if (b === null) return null;
  if (b < -2147483648n || b > 2147483647n) throw new BadField(`${b} does not fit a 32-bit int`);
  return Number(b);
}

function toReal(v: unknown): number | null {
  if (v === '') return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string') {
    const t = v.trim();
    const n = Number(t);
    if (t !== '' && !Number.isNaN(n)) return n;
    if (/^[-+]?(nan|inf(inity)?)$/i.test(t)) return t.toLowerCase().includes('nan') ? NaN : t.startsWith('-') ? -Infinity : Infinity;
  }
  throw new BadField(`expected a number, got ${show(v)}`);
}

function toBool(v: unknown): boolean | null {
  if (v === '') return null;
  if (typeof v === 'boolean') return v;
  if (v === 0 || v === 1) return v === 1;
  if (typeof v === 'string') {
    const t = v.trim().toLowerCase();
    if (t === 'true' || t === '1') return true;
    if (t === 'false' || t === '0') return false;
  }
  throw new BadField(`expected a boolean, got ${show(v)}`);
}

const dayCache = new Map<string, number>();

function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/**
 * Fast path for the form nearly every event carries, `YYYY-MM-DDTHH:MM:SS[.f{1,9}]Z`: the day part is
 * looked up in a small cache (events of a batch share a few days), the rest is read digit by digit.
 * Anything else (offsets, missing seconds, odd dates) goes to the general parser.
 */
function fastIsoMicros(s: string): bigint | null {
  const n = s.length;
  if (n < 20 || s.charCodeAt(10) !== 84 /* T */ || s.charCodeAt(n - 1) !== 90 /* Z */ || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return null;
  const day = s.slice(0, 10);
  let dayMs = dayCache.get(day);
  if (dayMs === undefined) {
    const us = isoToMicros(`${day}T00:00:00Z`);
    if (us === null) return null;
    dayMs = Number(us / 1000n);
    if (dayCache.size > 10_000) dayCache.clear();
    dayCache.set(day, dayMs);
  }
  const h = digits(s, 11, 13), mi = digits(s, 14, 16), sec = digits(s, 17, 19);
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) return null;
  let micros = 0;
  if (n > 20) {
    if (s.charCodeAt(19) !== 46 /* . */ || n - 21 > 9 || n - 21 < 1) return null;
    const frac = s.slice(20, n - 1);
    const f = digits(frac.padEnd(6, '0'), 0, 6);
    if (f < 0 || digits(frac, 0, frac.length) < 0) return null;
    micros = f;
  } else if (s.charCodeAt(19) !== 90) return null;
  return BigInt(dayMs + (h * 3600 + mi * 60 + sec) * 1000) * 1000n + BigInt(micros);
}

/** ISO 8601 text; a number is epoch milliseconds; a bigint is epoch microseconds (the store's own form). */
function toDatetime(v: unknown): bigint | null {
  if (v === '') return null;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return BigInt(Math.round(v * 1000));
  if (typeof v === 'string') {
    const us = fastIsoMicros(v) ?? isoToMicros(v);
    if (us !== null) return us;
  }
  throw new BadField(`expected an ISO 8601 date-time, got ${show(v)}`);
}

const KUSTO_TIMESPAN = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$/;

/** Microseconds: an integer is taken as microseconds; text as Kusto `[d.]hh:mm[:ss[.fffffff]]` or ISO 8601 `PT…`. */
function toTimespan(v: unknown): bigint | null {
  if (v === '') return null;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (typeof v === 'string') {
    const m = KUSTO_TIMESPAN.exec(v.trim());
    if (m) {
      const [, neg, d = '0', h, mi, s = '0', f = ''] = m;
      const us = ((BigInt(d) * 24n + BigInt(h!)) * 3600n + BigInt(mi!) * 60n + BigInt(s)) * 1_000_000n + BigInt(f.padEnd(7, '0').slice(0, 6));
      return neg ? -us : us;
    }
    try {
      return parseIsoDuration(v);
    } catch {
      // fall through to the error below
    }
  }
  throw new BadField(`expected a timespan (d.hh:mm:ss or ISO 8601 duration), got ${show(v)}`);
}

function toText(v: unknown): unknown {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  // Objects and arrays are kept as JSON text, as Kusto ingestion does for a string column.
  return v;
}

const GUID_RE = /^[{(]?[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}[)}]?$/;

function toGuid(v: unknown): string | null {
  if (v === '') return null;
  if (typeof v === 'string' && GUID_RE.test(v.trim())) return v.trim();
  throw new BadField(`expected a GUID, got ${show(v)}`);
}

function toDynamic(v: unknown): unknown {
  return v;
}

export const coerceByType: Readonly<Record<KqlScalarType, Coerce>> = {
  bool: toBool,
  datetime: toDatetime,
  decimal: toReal,
  dynamic: toDynamic,
  guid: toGuid,
  int: toInt,
  long: toLong,
  real: toReal,
  string: toText,
  timespan: toTimespan,
};
