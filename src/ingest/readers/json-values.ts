/**
 * A streaming splitter for JSON inputs: yields the text of each element of a top-level array, or of each
 * top-level value when values are concatenated (one or many objects, NDJSON-like). Memory holds one
 * element at a time, so a 1 GB JSON array file streams. Elements are parsed by the caller, so one broken
 * element is one rejected record, not a failed input — unless the structure itself breaks (unbalanced
 * brackets, input cut short inside a value), which fails the input as a whole (`ingest/bad-format`).
 */

export interface JsonValueText {
  readonly text: string;
  readonly line: number;
  readonly offset: number;
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

/** Yields each element of top-level arrays and each other top-level value. */
export async function* splitJsonValues(src: AsyncIterable<Buffer>): AsyncGenerator<JsonValueText> {
  let inArray = false; // inside a top-level `[`
  let inValue = false;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let scalar = false; // a number/true/false/null value: ends at a delimiter
  let parts: Buffer[] = [];
  let valueLine = 0;
  let valueOffset = 0;
  let line = 1;
  let offset = 0;

  const finish = (chunk: Buffer, from: number, to: number): JsonValueText => {
    parts.push(chunk.subarray(from, to));
    const text = Buffer.concat(parts).toString('utf8');
    parts = [];
    inValue = false;
    return { text, line: valueLine, offset: valueOffset };
  };

  for await (const chunk of src) {
    let start = -1; // where the current value starts in this chunk
    if (inValue) start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (inValue) {
        if (inString) {
          if (escaped) escaped = false;
          else if (c === 0x5c) escaped = true;
          else if (c === 0x22) inString = false;
        } else if (scalar) {
          if (WS.has(c) || c === 0x2c || c === 0x5d || c === 0x7b || c === 0x5b) {
            yield finish(chunk, start, i);
            start = -1;
            scalar = false;
            // re-examine the delimiter outside the value
            i--;
            continue;
          }
        } else if (c === 0x22) inString = true;
        else if (c === 0x7b || c === 0x5b) depth++;
        else if (c === 0x7d || c === 0x5d) {
          depth--;
          if (depth === 0) {
            yield finish(chunk, start, i + 1);
            start = -1;
            offset++;
            continue;
          }
        }
        if (c === 0x0a) line++;
        offset++;
        continue;
      }
      // Between values.
      if (c === 0x0a) line++;
      if (WS.has(c) || (inArray && c === 0x2c)) {
        offset++;
        continue;
      }
      if (!inArray && c === 0x5b) {
        inArray = true;
        offset++;
        continue;
      }
      if (inArray && c === 0x5d) {
        inArray = false;
        offset++;
        continue;
      }
      inValue = true;
      start = i;
      valueLine = line;
      valueOffset = offset;
      depth = 0;
      inString = c === 0x22;
      scalar = false;
      if (c === 0x7b || c === 0x5b) depth = 1;
      else scalar = true; // strings too: a closed string still ends at a delimiter
      offset++;
      // a one-character string start: keep scanning
    }
    if (inValue) parts.push(start >= 0 ? chunk.subarray(start) : chunk);
  }
  if (inValue) {
    // A scalar may end at the end of input; an object, array or string may not: the input is cut short.
    if (!scalar || inString) throw new Error(`the JSON input ends inside the value that starts on line ${valueLine}`);
    const text = Buffer.concat(parts).toString('utf8');
    yield { text, line: valueLine, offset: valueOffset };
  }
}
