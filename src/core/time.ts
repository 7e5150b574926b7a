/**
 * Time helpers. Quarry stores datetimes as UTC microseconds; Kusto shows them with 7 fractional digits.
 */
import { QuarryError } from './errors.js';

const US_PER_DAY = 86_400_000_000;
/** `YYYY-MM-DDT` of the last day formatted: result rows are mostly from a few days. */
let lastDay = NaN;
let lastDayText = '';

function dayPrefix(day: number): string {
  if (day === lastDay) return lastDayText;
  const iso = new Date(day * 86_400_000).toISOString();
  lastDay = day;
  lastDayText = iso.slice(0, 11);
  return lastDayText;
}

const pad2 = (n: number) => (n < 10 ? '0' : '') + n;

/** Formats epoch microseconds as Kusto does: `2024-01-02T03:04:05.1234560Z`. */
export function formatKustoDatetime(micros: bigint): string {
  // Arithmetic in doubles is exact here: |µs| < 2^53 covers years ±285 from 1970, and Kusto's range
  // (years 1–9999) is handled by the Date path below.
  const us = Number(micros);
  if (!Number.isSafeInteger(us) || us < -62_135_596_800_000_000 || us > 253_402_300_799_999_999) return formatSlow(micros);
  const day = Math.floor(us / US_PER_DAY);
  let rest = us - day * US_PER_DAY;
  const h = Math.floor(rest / 3_600_000_000);
  rest -= h * 3_600_000_000;
  const m = Math.floor(rest / 60_000_000);
  rest -= m * 60_000_000;
  const sec = Math.floor(rest / 1_000_000);
  const frac = rest - sec * 1_000_000;
  const prefix = dayPrefix(day);
  if (prefix.length !== 11) return formatSlow(micros);
  return `${prefix}${pad2(h)}:${pad2(m)}:${pad2(sec)}.${String(frac).padStart(6, '0')}0Z`;
}

function formatSlow(micros: bigint): string {
  const ms = micros / 1000n;
  let subMs = micros % 1000n;
  let msNum = Number(ms);
  if (subMs < 0n) {
    subMs += 1000n;
    msNum -= 1;
  }
  const d = new Date(msNum);
  if (Number.isNaN(d.getTime())) return '';
  const iso = d.toISOString(); // 2024-01-02T03:04:05.123Z
  const base = iso.slice(0, 19);
  const frac = iso.slice(20, 23) + subMs.toString().padStart(3, '0') + '0';
  const year = d.getUTCFullYear();
  if (year < 0 || year > 9999) return iso;
  return `${base}.${frac}Z`;
}

/** Parses an ISO 8601 duration (`P30D`, `PT1H30M`, `P1DT2H`) to microseconds. */
export function parseIsoDuration(text: string): bigint {
  const m = /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(text.trim());
  if (!m || text.trim().toUpperCase() === 'P' || /T$/i.test(text.trim())) {
    throw new QuarryError('hunt/bad-timespan', `'${text}' is not an ISO 8601 duration such as P30D or PT1H`);
  }
  const [, w, d, h, mi, s] = m;
  const sec = (Number(w ?? 0) * 7 * 86400) + Number(d ?? 0) * 86400 + Number(h ?? 0) * 3600 + Number(mi ?? 0) * 60 + Number(s ?? 0);
  return BigInt(Math.round(sec * 1e6));
}

export function dateToMicros(d: Date): bigint {
  return BigInt(d.getTime()) * 1000n;
}

export function microsToDate(us: bigint): Date {
  return new Date(Number(us / 1000n));
}

/** Parses an ISO 8601 instant strictly; throws `core/bad-argument` otherwise. */
export function parseInstant(text: string, what = 'time'): Date {
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) throw new QuarryError('core/bad-argument', `${what}: '${text}' is not an ISO 8601 date-time`);
  return d;
}
