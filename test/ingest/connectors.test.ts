/**
 * The watched folder (real files, real store), the data connectors status and the retention job with an
 * injected clock.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferSource } from '../../src/ingest/input.js';
import { ingest } from '../../src/ingest/pipeline.js';
import { enforceRetention, setRetention, startRetentionJob } from '../../src/ingest/retention.js';
import { connectorStatus } from '../../src/ingest/status.js';
import { watchFolder } from '../../src/ingest/watch-folder.js';
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

describe('watched folder', () => {
  it('ingests a dropped file once and moves it to done/, an unreadable one to failed/', async () => {
    const inbox = path.join(dir, 'inbox');
    const watcher = watchFolder(store, { dir: inbox, settleMs: 0, intervalMs: 3_600_000 });
    try {
      const rows = Array.from({ length: 500 }, (_, i) => JSON.stringify({ ...networkRow(i), DeviceName: 'watched' }));
      rows.push('{broken');
      fs.writeFileSync(path.join(inbox, 'DeviceNetworkEvents.part'), rows.join('\n'));
      expect(await watcher.scanOnce()).toEqual([]); // still being written (.part)
      fs.renameSync(path.join(inbox, 'DeviceNetworkEvents.part'), path.join(inbox, 'DeviceNetworkEvents.2024-05-01.ndjson'));
      fs.writeFileSync(path.join(inbox, 'mystery.bin'), 'what is this');
      fs.writeFileSync(path.join(inbox, '.hidden.ndjson'), 'ignored');

      expect(await watcher.scanOnce()).toEqual(['DeviceNetworkEvents.2024-05-01.ndjson', 'mystery.bin']);
      expect(await watcher.scanOnce()).toEqual([]);
      expect(await count(`SELECT count(*) FROM DeviceNetworkEvents WHERE DeviceName = 'watched'`)).toBe(500);
      expect(fs.readdirSync(path.join(inbox, 'done')).sort()).toEqual(['DeviceNetworkEvents.2024-05-01.ndjson', 'DeviceNetworkEvents.2024-05-01.ndjson.result.json']);
      const result = JSON.parse(fs.readFileSync(path.join(inbox, 'done/DeviceNetworkEvents.2024-05-01.ndjson.result.json'), 'utf8'));
      expect(result).toMatchObject({ accepted: 500, rejected: 1 });
      expect(fs.readdirSync(path.join(inbox, 'failed')).sort()).toEqual(['mystery.bin', 'mystery.bin.error.json']);
      expect(JSON.parse(fs.readFileSync(path.join(inbox, 'failed/mystery.bin.error.json'), 'utf8'))).toMatchObject({ code: 'core/bad-argument' });
      expect(fs.existsSync(path.join(inbox, '.hidden.ndjson'))).toBe(true);

      // The same file dropped again (a re-delivery) adds no rows and still leaves the inbox.
      fs.copyFileSync(path.join(inbox, 'done/DeviceNetworkEvents.2024-05-01.ndjson'), path.join(inbox, 'DeviceNetworkEvents.2024-05-01.ndjson'));
      await watcher.scanOnce();
      expect(await count(`SELECT count(*) FROM DeviceNetworkEvents WHERE DeviceName = 'watched'`)).toBe(500);
      expect(fs.readdirSync(path.join(inbox, 'done')).length).toBe(4);
    } finally {
      await watcher.stop();
    }
  });

  it('waits until a file stopped changing', async () => {
    const inbox = path.join(dir, 'inbox-settle');
    const watcher = watchFolder(store, { dir: inbox, settleMs: 60_000, intervalMs: 3_600_000 });
    try {
      fs.writeFileSync(path.join(inbox, 'DeviceNetworkEvents.ndjson'), JSON.stringify(networkRow(1)));
      expect(await watcher.scanOnce()).toEqual([]);
    } finally {
      await watcher.stop();
    }
  });
});

describe('data connectors status', () => {
  it('reports last event time, rows today, rejects and the last error per source and table', async () => {
    const now = new Date();
    const body = [JSON.stringify(networkRow(0, Date.parse('2024-06-01T12:00:00Z'))), JSON.stringify(networkRow(5, Date.parse('2024-06-01T12:00:00Z'))), '{"Timestamp":"bad"}'].join('\n');
    await ingest(store, bufferSource(body), { source: 'status-test', format: 'ndjson', table: 'DeviceNetworkEvents', now: () => now });
    await expect(ingest(store, bufferSource('a,b\n"1,2\n'), { source: 'status-test', format: 'csv', table: 'DnsEvents', now: () => now })).resolves.toMatchObject({ rejected: 1 });
    await expect(ingest(store, bufferSource('"x\n'), { source: 'status-test', format: 'csv', table: 'Syslog', now: () => now })).rejects.toMatchObject({ code: 'ingest/bad-format' });
    const status = (await connectorStatus(store, now)).filter((s) => s.source === 'status-test');
    expect(status).toEqual([
      expect.objectContaining({ table: 'DeviceNetworkEvents', lastEventTime: '2024-06-01T12:00:05.0000000Z', rowsToday: 2, rejectsToday: 1, lastError: null }),
      expect.objectContaining({ table: 'DnsEvents', rowsToday: 0, rejectsToday: 1 }),
      expect.objectContaining({ table: 'Syslog', rowsToday: 0, lastError: expect.stringMatching(/CSV header/) }),
    ]);
    const tomorrow = new Date(now.getTime() + 86_400_000);
    expect((await connectorStatus(store, tomorrow)).find((s) => s.source === 'status-test')).toMatchObject({ rowsToday: 0, rowsTotal: 2 });
  });
});

describe('retention', () => {
  it('deletes event rows older than 30 days by default, honours per-table overrides, leaves others alone', async () => {
    const rows = (name: string) =>
      ['2024-01-01T00:00:00Z', '2024-01-20T00:00:00Z', '2024-02-01T00:00:00Z'].map((t, i) => JSON.stringify({ ...networkRow(i), Timestamp: t, DeviceName: name })).join('\n');
    await ingest(store, bufferSource(rows('ret')), { source: 'ret', format: 'ndjson', table: 'DeviceNetworkEvents' });
    await ingest(store, bufferSource(['2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z'].map((t) => JSON.stringify({ TimeGenerated: t, Computer: 'ret' })).join('\n')), { source: 'ret', format: 'ndjson', table: 'Syslog' });
    const clock = { now: new Date('2024-02-05T00:00:00Z') };
    const job = startRetentionJob(store, { intervalMs: 3_600_000, now: () => clock.now });
    try {
      // Everything else in this store is from 2024-05/06 or later, so only these rows are in reach.
      await setRetention(store, 'Syslog', 7);
      const deleted = await job.runOnce();
      expect(deleted).toMatchObject({ DeviceNetworkEvents: 1, Syslog: 1 });
      expect(await count(`SELECT count(*) FROM DeviceNetworkEvents WHERE DeviceName = 'ret'`)).toBe(2);
      expect(await count(`SELECT count(*) FROM Syslog WHERE Computer = 'ret'`)).toBe(1);
      clock.now = new Date('2024-02-25T00:00:00Z');
      expect(await job.runOnce()).toMatchObject({ DeviceNetworkEvents: 1 });
      expect(await count(`SELECT count(*) FROM DeviceNetworkEvents WHERE DeviceName = 'ret'`)).toBe(1);
      // Non-event tables keep everything unless told otherwise.
      const indicatorDays = (await import('../../src/ingest/retention.js')).retentionPolicies;
      const policies = await indicatorDays(store);
      expect(policies.find((p) => p.table === 'ThreatIntelligenceIndicator')?.days).toBeNull();
      expect(policies.find((p) => p.table === 'DnsEvents')?.days).toBe(30);
    } finally {
      job.stop();
    }
    // An explicit sweep far in the future empties event tables but the quarantine follows its own clock.
    const far = await enforceRetention(store, new Date('2030-01-01T00:00:00Z'));
    expect(far.DeviceNetworkEvents).toBeGreaterThan(0);
  });
});
