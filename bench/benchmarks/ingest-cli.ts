/**
 * ingest-cli: `quarry ingest --table DeviceNetworkEvents --format ndjson FILE` (the built CLI in a child
 * process: start, open the store, validate every row, commit in batches, checkpoint on close) on 2M generated
 * DeviceNetworkEvents rows (the `tiny` scale uses its own row count), against DuckDB's own
 * `read_json(FILE, columns=…)` of the same file into the same schema in a fresh database (plus CHECKPOINT).
 * The NDJSON file is generated once per row count and cached in the OS temp dir (`quarry-bench-ingest-<n>.ndjson`),
 * shared with ingest-http. Also exports the helpers ingest-http uses. Files take the DuckDB-native NDJSON path
 * (`src/ingest/fast/`) by default; `QUARRY_INGEST_FAST=0` in the bench's environment measures the JS pipeline.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { defaultCatalog } from '../../src/catalog/catalog.js';
import { physicalColumns } from '../../src/catalog/views.js';
import { generateRows, resolveOptions } from '../../src/generate/index.js';
import { duckdbTypeOf } from '../../src/sql/dialects/duckdb/types.js';
import type { BenchContext, Benchmark } from '../harness.js';

export const TABLE = 'DeviceNetworkEvents';
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const bin = path.join(repoRoot, 'bin/quarry.js');

/**
 * Rows per run: the issue's 2M at `medium` and above; 400k at `small`, where a whole `npm run bench` must fit in
 * 15 minutes (the figure is a rate, and the 400k-line file is the first 400k lines of the same sequence).
 */
export function benchRows(ctx: BenchContext): number {
  if (ctx.scale === 'tiny') return ctx.rows;
  return ctx.scale === 'small' ? 400_000 : 2_000_000;
}

/** A run of 2M rows takes minutes: two repetitions without warm-up outside `tiny` (the band still shows the noise). */
export const ingestRuns = (scale: string) => (scale === 'tiny' ? undefined : { reps: 2, warmup: 0 });

const q = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const lit = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** The cached NDJSON file of `rows` generated DeviceNetworkEvents rows (written once). */
export function ndjsonFile(rows: number, log: (m: string) => void): string {
  const file = path.join(os.tmpdir(), `quarry-bench-ingest-${rows}.ndjson`);
  if (fs.existsSync(file) && fs.existsSync(`${file}.complete`)) return file;
  const options = resolveOptions({ seed: 11, rows: { [TABLE]: rows }, end: '2024-05-01T00:00:00Z', days: 7, batchSize: 10_000 });
  const fd = fs.openSync(file, 'w');
  let written = 0;
  try {
    for (const batch of generateRows(TABLE, options)) {
      fs.writeSync(fd, batch.map((r) => JSON.stringify(r)).join('\n') + '\n');
      written += batch.length;
    }
  } finally {
    fs.closeSync(fd);
  }
  if (written !== rows) throw new Error(`generator wrote ${written} rows, expected ${rows}`);
  fs.writeFileSync(`${file}.complete`, String(rows));
  log(`ingest: wrote ${written.toLocaleString('en-US')} rows of NDJSON (${Math.round(fs.statSync(file).size / 2 ** 20)} MiB) to ${file}`);
  return file;
}

/** DuckDB's native path for the same file: read_json into the same schema, then CHECKPOINT. */
export async function duckdbReadJson(workDir: string, file: string, expected: number, tag: string): Promise<{ ms: number; units: number }> {
  const cols = physicalColumns(defaultCatalog().getTable(TABLE));
  const dir = path.join(workDir, `baseline-${tag}`);
  fs.mkdirSync(dir, { recursive: true });
  const instance = await DuckDBInstance.create(path.join(dir, 'baseline.duckdb'));
  const conn = await instance.connect();
  try {
    await conn.run(`CREATE TABLE ${q(TABLE)} (${cols.map((c) => `${q(c.name)} ${duckdbTypeOf[c.type]}`).join(', ')})`);
    const columnsArg = `{${cols.map((c) => `${lit(c.name)}: ${lit(duckdbTypeOf[c.type])}`).join(', ')}}`;
    const t0 = performance.now();
    await conn.run(`INSERT INTO ${q(TABLE)} SELECT * FROM read_json(${lit(file)}, format='newline_delimited', columns=${columnsArg})`);
    await conn.run('CHECKPOINT');
    const ms = performance.now() - t0;
    const n = Number((await conn.runAndReadAll(`SELECT count(*) FROM ${q(TABLE)}`)).getRows()[0]![0]);
    if (n !== expected) throw new Error(`baseline loaded ${n} rows, expected ${expected}`);
    return { ms, units: n };
  } finally {
    conn.disconnectSync();
    instance.closeSync();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function runNode(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: repoRoot, env: { ...process.env, QUARRY_LOG_LEVEL: 'warn', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export function builtReason(): string | null {
  return fs.existsSync(path.join(repoRoot, 'dist/cli/commands/ingest.js')) ? null : 'run `npm run build` first (dist/cli/commands/ingest.js is missing)';
}

interface State {
  readonly file: string;
  readonly rows: number;
  runs: number;
}

const benchmark: Benchmark<State> = {
  name: 'ingest-cli',
  runs: ingestRuns,
  description: `\`quarry ingest --format ndjson\` of ${TABLE} (child process, incl. start, validation, batched commits, checkpoint) vs DuckDB read_json of the same NDJSON file into the same schema.`,
  unit: 'rows/s',
  available: async () => builtReason(),
  async setup(ctx) {
    const rows = benchRows(ctx);
    return { file: ndjsonFile(rows, ctx.log), rows, runs: 0 };
  },
  subject: {
    label: process.env.QUARRY_INGEST_FAST === '0' ? 'quarry ingest (CLI, JS path)' : 'quarry ingest (CLI, DuckDB-native path)',
    async run(ctx, s) {
      const dir = path.join(ctx.workDir, `store-${s.runs++}`);
      try {
        const t0 = performance.now();
        const r = await runNode(['ingest', '--data', dir, '--table', TABLE, '--format', 'ndjson', '--quiet', s.file]);
        const ms = performance.now() - t0;
        if (r.code !== 0) throw new Error(`quarry ingest exited ${r.code}: ${r.stderr.slice(-2000)}`);
        const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { accepted: number; rejected: number };
        if (out.accepted !== s.rows) throw new Error(`quarry ingest accepted ${out.accepted} of ${s.rows} rows (rejected ${out.rejected})`);
        return { ms, units: out.accepted };
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  },
  baseline: {
    label: 'DuckDB read_json',
    run: (ctx, s) => duckdbReadJson(ctx.workDir, s.file, s.rows, String(s.runs++)),
  },
};

export default benchmark;
