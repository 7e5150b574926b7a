/**
 * generate-append: the generator plus `Store.append` writing DeviceNetworkEvents into a fresh store
 * (rows/s, to a checkpointed file), against DuckDB's own bulk path on the same rows: NDJSON written once,
 * then `INSERT INTO … SELECT * FROM read_json(file, columns={…})` into the same schema in a fresh
 * database file, then CHECKPOINT. The ratio says what fraction of DuckDB's native ingest rate Quarry's
 * JS-side row path reaches.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { defaultCatalog } from '../../src/catalog/catalog.js';
import { physicalColumns } from '../../src/catalog/views.js';
import { generateInto, generateRows, resolveOptions, type ResolvedOptions } from '../../src/generate/index.js';
import { duckdbTypeOf } from '../../src/sql/dialects/duckdb/types.js';
import { openStore } from '../../src/store/duckdb/open-store.js';
import type { Benchmark } from '../harness.js';

const TABLE = 'DeviceNetworkEvents';
/** NDJSON of DeviceNetworkEvents is ~1.4 KB a row: cap the baseline file at 2M rows (~3 GB). */
const BASELINE_MAX_ROWS = 2_000_000;
/** The figure is a rate: at `small` 250k rows measure it as well as 1M and keep the whole bench run within budget. */
const rowsFor = (scale: string, rows: number): number => (scale === 'small' ? Math.min(rows, 250_000) : rows);

interface State {
  readonly options: ResolvedOptions;
  readonly ndjson: string;
  readonly baselineRows: number;
  readonly createSql: string;
  readonly columnsArg: string;
  runs: number;
}

const q = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const lit = (s: string): string => `'${s.replace(/'/g, "''")}'`;

const benchmark: Benchmark<State> = {
  name: 'generate-append',
  description: `generator + Store.append of ${TABLE} into a fresh store (incl. CHECKPOINT) vs DuckDB read_json of the same rows as NDJSON into the same schema.`,
  unit: 'rows/s',
  runs: (scale) => (scale === 'medium' || scale === 'large' ? { reps: 2, warmup: 0 } : undefined),

  async setup(ctx) {
    const options = resolveOptions({ seed: 7, rows: { [TABLE]: rowsFor(ctx.scale, ctx.rows) }, end: '2024-05-01T00:00:00Z', days: 7, batchSize: 10_000 });
    const cols = physicalColumns(defaultCatalog().getTable(TABLE));
    const ndjson = path.join(ctx.workDir, `${TABLE}.ndjson`);
    const baselineRows = Math.min(rowsFor(ctx.scale, ctx.rows), BASELINE_MAX_ROWS);
    const fd = fs.openSync(ndjson, 'w');
    let written = 0;
    try {
      for (const batch of generateRows(TABLE, options)) {
        const take = batch.slice(0, baselineRows - written);
        fs.writeSync(fd, take.map((r) => JSON.stringify(r)).join('\n') + '\n');
        written += take.length;
        if (written >= baselineRows) break;
      }
    } finally {
      fs.closeSync(fd);
    }
    ctx.log(`generate-append: wrote ${written.toLocaleString('en-US')} rows of NDJSON (${Math.round(fs.statSync(ndjson).size / 2 ** 20)} MiB)`);
    return {
      options,
      ndjson,
      baselineRows: written,
      createSql: `CREATE TABLE ${q(TABLE)} (${cols.map((c) => `${q(c.name)} ${duckdbTypeOf[c.type]}`).join(', ')})`,
      columnsArg: `{${cols.map((c) => `${lit(c.name)}: ${lit(duckdbTypeOf[c.type])}`).join(', ')}}`,
      runs: 0,
    };
  },

  subject: {
    label: 'Quarry generate+append',
    async run(ctx, s) {
      const dir = path.join(ctx.workDir, `store-${s.runs++}`);
      const store = await openStore(dir);
      try {
        const t0 = performance.now();
        const r = await generateInto(store, s.options);
        await store.checkpoint();
        const ms = performance.now() - t0;
        return { ms, units: r.rows };
      } finally {
        await store.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  },

  baseline: {
    label: 'DuckDB read_json',
    async run(ctx, s) {
      const dir = path.join(ctx.workDir, `baseline-${s.runs++}`);
      fs.mkdirSync(dir, { recursive: true });
      const instance = await DuckDBInstance.create(path.join(dir, 'baseline.duckdb'));
      const conn = await instance.connect();
      try {
        await conn.run(s.createSql);
        const t0 = performance.now();
        await conn.run(
          `INSERT INTO ${q(TABLE)} SELECT * FROM read_json(${lit(s.ndjson)}, format='newline_delimited', columns=${s.columnsArg})`,
        );
        await conn.run('CHECKPOINT');
        const ms = performance.now() - t0;
        const n = Number((await conn.runAndReadAll(`SELECT count(*) FROM ${q(TABLE)}`)).getRows()[0]![0]);
        if (n !== s.baselineRows) throw new Error(`baseline loaded ${n} rows, expected ${s.baselineRows}`);
        return { ms, units: n };
      } finally {
        conn.disconnectSync();
        instance.closeSync();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  },

  notes(s) {
    return s.baselineRows < (s.options.counts.get(TABLE) ?? 0)
      ? `Baseline on the first ${s.baselineRows.toLocaleString('en-US')} rows (NDJSON size cap); rates compared.`
      : undefined;
  },
};

export default benchmark;
