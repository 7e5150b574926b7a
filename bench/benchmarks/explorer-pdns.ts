/**
 * explorer-pdns: passive-DNS aggregation of `rows` DNS answer events (CNAME chains included) into
 * resolutions with first/last seen and count, merged into the store (`PdnsAggregator` + `mergePdns`),
 * in events/s. Baseline: the same events already in a DuckDB table, aggregated by one GROUP BY in SQL.
 */
import path from 'node:path';
import { PdnsAggregator } from '../../src/explorer/collectors/pdns-aggregate.js';
import { mergePdns } from '../../src/explorer/collectors/pdns-zeek.js';
import { explorerMigrations } from '../../src/explorer/migrations.js';
import { processCatalog } from '../../src/catalog/catalog.js';
import { physicalTables } from '../../src/store/catalog-tables.js';
import { openStore } from '../../src/store/duckdb/open-store.js';
import type { Store } from '../../src/store/store.js';
import type { Benchmark } from '../harness.js';

interface State {
  readonly store: Store;
  readonly events: { q: string; answers: string[]; ts: bigint }[];
  run: number;
}

const benchmark: Benchmark<State> = {
  name: 'explorer-pdns',
  description: 'pDNS aggregation of rows DNS answer events (20% CNAME chains) into resolutions + merge into the store, events/s; baseline: SQL GROUP BY of the same events in DuckDB.',
  unit: 'rows/s',

  async setup(ctx) {
    const store = await openStore(path.join(ctx.workDir, 'store'), { migrations: explorerMigrations, tables: physicalTables(processCatalog()) });
    const events: State['events'] = [];
    const hosts = Math.max(100, Math.floor(ctx.rows / 20));
    for (let i = 0; i < ctx.rows; i++) {
      const h = (i * 2654435761) % hosts;
      const ip = `10.${(h >> 8) & 255}.${h & 255}.${i % 4}`;
      const q = `q${h}.example.com`;
      events.push({ q, answers: h % 5 === 0 ? [`edge${h % 97}.cdn.example.net`, ip] : [ip], ts: 1_700_000_000_000_000n + BigInt(i) * 1000n });
    }
    await store.exec('CREATE TABLE bench_dns (ts BIGINT, q VARCHAR, a VARCHAR)');
    await store.exec(`INSERT INTO bench_dns SELECT 1700000000000000 + i * 1000, 'q' || ((i * 2654435761) % ${hosts}) || '.example.com',
       '10.' || ((((i * 2654435761) % ${hosts}) >> 8) & 255) || '.' || (((i * 2654435761) % ${hosts}) & 255) || '.' || (i % 4) FROM range(${ctx.rows}) t(i)`);
    return { store, events, run: 0 };
  },

  subject: {
    label: 'PdnsAggregator + merge',
    async run(_ctx, s) {
      const t0 = performance.now();
      const agg = new PdnsAggregator('bench');
      for (const e of s.events) agg.addAnswers(e.q, 'A', e.answers, e.ts);
      agg.events = s.events.length;
      await mergePdns(s.store, agg, `bench-run-${s.run++}`);
      return { ms: performance.now() - t0, units: s.events.length };
    },
  },

  baseline: {
    label: 'DuckDB GROUP BY',
    async run(_ctx, s) {
      const t0 = performance.now();
      await s.store.query('SELECT q, a, min(ts), max(ts), count(*) FROM bench_dns GROUP BY q, a', { maxRows: 1 });
      return { ms: performance.now() - t0, units: s.events.length };
    },
  },

  async teardown(_ctx, s) {
    await s.store.close();
  },
};

export default benchmark;
