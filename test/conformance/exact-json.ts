/**
 * A small JSON reader that keeps every number as its source text, so that expected 64-bit longs
 * such as 9223372036854775807 survive (JSON.parse would round them to a double). Used for the
 * expected rows of `.kqltest` files; the column type decides later how each number is read.
 */

/** A JSON number kept as written (a class, so that no parsed JSON object can be mistaken for one). */
export class ExactNumber {
  constructor(readonly text: string) {}
}

export type ExactJson = null | boolean | string | ExactNumber | ExactJson[] | { [key: string]: ExactJson };

export function isExactNumber(v: unknown): v is ExactNumber {
  return v instanceof ExactNumber;
}

const numberRe = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Parses one JSON text; throws an Error with the offset on malformed input. */
export function parseExactJson(text: string): ExactJson {
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`${what} at offset ${i} in ${JSON.stringify(text.length > 120 ? `${text.slice(0, 117)}...` : text)}`);
  };
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  };
  const value = (): ExactJson => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: { [key: string]: ExactJson } = {};
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a string key');
        const key = str();
        ws();
        if (text[i] !== ':') fail('expected ":"');
        i++;
        obj[key] = value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      i++;
      const arr: ExactJson[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        fail('expected "," or "]"');
      }
    }
    if (c === '"') return str();
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    numberRe.lastIndex = i;
    const m = numberRe.exec(text);
    if (!m) return fail('expected a JSON value');
    i += m[0].length;
    return new ExactNumber(m[0]);
  };
  const str = (): string => {
    // Find the closing quote honouring escapes, then let JSON.parse decode the escapes.
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) fail('unterminated string');
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const v = value();
  ws();
  if (i !== text.length) fail('trailing characters');
  return v;
}

/** Converts to an ordinary JS value (numbers become doubles): for dynamic values. */
export function toPlainJson(v: ExactJson): unknown {
  if (isExactNumber(v)) return Number(v.text);
  if (Array.isArray(v)) return v.map(toPlainJson);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toPlainJson(x)]));
  }
  return v;
}
