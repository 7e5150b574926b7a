/**
 * JSON parsing that keeps integers beyond 2^53 exact: such literals become `bigint` instead of a rounded
 * double (Node 20's JSON.parse has no access to the source text). Integer tokens outside strings with more
 * than 15 digits are rewritten to a marker string first, then revived as bigint.
 */
const MARK = '\u0000qbig:';

function protectBigIntegers(text: string): string {
  let out = '';
  let last = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92 /* \ */) i++;
      else if (ch === 34 /* " */) inString = false;
      continue;
    }
    if (ch === 34) {
      inString = true;
      continue;
    }
    if (ch === 45 /* - */ || (ch >= 48 && ch <= 57)) {
      let j = i + 1;
      while (j < text.length && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
      const next = text[j];
      const digits = j - i - (ch === 45 ? 1 : 0);
      if (digits > 15 && next !== '.' && next !== 'e' && next !== 'E') {
        out += text.slice(last, i) + '"' + MARK.replace('\u0000', '\\u0000') + text.slice(i, j) + '"';
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
    // Integers that still fit a double exactly stay numbers.
    return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
  }
  return value;
}

export function parseJsonExact(text: string): unknown {
  const protectedText = protectBigIntegers(text);
  return protectedText === text ? JSON.parse(text) : JSON.parse(protectedText, revive);
}
