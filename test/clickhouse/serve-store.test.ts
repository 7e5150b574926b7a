/**
 * `serve --store clickhouse://…` against Debian's real `clickhouse-server` (18.16) on 127.0.0.1: the
 * application store opens as a split store (event and explorer tables in ClickHouse, the rest in the data
 * directory's DuckDB), rows appended to an event table land in ClickHouse, and a hunting query over HTTP
 * (Graph `runHuntingQuery`, a real bearer token from the DuckDB side) counts them on ClickHouse.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/api/server.js';
import { openQuarryStore } from '../../src/app/open-store.js';
import { createToken } from '../../src/auth/tokens.js';
import { createUser } from '../../src/auth/users.js';
import { resolveConfig } from '../../src/core/config.js';
import { silentLogger } from '../../src/core/log.js';
import { runKql } from '../../src/hunt/run.js';
import { huntingTarget, parseEventsStoreUrl, SplitStore } from '../../src/store/clickhouse/split-store.js';
import type { Store } from '../../src/store/store.js';
import { call } from '../api/harness.js';
import { removeTempDirs, tempDataDir } from '../store/temp-dir.js';
import { debianServerUnavailable, startDebianServer, type RunningServer as ClickHouseServer } from './debian-server.js';

const unavailable = debianServerUnavailable();
/**
 * A query simple enough for ClickHouse 18.16 (no positional GROUP BY, DateTime64, window functions or
 * JSONExtract there — the dialect targets ≥ 23.8; the differential suite covers the rest on chdb).
 */
const HUNT = 'DeviceNetworkEvents | where RemoteIP == "10.0.0.1" | count';

describe('events store URL', () => {
  it('maps clickhouse:// to the HTTP interface and reads the layout options', () => {
    expect(parseEventsStoreUrl('clickhouse://u:p@ch.local/db')).toEqual({ httpUrl: 'http://u:p@ch.local:8123/db', layout: {} });
    expect(parseEventsStoreUrl('clickhouses://ch.local:9443/?cluster=soc&retention_days=30'))
      .toEqual({ httpUrl: 'https://ch.local:9443', layout: { cluster: 'soc', retentionDays: 30 } });
  });
  it('rejects other schemes and bad retention with core/bad-config', () => {
    expect(() => parseEventsStoreUrl('postgres://h/db')).toThrow(expect.objectContaining({ code: 'core/bad-config' }));
    expect(() => parseEventsStoreUrl('clickhouse://h/db?retention_days=-1')).toThrow(expect.objectContaining({ code: 'core/bad-config' }));
  });
  it('a bad --store fails the open and releases the data directory', async () => {
    const dir = tempDataDir('quarry-ch-bad-');
    await expect(openQuarryStore(dir, { eventsStore: 'postgres://h/db' })).rejects.toMatchObject({ code: 'core/bad-config' });
    const again = await openQuarryStore(dir, { eventsStore: 'duckdb:' });
    expect(again).not.toBeInstanceOf(SplitStore);
    await again.close();
    removeTempDirs();
  });
});

describe.skipIf(unavailable !== null)(`serve --store clickhouse:// on Debian clickhouse-server${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let ch: ClickHouseServer;
  let store: Store;
  let server: RunningServer;
  let token: string;

  beforeAll(async () => {
    ch = await startDebianServer();
    const dir = tempDataDir('quarry-ch-serve-');
    store = await openQuarryStore(dir, { eventsStore: `${ch.httpUrl.replace(/^http:/, 'clickhouse:')}/default` });
    await createUser(store, { username: 'hunter', password: 'correct horse battery staple', role: 'reader' });
    token = (await createToken(store, { username: 'hunter', name: 'hunting test token' })).token;
    server = await startServer({ store, config: resolveConfig({ data: dir, host: '127.0.0.1', port: 0 }, {}), logger: silentLogger });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await store?.close();
    await ch?.stop();
    removeTempDirs();
  }, 30_000);

  it('keeps event tables in ClickHouse and users, intel and detections in DuckDB', async () => {
    expect(store).toBeInstanceOf(SplitStore);
    const split = store as SplitStore;
    expect(split.eventTables.has('DeviceNetworkEvents')).toBe(true);
    expect(split.eventTables.has('ThreatIntelIndicators')).toBe(false);
    expect(await split.events.listTables()).toContain('DeviceNetworkEvents');
    const rows = ['10.0.0.1', '10.0.0.1', '8.8.8.8'].map((ip, i) => ({
      Timestamp: new Date(Date.UTC(2024, 0, 1, 0, i)), DeviceName: `host-${i}`, RemoteIP: ip, RemotePort: 443,
    }));
    expect(await store.append('DeviceNetworkEvents', rows)).toBe(3);
    expect(await store.count('DeviceNetworkEvents')).toBe(3n);
    expect(await split.meta.count('DeviceNetworkEvents')).toBe(0n);
  });

  it('huntingTarget runs KQL over the event tables on ClickHouse', async () => {
    const target = huntingTarget(store);
    expect(target.store).toBe((store as SplitStore).events);
    const r = await runKql(target.store, HUNT, { compile: { ...(target.dialect ? { dialect: target.dialect } : {}) } });
    expect(r.results).toEqual([{ Count: 2n }]);
  });

  it('runs a hunting query over HTTP on ClickHouse', async () => {
    // runKql compiles for, and runs on, `huntingTarget(store)`: ClickHouse SQL, not a read of the empty DuckDB copy.
    expect((await runKql(store, 'print x = 1')).sql).toMatch(/toInt64|fromUnixTimestamp64Micro/);
    const res = await call(server.url, 'POST', '/v1.0/security/runHuntingQuery', {
      token, body: { Query: HUNT },
    });
    expect(res.status).toBe(200);
    expect(res.json.schema).toEqual([{ name: 'Count', type: 'Int64' }]);
    expect(res.json.results).toEqual([{ Count: 2 }]);
  });
});
