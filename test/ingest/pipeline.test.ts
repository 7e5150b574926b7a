/**
 * The ingest pipeline against a real DuckDB store: idempotent batches, quarantine with reasons and exact
 * counts, table policies (AdditionalFields / reject, Defender's TimeGenerated and TenantId), every reader.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferSource, fileSource } from '../../src/ingest/input.js';
import { ingestFile } from '../../src/ingest/files.js';
import { ingest } from '../../src/ingest/pipeline.js';
import { splitJsonValues } from '../../src/ingest/readers/json-values.js';
import type { Store } from '../../src/store/store.js';
import { networkRow, openIngestStore, removeTempDirs, tempDir } from './helpers.js';

let store: Store;
let dir: string;
beforeAll(async () => {
  dir = tempDir();
  store = await openIngestStore(path.join(dir, 'data'));
});
afterAll(async () => {
  await store?.close();
  removeTempDirs();
});

const count = async (sql: string): Promise<number> => Number((await store.query(sql)).rows[0]![0]);

describe('idempotency', () => {
  it('ingesting the same NDJSON file twice stores each row once', async () => {
    const file = path.join(dir, 'twice.ndjson');
    fs.writeFileSync(file, Array.from({ length: 25_000 }, (_, i) => JSON.stringify({ ...networkRow(i), DeviceName: `twice-${i}` })).join('\n') + '\n');
    const first = await ingestFile(store, file, { source: 'test', table: 'DeviceNetworkEvents' });
    expect(first).toMatchObject({ records: 25_000, accepted: 25_000, rejected: 0, duplicate: 0, batches: 3, duplicateBatches: 0 });
    const second = await ingestFile(store, file, { source: 'test', table: 'DeviceNetworkEvents' });
    expect(second).toMatchObject({ records: 25_000, accepted: 0, rejected: 0, duplicate: 25_000, batches: 3, duplicateBatches: 3 });
    expect(second.batchIds).toEqual(first.batchIds);
    expect(await count(`SELECT count(*) FROM DeviceNetworkEvents WHERE DeviceName LIKE 'twice-%'`)).toBe(25_000);
    expect(await count(`SELECT count(DISTINCT DeviceName) FROM DeviceNetworkEvents WHERE DeviceName LIKE 'twice-%'`)).toBe(25_000);
  });

  it('identical runs of lines inside one file are not mistaken for retries', async () => {
    const line = JSON.stringify({ ...networkRow(1), DeviceName: 'same-line' });
    const s = await ingest(store, bufferSource(Array(40).fill(line).join('\n')), { source: 'test', format: 'ndjson', table: 'DeviceNetworkEvents', batchRows: 10 });
    expect(s).toMatchObject({ accepted: 40, duplicate: 0, batches: 4 });
    expect(await count(`SELECT count(*) FROM DeviceNetworkEvents WHERE DeviceName = 'same-line'`)).toBe(40);
  });

  it('a client batch id makes a retry a no-op even with a different body encoding', async () => {
    const rows = [networkRow(7), networkRow(8)].map((r) => ({ ...r, DeviceName: 'client-id' }));
    const a = await ingest(store, bufferSource(JSON.stringify(rows)), { source: 'test', format: 'json', table: 'DeviceNetworkEvents', batchId: 'sender-1:42', batchRows: Infinity });
    const b = await ingest(store, bufferSource(rows.map((r) => JSON.stringify(r)).join('\n')), { source: 'test', format: 'ndjson', table: 'DeviceNetworkEvents', batchId: 'sender-1:42', batchRows: Infinity });
    expect(a).toMatchObject({ accepted: 2, batchIds: ['sender-1:42'] });
    expect(b).toMatchObject({ accepted: 0, duplicate: 2 });
    expect(await count(`SELECT count(*) FROM DeviceNetworkEvents WHERE DeviceName = 'client-id'`)).toBe(2);
  });
});

describe('quarantine', () => {
  it('1 % corrupt lines: good rows in, every bad one quarantined with a reason, counts add up', async () => {
    const n = 10_000;
    const kinds = ['bad-json', 'wrong-type', 'missing-time', 'not-object'] as const;
    const bad = new Map<number, (typeof kinds)[number]>();
    for (let i = 0; i < n; i++) if (i % 100 === 37) bad.set(i + 1, kinds[(i / 100) % kinds.length | 0]!);
    const lines: string[] = [];
    for (let i = 0; i < n; i++) {
      const kind = bad.get(i + 1);
      const row = { ...networkRow(i), DeviceName: `q-${i}` };
      if (kind === 'bad-json') lines.push(JSON.stringify(row).slice(0, 40));
      else if (kind === 'wrong-type') lines.push(JSON.stringify({ ...row, RemotePort: 'https' }));
      else if (kind === 'missing-time') lines.push(JSON.stringify({ ...row, Timestamp: undefined }));
      else if (kind === 'not-object') lines.push('[1,2,3]');
      else lines.push(JSON.stringify(row));
    }
    const file = path.join(dir, 'corrupt.ndjson');
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const s = await ingestFile(store, file, { source: 'corrupt-test', table: 'DeviceNetworkEvents' });
    expect(bad.size).toBe(100);
    expect(s.accepted + s.rejected).toBe(n);
    expect(s).toMatchObject({ records: n, accepted: n - 100, rejected: 100, duplicate: 0 });
    expect(await count(`SELECT count(*) FROM DeviceNetworkEvents WHERE DeviceName LIKE 'q-%'`)).toBe(n - 100);

    const q = await store.query(`SELECT line, byte_offset, reason, raw, table_name FROM _ingest_quarantine WHERE source = 'corrupt-test' ORDER BY line`);
    expect(q.rows.map((r) => Number(r[0]))).toEqual([...bad.keys()]);
    const offsets = [0];
    for (const l of lines) offsets.push(offsets.at(-1)! + Buffer.byteLength(l) + 1);
    for (const r of q.rows) {
      const line = Number(r[0]);
      expect(Number(r[1])).toBe(offsets[line - 1]);
      expect(r[3]).toBe(lines[line - 1]);
      expect(r[4]).toBe('DeviceNetworkEvents');
      const reason = String(r[2]);
      const kind = bad.get(line);
      if (kind === 'bad-json') expect(reason).toMatch(/^not valid JSON/);
      if (kind === 'wrong-type') expect(reason).toBe("column 'RemotePort': expected an integer, got 'https'");
      if (kind === 'missing-time') expect(reason).toBe("missing time column 'Timestamp'");
      if (kind === 'not-object') expect(reason).toBe('expected a JSON object, got an array');
    }
  });

  it('unknown columns: kept in AdditionalFields where the table has it, rejected where not', async () => {
    const line = JSON.stringify({ ...networkRow(1), DeviceName: 'extra', Vendor: 'acme' }).replace(/}$/, ',"Score":9007199254740993}');
    const s = await ingest(store, bufferSource(line), {
      source: 'test', format: 'ndjson', table: 'DeviceNetworkEvents',
    });
    expect(s.accepted).toBe(1);
    const r = await store.query(`SELECT AdditionalFields, TimeGenerated = "Timestamp", TenantId FROM DeviceNetworkEvents WHERE DeviceName = 'extra'`);
    expect(JSON.parse(String(r.rows[0]![0]))).toEqual({ Vendor: 'acme', Score: 9007199254740992 });
    expect(String(r.rows[0]![0])).toContain('9007199254740993');
    expect(r.rows[0]![1]).toBe(true);
    expect(r.rows[0]![2]).toBe('00000000-0000-0000-0000-000000000000');

    const d = await ingest(store, bufferSource('{"TimeGenerated":"2024-05-01T00:00:00Z","Name":"x.example","name":"dup"}'), { source: 'test', format: 'ndjson', table: 'DnsEvents' });
    expect(d).toMatchObject({ accepted: 0, rejected: 1 });
    expect(d.sampleReasons[0]).toBe("line 1: unknown column 'name' (did you mean 'Name'? names are case-sensitive); 'DnsEvents' keeps no extra fields");
  });
});

describe('readers', () => {
  it('CSV with header: quoted commas, quotes and line breaks; empty cells are NULL; wrong field counts rejected', async () => {
    const csv = [
      'Timestamp,DeviceName,RemotePort,InitiatingProcessCommandLine,ReportId',
      '2024-05-01T00:00:00Z,csv-1,443,"cmd.exe /c ""echo, hi""",1',
      '2024-05-01T00:00:01Z,csv-2,,"line one',
      'line two",2',
      '2024-05-01T00:00:02Z,csv-3,80',
      '2024-05-01T00:00:03Z,csv-4,eighty,x,4',
    ].join('\r\n');
    const s = await ingest(store, bufferSource(csv), { source: 'test', format: 'csv', table: 'DeviceNetworkEvents' });
    expect(s).toMatchObject({ records: 4, accepted: 2, rejected: 2 });
    const r = await store.query(`SELECT DeviceName, RemotePort, InitiatingProcessCommandLine, ReportId FROM DeviceNetworkEvents WHERE DeviceName LIKE 'csv-%' ORDER BY 1`);
    expect(r.rows).toEqual([['csv-1', 443, 'cmd.exe /c "echo, hi"', 1n], ['csv-2', null, 'line one\nline two', 2n]]);
    const q = await store.query(`SELECT line, reason FROM _ingest_quarantine WHERE raw LIKE '%csv-3%' OR raw LIKE '%csv-4%' ORDER BY line`);
    expect(q.rows).toEqual([[5n, 'expected 5 CSV fields (as the header), got 3'], [6n, "column 'RemotePort': expected an integer, got 'eighty'"]]);
  });

  it('JSON arrays stream element by element, even fed one byte at a time', async () => {
    const text = ' [ {"a": "x]}", "b": [1, {"c": 2}]},\n {"d": "\\"q\\""} ,"str", 5 ]\n{"e":1}';
    const bytes = Buffer.from(text);
    async function* oneByOne() {
      for (let i = 0; i < bytes.length; i++) yield bytes.subarray(i, i + 1);
    }
    const out: string[] = [];
    for await (const v of splitJsonValues(oneByOne())) out.push(`${v.line}:${v.text}`);
    expect(out).toEqual(['1:{"a": "x]}", "b": [1, {"c": 2}]}', '2:{"d": "\\"q\\""}', '2:"str"', '2:5', '3:{"e":1}']);
    await expect(ingest(store, bufferSource('[{"Timestamp": "2024-05-01T00:00:00Z"}, {"Url": '), { source: 'test', format: 'json', table: 'DeviceNetworkEvents', batchRows: Infinity }))
      .rejects.toMatchObject({ code: 'ingest/bad-format', message: expect.stringContaining('ends inside the value that starts on line 1') });
  });

  it('Defender streaming envelopes are routed by category; Timestamp and TenantId fall back to the envelope', async () => {
    const env = {
      records: [
        { time: '2024-05-02T10:00:00Z', tenantId: 'tenant-a', operationName: 'Publish', category: 'AdvancedHunting-DeviceNetworkEvents', properties: { DeviceName: 'env-1', RemotePort: 53 } },
        { time: '2024-05-02T10:00:01Z', tenantId: 'tenant-a', category: 'AdvancedHunting-DeviceProcessEvents', properties: { Timestamp: '2024-05-02T09:59:59Z', DeviceName: 'env-2', FileName: 'a.exe' } },
        { time: '2024-05-02T10:00:02Z', category: 'AdvancedHunting-NoSuchTable', properties: { DeviceName: 'env-3' } },
        { time: '2024-05-02T10:00:03Z', category: 'SomethingElse', properties: {} },
      ],
    };
    const s = await ingest(store, bufferSource(JSON.stringify(env) + '\n' + JSON.stringify({ records: [env.records[0]] })), { source: 'test', format: 'm365d' });
    expect(s).toMatchObject({ records: 5, accepted: 3, rejected: 2, tables: { DeviceNetworkEvents: { accepted: 2, rejected: 0 }, DeviceProcessEvents: { accepted: 1, rejected: 0 } } });
    const r = await store.query(`SELECT TenantId, "Timestamp" = TimeGenerated, strftime("Timestamp", '%H:%M:%S') FROM DeviceProcessEvents WHERE DeviceName = 'env-2'`);
    expect(r.rows).toEqual([['tenant-a', true, '09:59:59']]);
    expect(s.sampleReasons).toEqual(["line 1: unknown table 'NoSuchTable'", "line 1: record category must be 'AdvancedHunting-<Table>', got \"SomethingElse\""]);
  });

  it('Sentinel Logs Ingestion bodies name the table by stream; gzip input is recognised', async () => {
    const { gzipSync } = await import('node:zlib');
    const body = gzipSync(JSON.stringify([{ TimeGenerated: '2024-05-03T00:00:00Z', Computer: 'sentinel-1', Facility: 'auth', SyslogMessage: 'hello' }]));
    const s = await ingest(store, bufferSource(body), { source: 'test', format: 'sentinel', table: 'Custom-Syslog' });
    expect(s).toMatchObject({ accepted: 1, tables: { Syslog: { accepted: 1, rejected: 0 } } });
    expect(await count(`SELECT count(*) FROM Syslog WHERE Computer = 'sentinel-1'`)).toBe(1);
  });

  it('a large file streams with bounded memory', async () => {
    const file = path.join(dir, 'large.ndjson');
    const fd = fs.openSync(file, 'w');
    const rows = 100_000;
    for (let b = 0; b < rows / 10_000; b++) {
      fs.writeSync(fd, Array.from({ length: 10_000 }, (_, i) => JSON.stringify({ ...networkRow(b * 10_000 + i), DeviceName: 'large', InitiatingProcessCommandLine: 'x'.repeat(800) })).join('\n') + '\n');
    }
    fs.closeSync(fd);
    // JS heap, not RSS: DuckDB's buffer pool legitimately holds the appended table pages in memory.
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    const s = await ingest(store, fileSource(file), { source: 'test', format: 'ndjson', table: 'DeviceNetworkEvents', onProgress: () => (peak = Math.max(peak, process.memoryUsage().heapUsed)) });
    expect(s.accepted).toBe(rows);
    const size = fs.statSync(file).size;
    // The file is ~100 MB; read whole it would take more than its size in JS strings alone (UTF-16) plus the
    // row objects. The pipeline holds about two batches (plus garbage not yet collected).
    expect(size).toBeGreaterThan(60 * 2 ** 20);
    expect(peak - before).toBeLessThan(size);
  }, 120_000);
});
