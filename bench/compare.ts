/**
 * `npm run bench:compare -- A.json B.json [--out FILE.md]`: do two benchmark runs agree within their own noise?
 *
 * The figure compared is the ratio against the baseline (the number each benchmark exists for). Each run
 * reports a ratio band — the min–max of its per-repetition ratios — and two runs agree on a benchmark when
 * their bands overlap. A band of one repetition is a point, so single-repetition runs are compared with a
 * tolerance instead (`--tolerance`, default 0.15 = 15 % of the larger median), and the table says which rule
 * decided. Exit code 0 when every benchmark present and ok in both runs agrees, 1 otherwise, 2 on bad input.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { BenchResult, RunReport } from './harness.js';

export interface Agreement {
  readonly name: string;
  readonly a?: { ratio: number; min: number; max: number; reps: number };
  readonly b?: { ratio: number; min: number; max: number; reps: number };
  /** 'band' when both runs have ≥ 2 repetitions, 'tolerance' otherwise; 'missing' when a side did not run ok. */
  readonly rule: 'band' | 'tolerance' | 'missing';
  readonly agree: boolean;
  /** |a − b| ÷ max(a, b) of the median ratios. */
  readonly relDiff?: number;
}

function side(r: BenchResult | undefined): Agreement['a'] {
  if (!r || r.status !== 'ok' || r.ratio === undefined) return undefined;
  const samples = r.ratioBand?.samples ?? [r.ratio];
  return { ratio: r.ratio, min: r.ratioBand?.min ?? r.ratio, max: r.ratioBand?.max ?? r.ratio, reps: samples.length };
}

export function compareRuns(a: RunReport, b: RunReport, tolerance = 0.15): Agreement[] {
  const names = [...new Set([...a.results, ...b.results].map((r) => r.name))].sort();
  return names.map((name): Agreement => {
    const sa = side(a.results.find((r) => r.name === name));
    const sb = side(b.results.find((r) => r.name === name));
    if (!sa || !sb) return { name, ...(sa ? { a: sa } : {}), ...(sb ? { b: sb } : {}), rule: 'missing', agree: false };
    const relDiff = Math.abs(sa.ratio - sb.ratio) / Math.max(sa.ratio, sb.ratio);
    if (sa.reps >= 2 && sb.reps >= 2) {
      return { name, a: sa, b: sb, rule: 'band', agree: sa.min <= sb.max && sb.min <= sa.max, relDiff };
    }
    return { name, a: sa, b: sb, rule: 'tolerance', agree: relDiff <= tolerance, relDiff };
  });
}

const fmt = (x: number): string => (x >= 0.01 ? x.toFixed(2) : x.toPrecision(2));
const cell = (s: Agreement['a']): string => (s ? `${fmt(s.ratio)}× (${fmt(s.min)}–${fmt(s.max)}, ${s.reps} reps)` : 'not run / not ok');

export function comparisonTable(a: RunReport, b: RunReport, rows: readonly Agreement[], labels: readonly [string, string]): string {
  const head = (r: RunReport, l: string) => `${l}: ${r.date} \`${r.scale}\`${r.commit ? ` commit ${r.commit}` : ''}, load ${r.machine.loadAvg.join(' ')}`;
  const lines = [
    `Run-to-run agreement of the baseline ratios — A = ${head(a, labels[0])}; B = ${head(b, labels[1])}.`,
    '',
    '| benchmark | A ratio (band) | B ratio (band) | difference | rule | agree |',
    '|---|---:|---:|---:|---|---|',
  ];
  for (const r of rows) {
    lines.push(`| ${r.name} | ${cell(r.a)} | ${cell(r.b)} | ${r.relDiff !== undefined ? `${(r.relDiff * 100).toFixed(1)} %` : ''} | ${r.rule} | ${r.agree ? 'yes' : '**no**'} |`);
  }
  const compared = rows.filter((r) => r.rule !== 'missing');
  lines.push('', `${compared.filter((r) => r.agree).length} of ${compared.length} benchmarks run in both agree` +
    (rows.length > compared.length ? `; ${rows.length - compared.length} ran ok in only one run` : '') + '.');
  return lines.join('\n') + '\n';
}

function fail(message: string): never {
  process.stderr.write(JSON.stringify({ code: 'core/bad-argument', message }) + '\n');
  process.exit(2);
}

export function main(argv: string[]): number {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { out: { type: 'string' }, tolerance: { type: 'string' } }, strict: true });
  if (positionals.length !== 2) fail('give two result files: npm run bench:compare -- A.json B.json');
  const tolerance = values.tolerance === undefined ? 0.15 : Number(values.tolerance);
  if (!(tolerance > 0 && tolerance < 1)) fail(`--tolerance must be a fraction between 0 and 1, got '${values.tolerance}'`);
  const reports = positionals.map((f) => {
    try {
      return JSON.parse(fs.readFileSync(f, 'utf8')) as RunReport;
    } catch (e) {
      return fail(`cannot read ${f}: ${(e as Error).message}`);
    }
  }) as [RunReport, RunReport];
  const rows = compareRuns(reports[0], reports[1], tolerance);
  const md = comparisonTable(reports[0], reports[1], rows, [path.basename(positionals[0]!), path.basename(positionals[1]!)]);
  process.stdout.write(md);
  if (values.out) fs.writeFileSync(values.out, md);
  return rows.every((r) => r.rule === 'missing' || r.agree) ? 0 : 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
