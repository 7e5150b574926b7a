/**
 * `npm run bench -- [--scale tiny|small|medium|large] [--only NAME[,NAME]] [--reps N] [--warmup N] [--out DIR] [--label L] [--quiet]`
 * Runs the benchmarks of `bench/benchmarks/`, writes `<out>/<date>-<scale>[-L].json` and `.md`, prints the table.
 * Compare two runs with `npm run bench:compare -- A.json B.json` (`bench/compare.ts`).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadBenchmarks, machineInfo, markdownTable, runBenchmark, scales, type RunReport, type ScaleName } from './harness.js';

function fail(message: string): never {
  process.stderr.write(JSON.stringify({ code: 'core/bad-argument', message }) + '\n');
  process.exit(2);
}

function whole(v: string | undefined, flag: string, dflt: number, min: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) fail(`${flag} must be a whole number >= ${min}, got '${v}'`);
  return n;
}

/** HEAD's commit (short), `+dirty` when the tree has uncommitted changes; undefined outside a git checkout. */
function gitCommit(cwd: string): string | undefined {
  try {
    const head = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return dirty ? `${head}+dirty` : head;
  } catch {
    return undefined;
  }
}

export async function main(argv: string[]): Promise<RunReport> {
  const { values } = parseArgs({
    args: argv,
    options: {
      scale: { type: 'string', default: 'small' },
      only: { type: 'string' },
      reps: { type: 'string' },
      warmup: { type: 'string' },
      out: { type: 'string' },
      label: { type: 'string' },
      quiet: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const scale = values.scale as ScaleName;
  if (!(scale in scales)) fail(`--scale must be one of ${Object.keys(scales).join(', ')}, got '${values.scale}'`);
  const reps = whole(values.reps, '--reps', 3, 1);
  const warmup = whole(values.warmup, '--warmup', 1, 0);
  const here = path.dirname(fileURLToPath(import.meta.url));
  const outDir = path.resolve(values.out ?? path.join(here, 'results'));
  const t0 = Date.now();
  const clock = () => { const s = Math.floor((Date.now() - t0) / 1000); return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`; };
  const log = values.quiet ? () => undefined : (msg: string) => process.stderr.write(`[bench ${clock()}] ${msg}\n`);

  let benchmarks = await loadBenchmarks();
  if (values.only) {
    const wanted = values.only.split(',').map((s) => s.trim());
    // `NAME*` selects every benchmark whose name starts with NAME.
    const matches = (w: string, name: string) => (w.endsWith('*') ? name.startsWith(w.slice(0, -1)) : name === w);
    const unknown = wanted.filter((w) => !benchmarks.some((b) => matches(w, b.name)));
    if (unknown.length) fail(`unknown benchmark(s) ${unknown.join(', ')}; available: ${benchmarks.map((b) => b.name).join(', ')}`);
    benchmarks = benchmarks.filter((b) => wanted.some((w) => matches(w, b.name)));
  }

  if (values.label !== undefined && !/^[a-z0-9][a-z0-9-]{0,40}$/.test(values.label)) fail(`--label must be lower-case letters, digits and dashes, got '${values.label}'`);

  const startedAt = new Date().toISOString();
  const commit = gitCommit(here);
  const results = [];
  for (const b of benchmarks) results.push(await runBenchmark(b, { scale, reps, warmup, runsFixed: values.reps !== undefined || values.warmup !== undefined, log }));
  const date = startedAt.slice(0, 10);
  fs.mkdirSync(outDir, { recursive: true });
  const base = path.join(outDir, `${date}-${scale}${values.label ? `-${values.label}` : ''}`);
  // A partial run (`--only`) merges into the day's results: benchmarks it did not run keep their last figures.
  if (values.only && fs.existsSync(`${base}.json`)) {
    try {
      const previous = JSON.parse(fs.readFileSync(`${base}.json`, 'utf8')) as RunReport;
      for (const r of previous.results) if (!results.some((x) => x.name === r.name)) results.push(r);
      results.sort((a, b) => a.name.localeCompare(b.name));
    } catch {
      // an unreadable previous file is replaced
    }
  }
  // The whole run's time: the sum of the benchmarks' wall times (a merged partial run keeps the others' times).
  const totalMs = results.reduce((t, r) => t + (r.wallMs ?? 0), 0);
  const report: RunReport = { date, ...(commit ? { commit } : {}), startedAt, totalMs, scale, reps, warmup, machine: machineInfo(), results };
  fs.writeFileSync(`${base}.json`, JSON.stringify(report, null, 2) + '\n');
  const md = markdownTable(report);
  fs.writeFileSync(`${base}.md`, md);
  process.stdout.write(md);
  log(`wrote ${base}.json and ${base}.md`);
  for (const r of results) if (r.status === 'failed') log(`${r.name} failed: ${r.reason}`);
  return report;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (report) => {
      process.exitCode = report.results.some((r) => r.status === 'failed') ? 1 : 0;
    },
    (e: unknown) => {
      process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
