/**
 * explorer-pdns-store: passive DNS from `rows` Sentinel DnsEvents already in the store (`collectStoreDns`,
 * set-based in SQL: split answers, GROUP BY with min/max/count into the staging tables, MERGE into
 * resolutions, DNS records and subdomains), in events/s. Each run collects every event again (watermark and
 * batch ledger reset; the edges exist from the warm-up, so runs widen first/last and add counts). Baseline:
 * the bare GROUP BY of the same events by (name, address) with min/max/count, nothing written.
 */
import path from 'node:path';
import { collectStoreDns } from '../../src/explorer/collectors/pdns-store.js';
import { explorerMigrations } from '../../src/explorer/migrations.js';
import { processCatalog } from '../../src/catalog/catalog.js';
import { physicalTables } from '../../src/store/catalog-tables.js';
import { openStore } from '../../src/store/duckdb/open-store.js';
import type { Store } from '../../src/store/store.js';
import type { Benchmark } from '../harness.js';

interface State {
  readonly store: Store;
}

const benchmark: Benchmark<State> = {
  name: 'explorer-pdns-store',
  description: 'pDNS from rows DnsEvents in the store (collectStoreDns, set-based SQL aggregation + merge), events/s; baseline: bare SQL GROUP BY of the same events by (name, address).',
  unit: 'rows/s',

  async setup(ctx) {
    const store = await openStore(path.join(ctx.workDir, 'store'), { migrations: explorerMigrations, tables: physicalTables(processCatalog()) });
    const hosts = Math.max(100, Math.floor(ctx.rows / 20));
    ctx.log(`explorer-pdns-store: generating ${ctx.rows} DnsEvents over ${hosts} names`);
    // As explorer-pdns: ~20 events per name, four addresses per name; every fifth event answers two addresses.
    await store.exec(`INSERT INTO DnsEvents (TimeGenerated, Name, QueryType, IPAddresses, SubType)
      SELECT TIMESTAMP '2024-01-01' + to_microseconds(i * 1000), 'q' || h || '.example.com', 'A',
             '10.' || ((h >> 8) & 255) || '.' || (h & 255) || '.' || (i % 4) || CASE WHEN h % 5 = 0 THEN ', 10.200.' || (h & 255) || '.1' ELSE '' END,
             'LookupQuery'
      FROM (SELECT i, (i * 2654435761) % ${hosts} AS h FROM range(${ctx.rows}) t(i))`);
    await store.checkpoint();
    return { store };
  },

  subject: {
    label: 'collectStoreDns (SQL)',
    async run(_ctx, s) {
      await s.store.exec("DELETE FROM _explorer_watermarks WHERE source = 'DnsEvents'");
      await s.store.exec("DELETE FROM _explorer_batches WHERE batch_id LIKE 'DnsEvents:%'");
      const t0 = performance.now();
      const r = await collectStoreDns(s.store, 'DnsEvents');
      return { ms: performance.now() - t0, units: r.events };
    },
  },

  baseline: {
    label: 'DuckDB GROUP BY',
    async run(ctx, s) {
      const t0 = performance.now();
      await s.store.query(
        `SELECT Name, a, min(TimeGenerated), max(TimeGenerated), count(*)
         FROM (SELECT Name, TimeGenerated, unnest(string_split(IPAddresses, ', ')) AS a FROM DnsEvents) GROUP BY Name, a`,
        { maxRows: 1 },
      );
      return { ms: performance.now() - t0, units: ctx.rows };
    },
  },

  async teardown(_ctx, s) {
    await s.store.close();
  },
};

export default benchmark;
