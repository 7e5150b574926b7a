/**
 * CSV with a header row (RFC 4180: comma separator, `"` quoting with `""` escapes, quoted fields may span
 * lines). Values stay text; validation coerces them to the column types, and an empty cell is NULL for
 * every non-string column. A record whose field count differs from the header's is rejected.
 */
import { splitCsvRecord } from '../../core/csv-record.js';
import { readLines } from '../input.js';
import type { SourceRecord } from '../types.js';

function quoteCount(s: string): number {
  let k = 0;
  for (let i = s.indexOf('"'); i >= 0; i = s.indexOf('"', i + 1)) k++;
  return k;
}

export async function* readCsv(bytes: AsyncIterable<Buffer>): AsyncGenerator<SourceRecord> {
  let header: string[] | null = null;
  let pending: { text: string; line: number; offset: number; quotes: number } | null = null;
  for await (const l of readLines(bytes)) {
    if (pending) {
      pending.text += '\n' + l.text;
      pending.quotes += quoteCount(l.text);
    } else {
      if (l.text === '') continue;
      pending = { text: l.text, line: l.line, offset: l.offset, quotes: quoteCount(l.text) };
    }
    if (pending.quotes % 2 === 1) continue; // a quoted field goes on on the next line
    const rec = pending;
    pending = null;
    const fields = splitCsvRecord(rec.text);
    if (!header) {
      if (!fields) throw new Error(`the CSV header (line ${rec.line}) has unbalanced quotes`);
      header = fields.map((f, i) => (i === 0 ? f.replace(/^\uFEFF/, '') : f).trim());
      continue;
    }
    if (!fields) {
      yield { raw: rec.text, line: rec.line, offset: rec.offset, error: 'unbalanced quotes in CSV record' };
    } else if (fields.length !== header.length) {
      yield { raw: rec.text, line: rec.line, offset: rec.offset, error: `expected ${header.length} CSV fields (as the header), got ${fields.length}` };
    } else {
      const value: Record<string, unknown> = {};
      for (let i = 0; i < header.length; i++) value[header[i]!] = fields[i];
      yield { raw: rec.text, line: rec.line, offset: rec.offset, value };
    }
  }
  if (pending && !header) throw new Error(`the CSV header (line ${pending.line}) has an unterminated quoted field`);
  if (pending) yield { raw: pending.text, line: pending.line, offset: pending.offset, error: 'unterminated quoted field at end of input' };
}
