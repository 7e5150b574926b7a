/**
 * The Microsoft Defender XDR streaming API envelope (Event Hub / storage): `{"records":[{"time",
 * "tenantId","operationName","category":"AdvancedHunting-<Table>","properties":{…}}]}`. Each record is
 * routed by its category to `<Table>`; its `properties` are the row. `Timestamp` falls back to `time` and
 * `TenantId` to `tenantId` when the properties lack them. Envelopes may be concatenated or one per line.
 */
import { isPlainObject, parseJsonExact } from '../json-exact.js';
import type { SourceRecord } from '../types.js';
import { splitJsonValues } from './json-values.js';

const CATEGORY_PREFIX = 'AdvancedHunting-';

function envelopeRecord(rec: unknown, line: number, offset: number): SourceRecord {
  const raw = JSON.stringify(rec, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  if (!isPlainObject(rec)) return { raw, line, offset, error: 'an envelope record must be a JSON object' };
  const category = rec.category;
  if (typeof category !== 'string' || !category.startsWith(CATEGORY_PREFIX) || category.length === CATEGORY_PREFIX.length) {
    return { raw, line, offset, error: `record category must be 'AdvancedHunting-<Table>', got ${JSON.stringify(category ?? null)}` };
  }
  const table = category.slice(CATEGORY_PREFIX.length);
  if (!isPlainObject(rec.properties)) return { raw, line, offset, table, error: "record has no 'properties' object" };
  const value: Record<string, unknown> = { ...rec.properties };
  if ((value.Timestamp === undefined || value.Timestamp === null || value.Timestamp === '') && rec.time !== undefined) value.Timestamp = rec.time;
  if (value.TenantId === undefined && typeof rec.tenantId === 'string') value.TenantId = rec.tenantId;
  return { raw, line, offset, table, value };
}

export async function* readM365d(bytes: AsyncIterable<Buffer>): AsyncGenerator<SourceRecord> {
  for await (const v of splitJsonValues(bytes)) {
    let env: unknown;
    try {
      env = parseJsonExact(v.text);
    } catch (e) {
      yield { raw: v.text, line: v.line, offset: v.offset, error: `envelope is not valid JSON: ${(e as Error).message}` };
      continue;
    }
    // A bare record (no envelope) is accepted too: Event Hub consumers often unwrap.
    const records = isPlainObject(env) && Array.isArray(env.records) ? env.records : isPlainObject(env) && 'category' in env ? [env] : null;
    if (!records) {
      yield { raw: v.text, line: v.line, offset: v.offset, error: "expected an envelope {\"records\": [...]}" };
      continue;
    }
    for (const rec of records) yield envelopeRecord(rec, v.line, v.offset);
  }
}
