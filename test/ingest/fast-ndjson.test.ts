/**
 * The DuckDB-native NDJSON path against the JS pipeline, both on real DuckDB stores: the same input gives the
 * same summary, batch ids, stored rows, quarantine (reason, line, offset, raw) and listener rows; retries are
 * no-ops across paths; integers beyond 2^53 stay exact.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestNdjsonFast, ingestNdjsonFastShared } from '../../src/ingest/fast/ndjson-fast.js';
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
  it('splits, numbers and hashes bytes exactly as the JS reader, whatever the chunking and the line oddities', async () => {
    const a = await openIngestStore(path.join(dir, 'edge-js'));
    const b = await openIngestStore(path.join(dir, 'edge-fast'));
    try {
      const ok = (i: number, extra: Record<string, unknown> = {}) => JSON.stringify({ ...networkRow(i), DeviceName: `edge-${i}`, ...extra });
      const parts: (string | Buffer)[] = [
        '\uFEFF' + ok(0) + '\n', // a BOM: JSON.parse refuses it
        ok(1) + '\r\n', // CRLF
        ok(2, { InitiatingProcessCommandLine: '"C:\\Program Files\\x.exe" /q \u00e9 \u2028 \\"' }) + '\n', // escapes
        '\n   \n\t\n', // blank lines: not records, but counted lines
        Buffer.concat([Buffer.from(ok(3).slice(0, -1) + ',"RemoteUrl":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n')]), // bad UTF-8
        ok(4).slice(0, -1) + ',"RemoteUrl":"a\u0001b"}\n', // escaped U+0001 is fine JSON
        ok(5).slice(0, -1) + ',"Junk":"\u0001"}'.replace('\\u0001', '\u0001') + '\n', // a raw U+0001: bad JSON, and the line reader's delimiter
        ok(6).replace('{', '{"x":1\r') + '\n', // a lone CR inside
        ok(7).replace('"DeviceName"', '"deviceName"') + '\n', // case-different key: unknown column
        ok(8).replace('"DeviceName"', '"Device\\u004eame"') + '\n', // an escaped key naming a column
        ok(9).replace(/,/g, ', ') + '\n', // whitespace
        ok(10).slice(0, -1) + ' , }\n', // trailing comma with blanks
        ok(11).slice(0, -1) + ',}\n', // trailing comma
        ok(12, { RemoteUrl: null, LocalPort: null }) + '\n', // JSON nulls
        ok(13).slice(0, -1) + ',"Type":"DeviceNetworkEvents"}\n', // Log Analytics export column
        ok(14, { RemotePort: 1e2 }).replace('"RemotePort":100', '"RemotePort":1e2') + '\n', // a double for an int
        ok(15, { DeviceName: 443 }) + '\n', // an integer for a string
        ok(16, { DeviceName: 1.5 }) + '\n', // a double for a string
        ok(17, { DeviceName: { a: 1 } }) + '\n', // an object for a string
        ok(18, { IsInitiatingProcessRemoteSession: 1 }) + '\n',
        ok(19, { Timestamp: '2024-05-01T00:00:00.123456789Z' }) + '\n',
        ok(20, { Timestamp: '2024-05-01 00:00:00' }) + '\n',
        ok(21).replace('{', '{"DeviceName":"first",') + '\n', // duplicate key: JSON.parse keeps the last
        '{"Timestamp":"2024-05-01T00:00:00Z","DeviceName":"big","ReportId":' + '9'.repeat(2_000_000) + '}\n', // longer than the spool line limit
        ok(22), // last line without LF
      ];
      const bytes = Buffer.concat(parts.map((x) => (typeof x === 'string' ? Buffer.from(x) : x)));
      const chunked = (size: number) => {
        const out: Buffer[] = [];
        for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
        return out;
      };
      const opts = { source: 'edge', format: 'ndjson' as const, table: 'DeviceNetworkEvents', batchRows: 4 };
      // A spool file left by a process killed mid-ingest (another pid) is swept.
      const spool = path.join(dir, 'edge-fast', 'tmp', 'ingest');
      fs.mkdirSync(spool, { recursive: true });
      fs.writeFileSync(path.join(spool, 'ingest-999999999-x-0.ndjson'), '{}\n');
      const x = await ingest(a, chunked(bytes.length), opts);
      const y = await ingestNdjsonFast(b, chunked(7), opts);
      const { ms: _x, ...sx } = x;
      const { ms: _y, ...sy } = y;
      expect(sy).toEqual(sx);
      expect(y.accepted).toBeGreaterThan(10);
      expect(y.rejected).toBeGreaterThan(5);
      const rows = `SELECT * EXCLUDE (AdditionalFields), AdditionalFields::VARCHAR FROM DeviceNetworkEvents ORDER BY ALL`;
      expect(await sorted(b, rows)).toBe(await sorted(a, rows));
      const q = `SELECT batch_id, line, byte_offset, reason, raw FROM _ingest_quarantine ORDER BY line`;
      expect(await sorted(b, q)).toBe(await sorted(a, q));
      // Another chunking of the same bytes is the same batches: all duplicates.
      const again = await ingestNdjsonFast(b, chunked(65_536), opts);
      expect(again).toMatchObject({ accepted: 0, rejected: 0, duplicate: y.records });
      // Spool files are removed (asynchronously, right after each commit).
      const left = () => (fs.existsSync(spool) ? fs.readdirSync(spool) : []);
      for (let i = 0; i < 100 && left().length > 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(left()).toEqual([]);
    } finally {
      await a.close();
      await b.close();
    }
  });
  it('agrees with the JS pipeline on dynamic, real and bool columns (SigninLogs, CommonSecurityLog)', async () => {
    const a = await openIngestStore(path.join(dir, 'types-js'));
    const b = await openIngestStore(path.join(dir, 'types-fast'));
    try {
      const cases: Record<string, string[]> = {
        SigninLogs: [
          '{"TimeGenerated":"2024-05-01T00:00:00Z","IsRisky":true,"Status":"ok","DeviceDetail":{"a":[1,2.50]},"UserPrincipalName":"x"}',
          '{"TimeGenerated":"2024-05-01T00:00:00Z","IsRisky":"true","Status":true,"MfaDetail":"[1]","UserPrincipalName":"y"}',
          '{"TimeGenerated":"2024-05-01T00:00:00Z","IsRisky":1,"Status":"plain text","LocationDetails":"{x","UserPrincipalName":"z"}',
          '{"TimeGenerated":"2024-05-01T00:00:00Z","IsRisky":0,"Status":12,"UserPrincipalName":"w","Extra":1}',
          '{"TimeGenerated":"2024-05-01T00:00:00Z","IsRisky":"","Status":"","UserPrincipalName":""}',
          '{"TimeGenerated":"2024-05-01T00:00:00Z","IsRisky":"maybe","UserPrincipalName":"v"}',
        ],
        CommonSecurityLog: [
          '{"TimeGenerated":"2024-05-01T00:00:00Z","DeviceCustomFloatingPoint1":1.5,"MaliciousIPLatitude":1e2,"DeviceVendor":"v"}',
          '{"TimeGenerated":"2024-05-01T00:00:00Z","DeviceCustomFloatingPoint1":"2.25","MaliciousIPLatitude":-0.1,"DeviceVendor":"w"}',
          '{"TimeGenerated":"2024-05-01T00:00:00Z","DeviceCustomFloatingPoint1":3,"MaliciousIPLatitude":1e400,"DeviceVendor":"x"}',
          '{"TimeGenerated":"2024-05-01T00:00:00Z","DeviceCustomFloatingPoint1":0.30000000000000004,"DeviceVendor":1.5}',
          '{"TimeGenerated":"2024-05-01T00:00:00Z","DeviceCustomFloatingPoint1":"","DeviceVendor":"NaN","Bogus":2}',
          '{"TimeGenerated":"2024-05-01T00:00:00Z","DeviceCustomFloatingPoint1":"abc","DeviceVendor":"y"}',
        ],
      };
      for (const [table, lines] of Object.entries(cases)) {
        const opts = { source: 'types', format: 'ndjson' as const, table, batchRows: Infinity };
        const x = await ingest(a, bufferSource(lines.join('\n')), opts);
        const y = await ingestNdjsonFast(b, bufferSource(lines.join('\n')), opts);
        expect({ accepted: y.accepted, rejected: y.rejected }).toEqual({ accepted: x.accepted, rejected: x.rejected });
        expect(y.rejected).toBeGreaterThan(0);
        const rows = `SELECT * FROM ${table} ORDER BY ALL`;
        expect(await sorted(b, rows)).toBe(await sorted(a, rows));
      }
      const q = `SELECT table_name, line, reason FROM _ingest_quarantine ORDER BY ALL`;
      expect(await sorted(b, q)).toBe(await sorted(a, q));
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('commits concurrent bodies together, each with its own batch id, counts, quarantine and listener rows', async () => {
    const a = await openIngestStore(path.join(dir, 'shared-js'));
    const b = await openIngestStore(path.join(dir, 'shared-fast'));
    const commits: number[] = [];
    const countCommits = (sql: string) => sql.startsWith('INSERT INTO "DeviceNetworkEvents"');
    const origExclusive = b.exclusive!.bind(b);
    // Counts combined commits: each runs one INSERT … SELECT into the table.
    (b as { exclusive: Store['exclusive'] }).exclusive = (fn) =>
      origExclusive((w) =>
        fn({
          ...w,
          transaction: (inner) =>
            w.transaction((tx) =>
              inner({
                ...tx,
                exec: async (sql, params) => {
                  if (countCommits(sql)) commits.push(Date.now());
                  return tx.exec(sql, params);
                },
              }),
            ),
        }),
      );
    const seen: Record<string, unknown>[] = [];
    const off = onBatchCommitted(b, async (_t, rows) => void seen.push(...rows));
    try {
      const body = (n: number, tag: string, bad = false) =>
        [...Array.from({ length: n }, (_, i) => JSON.stringify({ ...networkRow(i), DeviceName: `${tag}-${i}` })), ...(bad ? ['{"DeviceName":"no time"}', 'broken {'] : [])].join('\n');
      const inputs = [
        { body: body(300, 'b0'), batchId: 'body-0' },
        { body: body(200, 'b1', true), batchId: 'body-1' },
        { body: body(250, 'b2') }, // content-hash id
        { body: body(250, 'b2') }, // the same content again, concurrently: one of the two is a duplicate
        { body: body(100, 'b4', true), batchId: 'body-4' },
        { body: body(120, 'b5'), batchId: 'body-0' }, // reuses an id of this very commit: a duplicate
        { body: body(90, 'b6'), batchId: 'body-6' },
        { body: body(80, 'b7', true) },
      ];
      const opts = { source: 'http:ndjson', format: 'ndjson' as const, table: 'DeviceNetworkEvents', batchRows: Infinity };
      const js = [];
      for (const x of inputs) js.push(await ingest(a, bufferSource(x.body), { ...opts, ...(x.batchId ? { batchId: x.batchId } : {}) }));
      const fastSummaries = await Promise.all(inputs.map((x) => ingestNdjsonFastShared(b, bufferSource(x.body), { ...opts, ...(x.batchId ? { batchId: x.batchId } : {}) })));
      // Fewer commits than bodies: the ones waiting while a commit ran went together.
      expect(commits.length).toBeLessThan(inputs.length);
      expect(commits.length).toBeGreaterThanOrEqual(1);
      const strip = (x: { ms: number }) => ({ ...x, ms: 0 });
      // Body by body as the JS pipeline (sequential there: the later of two equal bodies is the duplicate).
      expect(fastSummaries.map(strip)).toEqual(js.map(strip));
      const rows = `SELECT * EXCLUDE (AdditionalFields), AdditionalFields::VARCHAR FROM DeviceNetworkEvents ORDER BY ALL`;
      expect(await sorted(b, rows)).toBe(await sorted(a, rows));
      const q = `SELECT batch_id, source, format, line, byte_offset, reason, raw FROM _ingest_quarantine ORDER BY ALL`;
      expect(await sorted(b, q)).toBe(await sorted(a, q));
      const batches = `SELECT batch_id, source, accepted, rejected, min_event_time, max_event_time FROM _ingest_batches ORDER BY batch_id`;
      expect(await sorted(b, batches)).toBe(await sorted(a, batches));
      expect(seen).toHaveLength(js.reduce((n, x) => n + x.accepted, 0));
      // Retried bodies are duplicates, whichever path takes them.
      const retry = await Promise.all(inputs.map((x) => ingestNdjsonFastShared(b, bufferSource(x.body), { ...opts, ...(x.batchId ? { batchId: x.batchId } : {}) })));
      expect(retry.every((r) => r.accepted === 0 && r.duplicate === r.records)).toBe(true);
    } finally {
      off();
      await a.close();
      await b.close();
    }
  });
});
