/**
 * intel-import: importing a STIX 2.1 bundle of 100,000 indicators (5,000 at `--scale tiny`) into a fresh
 * store — validation, pattern parsing, observable extraction, versioned write and projection into the three
 * Sentinel TI tables, then CHECKPOINT — in objects/s, against DuckDB's read_json of the same objects as
 * NDJSON into one plain JSON table (the raw storage floor). Notes give the store size after the import.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { importIntelFile } from '../../src/intel/import/index.js';
import { intelMigrations } from '../../src/intel/migrations.js';
import { defaultPhysicalTables } from '../../src/store/catalog-tables.js';
import { openStore } from '../../src/store/duckdb/open-store.js';
import type { Benchmark } from '../harness.js';

interface State {
  readonly bundle: string;
  readonly ndjson: string;
  readonly count: number;
  runs: number;
  storeBytes: number;
}

function dirSize(dir: string): number {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    n += e.isDirectory() ? dirSize(p) : fs.statSync(p).size;
  }
  return n;
}

function indicator(i: number): Record<string, unknown> {
  const hex = i.toString(16).padStart(12, '0');
  const kind = i % 4;
  const pattern =
    kind === 0 ? `[ipv4-addr:value = '10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}']`
    : kind === 1 ? `[domain-name:value = 'host-${i}.bench.example']`
    : kind === 2 ? `[url:value = 'http://bench${i % 997}.example/p/${i}']`
    : `[file:hashes.'SHA-256' = '${hex.padStart(64, 'a')}']`;
  return {
    type: 'indicator', spec_version: '2.1', id: `indicator--00000000-0000-4000-8000-${hex}`, created: '2024-01-01T00:00:00.000Z',
    modified: '2024-01-01T00:00:00.000Z', name: `bench ${i}`, indicator_types: ['malicious-activity'], pattern, pattern_type: 'stix',
    valid_from: '2024-01-01T00:00:00Z', confidence: i % 101, labels: ['bench'],
  };
}

const benchmark: Benchmark<State> = {
  name: 'intel-import',
  description: 'STIX 2.1 bundle of 100k indicators → intel store + TI tables (incl. CHECKPOINT) vs DuckDB read_json of the objects into one JSON table.',
  unit: 'rows/s',

  // One import of 100k objects takes ~20 s on 2 cores: two repetitions, no warm-up, outside `tiny`.
  runs: (scale) => (scale === 'tiny' ? undefined : { reps: 2, warmup: 0 }),

  async setup(ctx) {
    const count = ctx.scale === 'tiny' ? 5_000 : 100_000;
    const objects = Array.from({ length: count }, (_, i) => indicator(i));
    const bundle = path.join(ctx.workDir, 'bundle.json');
    fs.writeFileSync(bundle, JSON.stringify({ type: 'bundle', id: 'bundle--00000000-0000-4000-8000-000000000000', objects }));
    const ndjson = path.join(ctx.workDir, 'objects.ndjson');
    fs.writeFileSync(ndjson, objects.map((o) => JSON.stringify({ id: o.id, json: JSON.stringify(o) })).join('\n') + '\n');
    ctx.log(`intel-import: ${count.toLocaleString('en-US')} indicators, bundle ${Math.round(fs.statSync(bundle).size / 2 ** 20)} MiB`);
    return { bundle, ndjson, count, runs: 0, storeBytes: 0 };
  },

  subject: {
    label: 'Quarry intel import',
    async run(ctx, s) {
      const dir = path.join(ctx.workDir, `store-${s.runs++}`);
      const store = await openStore(dir, { migrations: intelMigrations, tables: defaultPhysicalTables() });
      try {
        const t0 = performance.now();
        const r = await importIntelFile(store, s.bundle);
        await store.checkpoint();
        const ms = performance.now() - t0;
        if (r.created !== s.count) throw new Error(`imported ${r.created} of ${s.count}`);
        await store.close();
        s.storeBytes = dirSize(dir);
        return { ms, units: r.created };
      } finally {
        await store.close().catch(() => undefined);
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
        await conn.run('CREATE TABLE objects (id VARCHAR, json JSON)');
        const t0 = performance.now();
        await conn.run(`INSERT INTO objects SELECT * FROM read_json('${s.ndjson.replace(/'/g, "''")}', format='newline_delimited', columns={id: 'VARCHAR', json: 'JSON'})`);
        await conn.run('CHECKPOINT');
        return { ms: performance.now() - t0, units: s.count };
      } finally {
        conn.disconnectSync();
        instance.closeSync();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  },

  notes(s) {
    return `${s.count.toLocaleString('en-US')} indicators; store directory after import and checkpoint: ${(s.storeBytes / 2 ** 20).toFixed(1)} MiB`;
  },
};

export default benchmark;
