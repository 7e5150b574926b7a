/** NDJSON / JSON Lines: one JSON object per line; blank lines are skipped (not records). */
import { readLines } from '../input.js';
import { isPlainObject, parseJsonExact } from '../json-exact.js';
import type { SourceRecord } from '../types.js';

/** Reads one JSON object from `text`; a record with `error` when it is not one. */
export function jsonRecord(text: string, line: number, offset: number): SourceRecord {
  let value: unknown;
  try {
    value = parseJsonExact(text);
  } catch (e) {
    return { raw: text, line, offset, error: `not valid JSON: ${(e as Error).message}` };
  }
  if (!isPlainObject(value)) {
    return { raw: text, line, offset, error: `expected a JSON object, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}` };
  }
  return { raw: text, line, offset, value };
}

export async function* readNdjson(bytes: AsyncIterable<Buffer>): AsyncGenerator<SourceRecord> {
  for await (const l of readLines(bytes)) {
    if (l.text.trim() === '') continue;
    yield jsonRecord(l.text, l.line, l.offset);
  }
}
