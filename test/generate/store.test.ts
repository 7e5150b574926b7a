/**
 * The generator against a real DuckDB store: every row appends, counts match, the planted truth agrees
 * with SQL over the stored rows, and the demo set loads exactly once (also across a reopen).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_MARKER, demoOptions, loadDemoData } from '../../src/generate/demo.js';
import { generateInto, resolveOptions, type GenerateResult } from '../../src/generate/index.js';
import { getMeta } from '../../src/store/meta.js';
import { openStore } from '../../src/store/duckdb/open-store.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'quarry-generate-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('generateInto a DuckDB store', () => {
  it('appends every table, and SQL over the stored rows agrees with the planted truth', async () => {
    const store = await openStore(path.join(tmp, 'gen'));
    let result: GenerateResult;
    try {
      const progress: number[] = [];
      result = await generateInto(store, { seed: 9, rows: 8_000, end: '2024-05-01T00:00:00Z' }, { onProgress: (p) => progress.push(p.rows) });
      expect(progress.at(-1)).toBe(result.rows);
      for (const [table, n] of Object.entries(result.counts)) expect(await store.count(table), table).toBe(BigInt(n));

      const refs = result.truth.refs;
      const count = async (sql: string): Promise<number> => Number((await store.query(sql)).rows[0]![0]);
      const truthRows = (table: string, indicator: string, column: string): number =>
        new Set(refs.filter((r) => r.table === table && r.indicator === indicator && r.column === column).map((r) => r.key)).size;

      expect(await count("SELECT count(*) FROM DeviceNetworkEvents WHERE RemoteIP = '203.0.113.77'")).toBe(truthRows('DeviceNetworkEvents', 'c2-ip', 'RemoteIP'));
      expect(await count("SELECT count(*) FROM DeviceEvents WHERE ActionType = 'DnsQueryResponse' AND json_extract_string(AdditionalFields, '$.DnsQueryString') LIKE '%dancevida.com'"))
        .toBe(truthRows('DeviceEvents', 'phish-domain', 'AdditionalFields'));
      expect(await count("SELECT count(*) FROM EmailUrlInfo WHERE UrlDomain LIKE '%dancevida.com'")).toBe(truthRows('EmailUrlInfo', 'phish-domain', 'UrlDomain'));
      expect(await count("SELECT count(*) FROM IdentityQueryEvents WHERE ActionType = 'DNS query' AND QueryTarget = 'cdn-sync.example.net'"))
        .toBe(truthRows('IdentityQueryEvents', 'c2-domain', 'QueryTarget'));
      expect(truthRows('DeviceNetworkEvents', 'c2-ip', 'RemoteIP')).toBeGreaterThan(0);
      // Defender rows are stored with their Sentinel columns.
      expect(await count('SELECT count(*) FROM DeviceNetworkEvents WHERE TimeGenerated <> "Timestamp" OR TenantId IS NULL')).toBe(0);
      // Dynamic columns hold JSON objects.
      expect(await count("SELECT count(*) FROM ThreatIntelIndicators WHERE json_extract_string(Data, '$.pattern_type') = 'stix'")).toBe(result.counts.ThreatIntelIndicators);
    } finally {
      await store.close();
    }
  });
});

describe('loadDemoData', () => {
  it('loads ~50k events once, records the marker, and does not load again (also after a reopen)', async () => {
    const dir = path.join(tmp, 'demo');
    let store = await openStore(dir);
    try {
      const first = await loadDemoData(store, { end: '2024-05-01T00:00:00Z' });
      expect(first.alreadyLoaded).toBe(false);
      expect(first.rows).toBeGreaterThanOrEqual(50_000);
      expect(first.rows).toBeLessThan(51_000);
      expect(await getMeta(store, DEMO_MARKER)).toBeTruthy();
      const second = await loadDemoData(store);
      expect(second).toEqual({ rows: 0, alreadyLoaded: true });
    } finally {
      await store.close();
    }
    store = await openStore(dir);
    try {
      expect(await loadDemoData(store)).toEqual({ rows: 0, alreadyLoaded: true });
      const n = Number((await store.query('SELECT count(*) FROM DeviceNetworkEvents')).rows[0]![0]);
      expect(n).toBe(resolveOptions(demoOptions()).counts.get('DeviceNetworkEvents'));
    } finally {
      await store.close();
    }
  }, 120_000);
});
