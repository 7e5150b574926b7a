/**
 * explorer-lookup: an Intel Explorer host lookup — search recognition, reputation, insights, and the count
 * plus first page of every data set (`artifactSummary`) — p95 over 40 random hosts per repetition, with
 * `rows` resolutions and `rows / 5` host pairs (medium scale: 10M and 2M). Baseline: one hand-written point
 * SELECT on the resolutions table for the same hosts (the floor any lookup pays).
 */
import path from 'node:path';
import { artifactSummary } from '../../src/explorer/summary.js';
import { ensureExplorerIndexes } from '../../src/explorer/indexes.js';
import { explorerMigrations } from '../../src/explorer/migrations.js';
import { processCatalog } from '../../src/catalog/catalog.js';
import { physicalTables } from '../../src/store/catalog-tables.js';
import { openStore } from '../../src/store/duckdb/open-store.js';
import type { Store } from '../../src/store/store.js';
import type { Benchmark } from '../harness.js';

interface State {
  readonly store: Store;
  readonly hosts: number;
}

const LOOKUPS = 40;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))]!;
let seed = 7;
const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
const hostName = (i: number) => `h${i}.d${i % 5000}.example`;

const benchmark: Benchmark<State> = {
  name: 'explorer-lookup',
  description: `artifactSummary for a host (reputation, insights, count + first page of each data set), p95 of ${LOOKUPS} lookups, over rows resolutions and rows/5 host pairs.`,
  unit: 'ms',

  async setup(ctx) {
    const store = await openStore(path.join(ctx.workDir, 'store'), { migrations: explorerMigrations, tables: physicalTables(processCatalog()) });
    const hosts = Math.max(1000, Math.floor(ctx.rows / 10)); // ~10 resolutions per host
    ctx.log(`explorer-lookup: generating ${ctx.rows} resolutions and ${Math.floor(ctx.rows / 5)} host pairs`);
    await store.exec(`INSERT INTO ExplorerResolutions (Host, Resolve, RecordType, ResolveKind, Asn, FirstSeen, LastSeen, SeenCount, Source, Tags)
      SELECT 'h' || (i % ${hosts}) || '.d' || ((i % ${hosts}) % 5000) || '.example',
             '10.' || ((i // 65536) % 256) || '.' || ((i // 256) % 256) || '.' || (i % 256), 'A', 'ip', 64500 + (i % 11),
             TIMESTAMP '2020-01-01' + to_seconds(i % 100000000), TIMESTAMP '2024-01-01' + to_seconds(i % 10000000), 1 + i % 50, 'bench', ''
      FROM range(${ctx.rows}) t(i)`);
    await store.exec(`INSERT INTO ExplorerHostPairs (ParentHost, ChildHost, Cause, FirstSeen, LastSeen, SeenCount, Source, Tags)
      SELECT 'h' || (i % ${hosts}) || '.d' || ((i % ${hosts}) % 5000) || '.example', 'h' || ((i * 7919) % ${hosts}) || '.d' || (((i * 7919) % ${hosts}) % 5000) || '.example',
             ['script.src', 'img.src', 'redirect', 'link.href'][1 + i % 4], TIMESTAMP '2021-01-01' + to_seconds(i % 50000000),
             TIMESTAMP '2024-01-01' + to_seconds(i % 5000000), 1, 'bench', ''
      FROM range(${Math.floor(ctx.rows / 5)}) t(i)`);
    ctx.log('explorer-lookup: building indexes');
    await ensureExplorerIndexes(store);
    await store.checkpoint();
    return { store, hosts };
  },

  subject: {
    label: 'artifactSummary p95',
    async run(_ctx, s) {
      const times: number[] = [];
      for (let i = 0; i < LOOKUPS; i++) {
        const t0 = performance.now();
        await artifactSummary(s.store, hostName(rnd(s.hosts)));
        times.push(performance.now() - t0);
      }
      return { ms: p95(times) };
    },
  },

  baseline: {
    label: 'point SELECT p95',
    async run(_ctx, s) {
      const times: number[] = [];
      for (let i = 0; i < LOOKUPS; i++) {
        const t0 = performance.now();
        await s.store.query('WITH m AS MATERIALIZED (SELECT * FROM ExplorerResolutions WHERE Host = $1) SELECT * FROM m ORDER BY LastSeen DESC LIMIT 25', { params: [hostName(rnd(s.hosts))] });
        times.push(performance.now() - t0);
      }
      return { ms: p95(times) };
    },
  },

  async teardown(_ctx, s) {
    await s.store.close();
  },
};

export default benchmark;
