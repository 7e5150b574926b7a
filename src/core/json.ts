/**
 * JSON with exact 64-bit integers, both ways. Kusto `long` values (ReportId, process ids, …) can exceed 2^53,
 * which a JS double cannot hold.
 *
 * Writing: `bigint` values are written as plain JSON numbers
 * (never through a lossy double), as Kusto's `long` values must be.
 */
export function stringifyExact(value: unknown, space?: number): string {
  const marker = '\u0000BIGINT:';
  const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? marker + v.toString() : v), space);
  if (text === undefined) return 'null';
  return text.replace(/"\\u0000BIGINT:(-?\d+)"/g, '$1');
}

/*
 * Reading: plain `JSON.parse` first (a scan of the parsed values is much cheaper than a scan of the text); only
 * when it produced an integer beyond 2^53 is the text parsed again with such integer tokens (outside strings)
 * quoted with a marker and revived as bigint.
 */
const MARK = '\u0001qbig:';
const LONG_DIGITS = /\d{16}/;

function protect(text: string): string {
  let out = '';
  let last = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92) i++;
      else if (ch === 34) inString = false;
      continue;
    }
    if (ch === 34) {
      inString = true;
      continue;
    }
    if (ch === 45 || (ch >= 48 && ch <= 57)) {
      let j = i + 1;
      while (j < text.length && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
      const next = text[j];
      const digits = j - i - (ch === 45 ? 1 : 0);
      if (digits > 15 && next !== '.' && next !== 'e' && next !== 'E') {
        out += text.slice(last, i) + '"\\u0001qbig:' + text.slice(i, j) + '"';
        last = j;
      }
      i = j - 1;
    }
  }
  return last === 0 ? text : out + text.slice(last);
}

function revive(_key: string, value: unknown): unknown {
  if (typeof value === 'string' && value.startsWith(MARK)) {
    const n = BigInt(value.slice(MARK.length));
    return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
  }
  return value;
}

/** True when some number in `v` is an integer beyond 2^53 (so `JSON.parse` may have rounded it). */
function hasUnsafeInteger(v: unknown, depth = 0): boolean {
  if (typeof v === 'number') return !Number.isSafeInteger(v) && Number.isInteger(v);
  if (v === null || typeof v !== 'object' || depth > 64) return false;
  if (Array.isArray(v)) {
    for (const x of v) if (hasUnsafeInteger(x, depth + 1)) return true;
    return false;
  }
  for (const k in v as Record<string, unknown>) if (hasUnsafeInteger((v as Record<string, unknown>)[k], depth + 1)) return true;
  return false;
}

/**
 * Parses JSON text; throws SyntaxError like `JSON.parse`. Plain `JSON.parse` first (a scan of the parsed
 * values is much cheaper than a scan of the text); only when it produced an integer beyond 2^53 is the text
 * parsed again with such tokens kept exact.
 */
export function parseJsonExact(text: string): unknown {
  const v: unknown = JSON.parse(text);
  if (!hasUnsafeInteger(v) || !LONG_DIGITS.test(text)) return v;
  const p = protect(text);
  return p === text ? v : JSON.parse(p, revive);
}

