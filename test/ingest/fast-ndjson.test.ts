/**
 * The DuckDB-native NDJSON path against the JS pipeline, both on real DuckDB stores: the same input gives the
 * same summary, batch ids, stored rows, quarantine (reason, line, offset, raw) and listener rows; retries are
 * no-ops across paths; integers beyond 2^53 stay exact.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestNdjsonFast } from '../../src/ingest/fast/ndjson-fast.js';
import { bufferSource, fileSource } from '../../src/ingest/input.js';
import { onBatchCommitted } from '../../src/ingest/listeners.js';
import { ingest } from '../../src/ingest/pipeline.js';
import type { Store } from '../../src/store/store.js';
import { networkRow, openIngestStore, removeTempDirs, tempDir } from './helpers.js';

let js: Store;
let fast: Store;
let dir: string;
beforeAll(async () => {
  dir = tempDir();
  js = await openIngestStore(path.join(dir, 'js'));
  fast = await openIngestStore(path.join(dir, 'fast'));
});
afterAll(async () => {
  await js?.close();
  await fast?.close();
  removeTempDirs();
});

/** Valid rows mixed with every kind of line the SQL path must hand to the JS validator. */
function mixedLines(n: number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(JSON.stringify({ ...networkRow(i), DeviceName: `mix-${i}` }));
  const odd: string[] = [
    '{"Timestamp":"2024-05-01T00:00:00Z","DeviceName":"trailing",}',
    '{"Timestamp":"2024-05-01T00:00:00Z","DeviceName":"nan","RemotePort":NaN}',
    'not json at all',
    '[1,2,3]',
    '{"DeviceName":"no-time"}',
    '{"Timestamp":"yesterday","DeviceName":"bad-time"}',
    '{"Timestamp":"2024-05-01T00:00:00Z","RemotePort":1.5,"DeviceName":"float-port"}',
    '{"Timestamp":"2024-05-01T00:00:00Z","RemotePort":"443","DeviceName":"string-port"}',
    '{"Timestamp":"2024-05-01T00:00:00Z","ReportId":12345678901234567891,"DeviceName":"too-big"}',
    '{"Timestamp":"2024-05-01T00:00:00Z","ReportId":9007199254740993,"DeviceName":"big-exact"}',
    '{"Timestamp":"2024-05-01T00:00:00.1234567Z","DeviceName":"seven-digits"}',
    '{"Timestamp":"2024-05-01T02:00:00+02:00","DeviceName":"offset"}',
    '{"Timestamp":"2024-05-01T00:00:00Z","DeviceName":"extra","Custom":{"a":[1,2]}}',
    '{"Timestamp":"2024-05-01T00:00:00Z","DeviceName":"dup","DeviceName":"dup-last"}',
    '{"Timestamp":"2024-05-01T00:00:00Z","DeviceName":"adds","AdditionalFields":{"x":1}}',
    '{"Timestamp":"2024-05-01T00:00:00Z","DeviceName":"tenant","TenantId":"11111111-2222-3333-4444-555555555555","TimeGenerated":"2024-01-01T00:00:00Z"}',
    '{"Timestamp":"2024-05-01T00:00:00Z","DeviceName":"unicode é \\u00e9 \\"q\\"","IsInitiatingProcessRemoteSession":true}',
    '{"Timestamp":"2024-05-01T00:00:00Z","DeviceName":"bool-as-text","IsInitiatingProcessRemoteSession":"yes"}',
    '{"Timestamp":"2024-05-01T00:00:00Z","DeviceName":null,"RemotePort":null,"LocalPort":""}',
    '   ',
    '',
    '{"Timestamp":"2024-05-01T00:00:00Z","DeviceName":"crlf"}\r',
  ];
  // Spread the odd lines through the file (several batches).
  odd.forEach((l, j) => lines.splice(Math.floor(((j + 1) * lines.length) / (odd.length + 1)), 0, l));
  return lines;
}

const sorted = async (store: Store, sql: string): Promise<string> => JSON.stringify((await store.query(sql)).rows, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));

describe('DuckDB-native NDJSON path', () => {
  it('stores, quarantines and counts exactly as the JS pipeline, with the same batch ids', async () => {
    const file = path.join(dir, 'mixed.ndjson');
    const lines = mixedLines(3_000);
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const opts = { source: 'test', format: 'ndjson' as const, table: 'DeviceNetworkEvents', batchRows: 1_000 };
    const a = await ingest(js, fileSource(file), opts);
    const b = await ingestNdjsonFast(fast, fileSource(file), opts);
    const { ms: _a, ...sa } = a;
    const { ms: _b, ...sb } = b;
    expect(sb).toEqual(sa);
    expect(b.records).toBe(lines.filter((l) => l.trim() !== '').length);
    expect(b.accepted + b.rejected).toBe(b.records);
    expect(b.rejected).toBeGreaterThanOrEqual(9);
    const rows = `SELECT * EXCLUDE (AdditionalFields), AdditionalFields::VARCHAR FROM DeviceNetworkEvents ORDER BY ALL`;
    expect(await sorted(fast, rows)).toBe(await sorted(js, rows));
    const q = `SELECT batch_id, source, format, table_name, line, byte_offset, reason, raw FROM _ingest_quarantine ORDER BY line`;
    expect(await sorted(fast, q)).toBe(await sorted(js, q));
    const batches = `SELECT batch_id, accepted, rejected, min_event_time, max_event_time, tables FROM _ingest_batches ORDER BY batch_id`;
    expect(await sorted(fast, batches)).toBe(await sorted(js, batches));
    // 2^53 + 1 kept exact; the row beyond 2^63 is quarantined with the JS reason.
    expect((await fast.query(`SELECT ReportId FROM DeviceNetworkEvents WHERE DeviceName = 'big-exact'`)).rows[0]![0]).toBe(9007199254740993n);
    expect((await fast.query(`SELECT reason FROM _ingest_quarantine WHERE raw LIKE '%too-big%'`)).rows[0]![0]).toMatch(/does not fit a 64-bit long/);

    // A retry is a no-op, also through the other path (same batch ids).
    const again = await ingestNdjsonFast(fast, fileSource(file), opts);
    expect(again).toMatchObject({ accepted: 0, rejected: 0, duplicate: b.records, duplicateBatches: b.batches });
    const cross = await ingest(fast, fileSource(file), opts);
    expect(cross).toMatchObject({ accepted: 0, duplicate: b.records });
    expect(Number((await fast.query('SELECT count(*) FROM DeviceNetworkEvents')).rows[0]![0])).toBe(b.accepted);
  });

  it('gives commit listeners the committed rows, in the JS path form', async () => {
    const body = [
      JSON.stringify({ ...networkRow(1), DeviceName: 'listen-1', AdditionalFields: '' }),
      JSON.stringify({ ...networkRow(2), DeviceName: 'listen-2', Custom: 1 }),
      'broken',
    ].join('\n');
    const seen: { store: string; table: string; rows: unknown[] }[] = [];
    const offJs = onBatchCommitted(js, async (table, rows) => void seen.push({ store: 'js', table, rows: [...rows] }));
    const offFast = onBatchCommitted(fast, async (table, rows) => void seen.push({ store: 'fast', table, rows: [...rows] }));
    try {
      const opts = { source: 'http', format: 'ndjson' as const, table: 'DeviceNetworkEvents', batchRows: Infinity, batchId: 'listen-body' };
      await ingest(js, bufferSource(body), opts);
      await ingestNdjsonFast(fast, bufferSource(body), opts);
    } finally {
      offJs();
      offFast();
    }
    const byName = (rows: unknown[]) => [...(rows as Record<string, unknown>[])].sort((x, y) => String(x.DeviceName).localeCompare(String(y.DeviceName)));
    const j = seen.find((s) => s.store === 'js')!;
    const f = seen.find((s) => s.store === 'fast')!;
    expect(f.table).toBe('DeviceNetworkEvents');
    expect(f.rows).toHaveLength(2);
    expect(byName(f.rows)).toEqual(byName(j.rows));
  });
});
