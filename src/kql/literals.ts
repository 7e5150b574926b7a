/**
 * Reading KQL literal text (datetime, timespan, real, long, guid …) into Quarry's literal value model:
 * datetime → bigint epoch µs; timespan → bigint µs; long/int → bigint; real → number; dynamic → JSON value.
 * Kusto keeps 100 ns ticks; Quarry keeps microseconds (the 7th fractional digit is dropped).
 */
import { QuarryError } from '../core/errors.js';
import { parseJsonExact as parseJsonExactCore } from '../core/json.js';

const US_PER: Record<string, bigint> = {
  d: 86_400_000_000n, day: 86_400_000_000n, days: 86_400_000_000n,
  h: 3_600_000_000n, hr: 3_600_000_000n, hrs: 3_600_000_000n, hour: 3_600_000_000n, hours: 3_600_000_000n,
  m: 60_000_000n, min: 60_000_000n, mins: 60_000_000n, minute: 60_000_000n, minutes: 60_000_000n,
  s: 1_000_000n, sec: 1_000_000n, secs: 1_000_000n, second: 1_000_000n, seconds: 1_000_000n,
  ms: 1_000n, milli: 1_000n, millis: 1_000n, millisecond: 1_000n, milliseconds: 1_000n,
  microsecond: 1n, microseconds: 1n,
};

/** Multiplies a decimal string by an integer scale exactly (e.g. "1.5" × 3600000000). */
function scaleDecimal(num: string, scale: bigint): bigint {
  const neg = num.startsWith('-');
  const s = neg ? num.slice(1) : num.replace(/^\+/, '');
  const [ip = '0', fp = ''] = s.split('.');
  const denom = 10n ** BigInt(fp.length);
  const v = (BigInt(ip || '0') * denom + BigInt(fp || '0')) * scale / denom;
  return neg ? -v : v;
}

/** `d.hh:mm:ss.fffffff` / `hh:mm:ss` / `hh:mm` → µs. */
function parseClockTimespan(s: string): bigint | undefined {
  const m = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,7}))?)?$/.exec(s);
  if (!m) return undefined;
  const [, neg, d, h, mi, sec, frac] = m;
  const fracUs = frac ? BigInt((frac + '000000').slice(0, 6)) : 0n;
  const v = BigInt(d ?? 0) * US_PER.d! + BigInt(h!) * US_PER.h! + BigInt(mi!) * US_PER.m! + BigInt(sec ?? 0) * US_PER.s! + fracUs;
  return neg ? -v : v;
}

/** Parses a timespan literal: `1h`, `1.5d`, `100ms`, `2tick`, `time(1.02:03:04)`, `timespan(1d)`, `time(null)`. */
export function parseTimespanLiteral(text: string): bigint | null {
  let t = text.trim();
  const wrapped = /^(?:time|timespan)\s*\(\s*(.*?)\s*\)$/i.exec(t);
  if (wrapped) {
    t = wrapped[1]!.replace(/^["']|["']$/g, '');
    if (t.toLowerCase() === 'null' || t === '') return null;
    const clock = parseClockTimespan(t);
    if (clock !== undefined) return clock;
    if (/^-?\d+(\.\d+)?$/.test(t)) return scaleDecimal(t, US_PER.d!); // time(2) = 2 days
  }
  const m = /^(-?\d+(?:\.\d+)?)\s*([a-z]+)$/i.exec(t);
  if (m) {
    const unit = m[2]!.toLowerCase();
    if (unit === 'tick' || unit === 'ticks') return scaleDecimal(m[1]!, 1n) / 10n;
    const scale = US_PER[unit];
    if (scale !== undefined) return scaleDecimal(m[1]!, scale);
  }
  const clock = parseClockTimespan(t);
  if (clock !== undefined) return clock;
  throw new QuarryError('kql/bad-literal', `cannot read timespan literal '${text}'`);
}

const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };

function civilToMicros(y: number, mo: number, d: number, h: number, mi: number, s: number, fracUs: bigint, offsetMin = 0): bigint {
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const date = new Date(ms);
  if (Number.isNaN(ms) || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) {
    throw new QuarryError('kql/bad-literal', `invalid date ${y}-${mo}-${d}`);
  }
  // Date.UTC maps years 0-99 to 1900+; fix them.
  let adj = BigInt(ms);
  if (y >= 0 && y < 100) {
    const fixed = new Date(ms);
    fixed.setUTCFullYear(y);
    adj = BigInt(fixed.getTime());
  }
  return (adj - BigInt(offsetMin) * 60_000n) * 1000n + fracUs;
}

/** Parses the text of a datetime value as Kusto reads it (ISO 8601 forms, RFC 822/1123, `null`). */
export function parseDatetimeText(raw: string): bigint | null {
  const t = raw.trim().replace(/^["']|["']$/g, '').trim();
  if (t === '' || t.toLowerCase() === 'null') return null;
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2}|UTC|GMT)?$/i.exec(t);
  if (m) {
    const [, y, mo, d, h, mi, s, frac, tz] = m;
    const fracUs = frac ? BigInt((frac + '000000').slice(0, 6)) : 0n;
    let off = 0;
    if (tz && /^[+-]/.test(tz)) {
      const z = tz.replace(':', '');
      off = (z.startsWith('-') ? -1 : 1) * (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5)));
    }
    return civilToMicros(Number(y), Number(mo), Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0), fracUs, off);
  }
  // RFC 822 / 1123: "Sat, 8 Nov 2014 15:05:02 GMT", "8 Nov 2014 15:05"
  m = /^(?:[A-Za-z]{3},?\s+)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(GMT|UTC|Z)?$/i.exec(t);
  if (m) {
    const mo = MONTHS[m[2]!.toLowerCase()];
    if (mo) {
      let y = Number(m[3]);
      if (y < 100) y += 2000;
      return civilToMicros(y, mo, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0), 0n);
    }
  }
  // US style "MM/dd/yyyy HH:mm[:ss]" (MDTI CSV exports)
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(t);
  if (m) return civilToMicros(Number(m[3]), Number(m[1]), Number(m[2]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), 0n);
  throw new QuarryError('kql/bad-literal', `cannot read datetime '${raw}'`);
}

/** `datetime(…)` literal text → µs or null. */
export function parseDatetimeLiteral(text: string): bigint | null {
  const m = /^datetime\s*\((.*)\)$/is.exec(text.trim());
  return parseDatetimeText(m ? m[1]! : text);
}

/** `real(nan)`, `1.5`, `1e3`, `real(+inf)`, `double(null)` → number or null. */
export function parseRealLiteral(text: string): number | null {
  let t = text.trim();
  const m = /^(?:real|double|decimal)\s*\((.*)\)$/i.exec(t);
  if (m) t = m[1]!.trim();
  const lower = t.toLowerCase();
  if (lower === 'null') return null;
  if (lower === 'nan') return NaN;
  if (lower === 'inf' || lower === '+inf') return Infinity;
  if (lower === '-inf') return -Infinity;
  const n = Number(t);
  if (Number.isNaN(n)) throw new QuarryError('kql/bad-literal', `cannot read real literal '${text}'`);
  return n;
}

/** `42`, `long(42)`, `int(-3)`, `0x1F`, `long(null)` → bigint or null. */
export function parseIntegerLiteral(text: string): bigint | null {
  let t = text.trim();
  const m = /^(?:long|int)\s*\((.*)\)$/i.exec(t);
  if (m) t = m[1]!.trim();
  if (t.toLowerCase() === 'null') return null;
  if (/^[+-]?0x[0-9a-f]+$/i.test(t)) return t.startsWith('-') ? -BigInt(t.slice(1)) : BigInt(t.replace(/^\+/, ''));
  if (/^[+-]?\d+$/.test(t)) return BigInt(t);
  throw new QuarryError('kql/bad-literal', `cannot read integer literal '${text}'`);
}

export function parseBoolLiteral(text: string): boolean | null {
  let t = text.trim();
  const m = /^(?:bool|boolean)\s*\((.*)\)$/i.exec(t);
  if (m) t = m[1]!.trim();
  const l = t.toLowerCase();
  if (l === 'null') return null;
  if (l === 'true' || l === '1') return true;
  if (l === 'false' || l === '0') return false;
  throw new QuarryError('kql/bad-literal', `cannot read bool literal '${text}'`);
}

export function parseGuidLiteral(text: string): string | null {
  const m = /^guid\s*\((.*)\)$/i.exec(text.trim());
  const t = (m ? m[1]! : text).trim().replace(/^["']|["']$/g, '');
  if (t.toLowerCase() === 'null') return null;
  return t.toLowerCase();
}

/** Rewrites KQL's single-quoted dynamic strings (`['a', "b"]`) as JSON strings. */
function singleToDoubleQuotes(text: string): string {
  return text.replace(/"(?:[^"\\]|\\.)*"|'((?:[^'\\]|\\.)*)'/g, (all, single: string | undefined) => {
    if (single === undefined) return all;
    return JSON.stringify(single.replace(/\\'/g, "'").replace(/\\(.)/g, '$1'));
  });
}

/** Parses JSON (or KQL's dynamic literal text with single quotes) keeping integers beyond 2^53 exact (as bigint). */
export function parseJsonExact(text: string): unknown {
  return parseJsonExactCore(singleToDoubleQuotes(text));
}
