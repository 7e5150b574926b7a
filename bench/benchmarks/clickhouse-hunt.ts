/**
 * clickhouse-hunt-q01 … q13: the hunting queries of `hunt-queries.ts` through Quarry (`runKql`) on
 * embedded ClickHouse (chdb, ClickHouse dialect) vs on DuckDB, same data (`bench/fixtures.ts`, copied
 * from the DuckDB store into chdb MergeTree tables — the catalog's layout — through Parquet). Ratio = DuckDB time ÷ chdb time
 * (> 1: ClickHouse faster). Needs the optional `chdb` package.
 */
import path from 'node:path';
import { runKql } from '../../src/hunt/run.js';
import { processCatalog } from '../../src/catalog/catalog.js';
import { physicalColumns } from '../../src/catalog/views.js';
import { clickhouseDialect } from '../../src/sql/dialects/clickhouse/dialect.js';
import { quoteIdentifier, sqlString } from '../../src/sql/dialects/clickhouse/literals.js';
import type { ClickHouseStore } from '../../src/store/clickhouse/clickhouse-store.js';
import { createTableSql } from '../../src/store/clickhouse/table-ddl.js';
import type { Store } from '../../src/store/store.js';
import { chdbUnavailable, openChdbStore } from '../../test/clickhouse/chdb-backend.js';
import { HUNT_END, huntingStore } from '../fixtures.js';
import type { Benchmark } from '../harness.js';
import { huntQueries } from './hunt-queries.js';

interface State {
  readonly duck: Store;
  readonly ch: ClickHouseStore;
}

/** The tables the hunting queries read (events, and the indicators q06 joins to). */
const TABLES = ['DeviceNetworkEvents', 'ThreatIntelligenceIndicator'];
let loaded: Promise<State> | undefined;

async function load(rows: number, workDir: string, log: (m: string) => void): Promise<State> {
  const duck = await huntingStore(rows, log);
  const ch = await openChdbStore();
  for (const table of TABLES) {
    const file = path.join(workDir, `${table}.parquet`);
    await duck.exec(`COPY ${table} TO ${sqlString(file)} (FORMAT parquet)`);
    const def = processCatalog().getTable(table);
    const cols = physicalColumns(def);
    await ch.exec(`DROP TABLE IF EXISTS ${quoteIdentifier(table)}`);
    const entityColumns = (def.entityColumns ?? []).map((e) => e.column);
    for (const sql of createTableSql({ name: table, columns: cols }, { ...(def.timeColumn ? { timeColumn: def.timeColumn } : {}), entityColumns })) await ch.exec(sql);
    const list = cols.map((c) => quoteIdentifier(c.name)).join(', ');
    await ch.exec(`INSERT INTO ${quoteIdentifier(table)} (${list}) SELECT ${list} FROM file(${sqlString(file)}, Parquet)`);
    log(`chdb: ${table}: ${await ch.count(table)} rows loaded`);
  }
  return { duck, ch };
}

const benchmarks: Benchmark<State>[] = huntQueries.map((q) => ({
  name: `clickhouse-hunt-${q.id}`,
  description: `${q.what} on chdb vs DuckDB: \`${q.kql}\``,
  unit: 'ms',
  async available() {
    return chdbUnavailable();
  },
  async setup(ctx) {
    loaded ??= load(ctx.rows, ctx.workDir, ctx.log);
    return loaded;
  },
  subject: {
    label: 'Quarry on chdb',
    async run(_ctx, s) {
      const t0 = performance.now();
      await runKql(s.ch, q.kql, { now: HUNT_END, maxRows: 100_000, compile: { dialect: clickhouseDialect } });
      return { ms: performance.now() - t0 };
    },
  },
  baseline: {
    label: 'Quarry on DuckDB',
    async run(_ctx, s) {
      const t0 = performance.now();
      await runKql(s.duck, q.kql, { now: HUNT_END, maxRows: 100_000 });
      return { ms: performance.now() - t0 };
    },
  },
}));

export default benchmarks;
