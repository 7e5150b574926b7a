/**
 * Comparing a query result with a case's expectation. Values follow the `runHuntingQuery` JSON
 * encoding `runKql` produces: long → bigint, int → number, real → number or "NaN"/"Infinity"/
 * "-Infinity", bool → boolean, datetime → ISO UTC with 7 fractional digits, timespan →
 * `[-][d.]hh:mm:ss[.fffffff]`, dynamic → parsed JSON, guid/string → string (string null → "").
 */
import type { KqlScalarType } from '../../src/catalog/types.js';
import type { CaseColumn } from './case-file.js';
import { isExactNumber, toPlainJson, type ExactJson } from './exact-json.js';

export const REAL_RELATIVE_TOLERANCE = 1e-9;
/** Absolute floor so that 0 and 1e-17 count as equal (relative error is meaningless around 0). */
export const REAL_ABSOLUTE_FLOOR = 1e-15;

const datetimeWireRe = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/;
const timespanWireRe = /^-?(?:\d+\.)?\d{2}:\d{2}:\d{2}(?:\.\d{7})?$/;

/** 100-ns ticks since the Unix epoch of an ISO-like instant; accepts up to 7 fractional digits. */
export function datetimeTicks(s: string): bigint {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?(Z|[+-]00:?00)?$/.exec(s);
  if (!m) throw new Error(`not an ISO 8601 UTC datetime: ${JSON.stringify(s)}`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
  const back = new Date(ms);
  if (Number.isNaN(ms) || back.getUTCMonth() !== Number(m[2]) - 1 || back.getUTCDate() !== Number(m[3])
    || Number(m[4] ?? 0) > 23 || Number(m[5] ?? 0) > 59 || Number(m[6] ?? 0) > 59) {
    throw new Error(`invalid datetime ${JSON.stringify(s)}`);
  }
  return BigInt(ms) * 10_000n + BigInt((m[7] ?? '').padEnd(7, '0'));
}

/** 100-ns ticks of a Kusto timespan string `[-][d.]hh:mm:ss[.fffffff]`. */
export function timespanTicks(s: string): bigint {
  const m = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?$/.exec(s);
  if (!m) throw new Error(`not a Kusto timespan [-][d.]hh:mm:ss[.fffffff]: ${JSON.stringify(s)}`);
  const secs = ((BigInt(m[2] ?? 0) * 24n + BigInt(m[3]!)) * 60n + BigInt(m[4]!)) * 60n + BigInt(m[5]!);
  const t = secs * 10_000_000n + BigInt((m[6] ?? '').padEnd(7, '0'));
  return m[1] ? -t : t;
}

/** The expected value in the same encoding as the actual one, or a thrown Error if the case is ill-typed. */
export function decodeExpected(type: KqlScalarType, v: ExactJson): unknown {
  if (v === null) {
    if (type === 'string') throw new Error('string values are never null in Kusto results: write ""');
    return null;
  }
  switch (type) {
    case 'long':
      if (!isExactNumber(v) || !/^-?\d+$/.test(v.text)) throw new Error(`long value must be an integer, got ${show(v)}`);
      return BigInt(v.text);
    case 'int':
      if (!isExactNumber(v) || !/^-?\d+$/.test(v.text)) throw new Error(`int value must be an integer, got ${show(v)}`);
      return Number(v.text);
    case 'real':
    case 'decimal':
      if (isExactNumber(v)) return Number(v.text);
      if (v === 'NaN' || v === 'Infinity' || v === '-Infinity') return v;
      throw new Error(`real value must be a number or "NaN"/"Infinity"/"-Infinity", got ${show(v)}`);
    case 'bool':
      if (typeof v !== 'boolean') throw new Error(`bool value must be true/false, got ${show(v)}`);
      return v;
    case 'datetime':
      if (typeof v !== 'string') throw new Error(`datetime value must be an ISO string, got ${show(v)}`);
      datetimeTicks(v);
      return v;
    case 'timespan':
      if (typeof v !== 'string') throw new Error(`timespan value must be a [d.]hh:mm:ss string, got ${show(v)}`);
      timespanTicks(v);
      return v;
    case 'string':
    case 'guid':
      if (typeof v !== 'string') throw new Error(`${type} value must be a JSON string, got ${show(v)}`);
      return v;
    case 'dynamic':
      return toPlainJson(v);
  }
}

function show(v: unknown): string {
  if (isExactNumber(v)) return v.text;
  return typeof v === 'bigint' ? `${v}n` : JSON.stringify(v);
}

function realEqual(a: number, b: number): boolean {
  if (a === b) return true;
  const diff = Math.abs(a - b);
  return diff <= Math.max(REAL_ABSOLUTE_FLOOR, REAL_RELATIVE_TOLERANCE * Math.max(Math.abs(a), Math.abs(b)));
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return typeof v === 'bigint' ? v.toString() : JSON.stringify(v);
}

/** Deep equality of dynamic values; numbers with the real tolerance; arrays as multisets on request. */
export function dynamicEqual(expected: unknown, actual: unknown, unorderedArrays: boolean): boolean {
  if (typeof expected === 'number' && (typeof actual === 'number' || typeof actual === 'bigint')) {
    return realEqual(expected, Number(actual));
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return false;
    if (!unorderedArrays) return expected.every((e, i) => dynamicEqual(e, actual[i], unorderedArrays));
    const used = new Array<boolean>(actual.length).fill(false);
    return expected.every((e) => {
      const j = actual.findIndex((a, k) => !used[k] && dynamicEqual(e, a, unorderedArrays));
      if (j < 0) return false;
      used[j] = true;
      return true;
    });
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    const ek = Object.keys(expected).sort();
    const ak = Object.keys(actual).sort();
    return ek.length === ak.length && ek.every((k, i) => k === ak[i]
      && dynamicEqual((expected as Record<string, unknown>)[k], (actual as Record<string, unknown>)[k], unorderedArrays));
  }
  return expected === actual;
}

/** Why an actual value is not in the wire encoding of its type, or null when it is. */
export function encodingProblem(type: KqlScalarType, actual: unknown): string | null {
  if (actual === null) return type === 'string' ? 'string null must come back as ""' : null;
  const bad = (what: string) => `${type} must be ${what}, got ${show(actual)} (${typeof actual})`;
  switch (type) {
    case 'long': return typeof actual === 'bigint' ? null : bad('a bigint');
    case 'int': return typeof actual === 'number' && Number.isInteger(actual) ? null : bad('an integer number');
    case 'real':
    case 'decimal':
      return (typeof actual === 'number' && Number.isFinite(actual)) || actual === 'NaN' || actual === 'Infinity' || actual === '-Infinity'
        ? null : bad('a finite number or "NaN"/"Infinity"/"-Infinity"');
    case 'bool': return typeof actual === 'boolean' ? null : bad('a boolean');
    case 'datetime': return typeof actual === 'string' && datetimeWireRe.test(actual) ? null : bad('yyyy-MM-ddTHH:mm:ss.fffffffZ');
    case 'timespan': return typeof actual === 'string' && timespanWireRe.test(actual) ? null : bad('[-][d.]hh:mm:ss[.fffffff]');
    case 'string':
    case 'guid': return typeof actual === 'string' ? null : bad('a string');
    case 'dynamic': return typeof actual === 'string' && /^\s*[[{]/.test(actual) ? bad('parsed JSON, not JSON text') : null;
  }
}

export function valueEqual(type: KqlScalarType, expected: unknown, actual: unknown, unorderedArrays: boolean): boolean {
  if (expected === null || actual === null) return expected === actual;
  switch (type) {
    case 'long': return typeof actual === 'bigint' && actual === expected;
    case 'real':
    case 'decimal':
      if (typeof expected === 'string' || typeof actual === 'string') return expected === actual;
      return typeof actual === 'number' && realEqual(expected as number, actual);
    case 'datetime':
      try { return datetimeTicks(actual as string) === datetimeTicks(expected as string); } catch { return false; }
    case 'timespan':
      try { return timespanTicks(actual as string) === timespanTicks(expected as string); } catch { return false; }
    case 'guid': return typeof actual === 'string' && actual.toLowerCase() === (expected as string).toLowerCase();
    case 'dynamic': return dynamicEqual(expected, actual, unorderedArrays);
    default: return expected === actual;
  }
}

export interface RowsComparison {
  readonly ok: boolean;
  readonly problems: readonly string[];
}

/**
 * Compares rows. Unordered: each expected row is matched with a distinct equal actual row (greedy;
 * fine for the small results of conformance cases).
 */
export function compareRows(
  columns: readonly CaseColumn[], expected: readonly (readonly unknown[])[], actual: readonly (readonly unknown[])[],
  opts: { ordered: boolean; unorderedArrays: boolean },
): RowsComparison {
  const problems: string[] = [];
  actual.forEach((row, r) => columns.forEach((c, i) => {
    const p = encodingProblem(c.type, row[i]);
    if (p) problems.push(`row ${r}, column ${c.name}: ${p}`);
  }));
  const rowEqual = (e: readonly unknown[], a: readonly unknown[]) =>
    columns.every((c, i) => valueEqual(c.type, e[i], a[i], opts.unorderedArrays));
  if (expected.length !== actual.length) problems.push(`expected ${expected.length} rows, got ${actual.length}`);
  if (opts.ordered) {
    expected.forEach((e, r) => {
      const a = actual[r];
      if (a && !rowEqual(e, a)) problems.push(`row ${r} differs: expected ${canonical(e)}, got ${canonical(a)}`);
    });
  } else {
    const used = new Array<boolean>(actual.length).fill(false);
    for (const e of expected) {
      const j = actual.findIndex((a, k) => !used[k] && rowEqual(e, a));
      if (j < 0) problems.push(`no actual row matches expected ${canonical(e)}`);
      else used[j] = true;
    }
    actual.forEach((a, k) => {
      if (!used[k] && expected.length === actual.length) problems.push(`unexpected actual row ${canonical(a)}`);
    });
  }
  return { ok: problems.length === 0, problems };
}

export function formatRows(rows: readonly (readonly unknown[])[]): string {
  return rows.length === 0 ? '  (no rows)' : rows.map((r) => `  ${canonical(r)}`).join('\n');
}
