/**
 * JSON array of objects (also a single object, or concatenated objects). The Sentinel Logs Ingestion API
 * body has this shape too: an array of records posted to a stream that names the table.
 */
import type { SourceRecord } from '../types.js';
import { splitJsonValues } from './json-values.js';
import { jsonRecord } from './ndjson.js';

export async function* readJsonArray(bytes: AsyncIterable<Buffer>): AsyncGenerator<SourceRecord> {
  for await (const v of splitJsonValues(bytes)) yield jsonRecord(v.text, v.line, v.offset);
}
