/**
 * Real-server check: Debian's clickhouse-server 18.16 on 127.0.0.1, two shards behind a Distributed
 * table; 1M rows go through the ClickHouse store's idempotent batch append and count back exactly,
 * and a retried batch (same token) is not duplicated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClickHouseStore } from '../../src/store/clickhouse/clickhouse-store.js';
import { createTableSql } from '../../src/store/clickhouse/table-ddl.js';
import { debianServerUnavailable, startDebianServer, type RunningServer } from './debian-server.js';

const unavailable = debianServerUnavailable();
const ROWS = 1_000_000;
const BATCH = 100_000;

describe.skipIf(unavailable !== null)(`ClickHouse store on Debian clickhouse-server 18.16, two shards${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let server: RunningServer;
  let store: ClickHouseStore;
  beforeAll(async () => {
    server = await startDebianServer();
    store = await ClickHouseStore.open({ url: `${server.httpUrl}/default` });
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    await server?.stop();
  });

  it('reports an old server: the dialect SQL needs ≥ 23.8', () => {
    expect(store.version[0]).toBe(18);
    expect(store.modern).toBe(false);
  });

  it('ingests 1M rows through a Distributed table and counts them back exactly; a retried batch is not duplicated', async () => {
    const table = { name: 'DeviceNetworkEvents', columns: [
      { name: 'Timestamp', type: 'datetime' as const }, { name: 'DeviceName', type: 'string' as const },
      { name: 'RemoteIP', type: 'string' as const }, { name: 'RemotePort', type: 'int' as const }, { name: 'ActionType', type: 'string' as const },
    ] };
    await store.exec('CREATE DATABASE IF NOT EXISTS shard1');
    await store.exec('CREATE DATABASE IF NOT EXISTS shard2');
    const layout = { timeColumn: 'Timestamp', entityColumns: ['DeviceName'], legacy: true };
    for (const db of ['shard1', 'shard2']) {
      const [ddl] = createTableSql({ ...table, name: `${db}.x` }, layout);
      await store.exec(ddl!.replace('"shard1.x"', 'shard1."DeviceNetworkEvents_local"').replace('"shard2.x"', 'shard2."DeviceNetworkEvents_local"'));
    }
    await store.exec(`CREATE TABLE "DeviceNetworkEvents" AS shard1."DeviceNetworkEvents_local" ENGINE = Distributed(quarry, '', "DeviceNetworkEvents_local", cityHash64("DeviceName"))`);

    const base = Date.UTC(2024, 0, 1) / 1000;
    const batchRows = (b: number) => Array.from({ length: BATCH }, (_, i) => {
      const n = b * BATCH + i;
      return { Timestamp: new Date((base + (n % 172_800)) * 1000), DeviceName: `host-${n % 997}`, RemoteIP: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`, RemotePort: 443, ActionType: 'ConnectionSuccess' };
    });
    let written = 0;
    for (let b = 0; b < ROWS / BATCH; b++) written += await store.appendBatch('DeviceNetworkEvents', batchRows(b), `batch-${b}`);
    // A retry of batch 3 (e.g. after a lost acknowledgement) carries the same token.
    const retried = await store.appendBatch('DeviceNetworkEvents', batchRows(3), 'batch-3');
    expect(written).toBe(ROWS);
    expect(retried).toBe(0);
    expect(await store.count('DeviceNetworkEvents')).toBe(BigInt(ROWS));
    const shards = await store.query('SELECT (SELECT count() FROM shard1."DeviceNetworkEvents_local") AS a, (SELECT count() FROM shard2."DeviceNetworkEvents_local") AS b');
    const [a, b] = shards.rows[0] as [bigint, bigint];
    expect(a + b).toBe(BigInt(ROWS));
    expect(a > 0n && b > 0n).toBe(true);
    const days = await store.query('SELECT count(DISTINCT toYYYYMMDD("Timestamp")) FROM "DeviceNetworkEvents"');
    expect(days.rows[0]![0]).toBe(2n);
  }, 240_000);
});
