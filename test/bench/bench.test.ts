/**
 * The benchmark harness at a tiny scale (5k rows, real DuckDB, temp results dir): the JSON and markdown
 * reports are well-formed and carry a ratio against the baseline; unfinished capabilities show "not yet".
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { markdownTable, runBenchmark, type Benchmark, type RunReport } from '../../bench/harness.js';
import { main } from '../../bench/main.js';
import { compareRuns, comparisonTable } from '../../bench/compare.js';

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'quarry-bench-test-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

describe('bench harness', () => {
  it('runs generate-append at --scale tiny and writes JSON + markdown with a ratio', async () => {
    const report = await main(['--scale', 'tiny', '--only', 'generate-append', '--reps', '2', '--warmup', '1', '--out', out, '--quiet']);
    const files = fs.readdirSync(out).sort();
    expect(files).toEqual([`${report.date}-tiny.json`, `${report.date}-tiny.md`]);
    const json = JSON.parse(fs.readFileSync(path.join(out, files[0]!), 'utf8')) as RunReport;
    expect(json.scale).toBe('tiny');
    expect(json.machine.cpus).toBeGreaterThan(0);
    const r = json.results.find((x) => x.name === 'generate-append')!;
    expect(r.status, r.reason).toBe('ok');
    expect(r.rows).toBe(5000);
    expect(r.subject!.samples).toHaveLength(2);
    expect(r.baseline!.samples).toHaveLength(2);
    expect(r.subject!.min).toBeLessThanOrEqual(r.subject!.median);
    expect(r.subject!.median).toBeLessThanOrEqual(r.subject!.max);
    expect(r.ratio).toBeCloseTo(r.subject!.median / r.baseline!.median, 10);
    expect(r.ratio!).toBeGreaterThan(0);
    expect(r.subject!.peakRssMiB).toBeGreaterThan(10);
    // The per-repetition ratio band brackets the median ratio and is reported with the wall time.
    expect(r.ratioBand!.samples).toHaveLength(2);
    expect(r.ratioBand!.min).toBeLessThanOrEqual(r.ratioBand!.max);
    expect(r.ratioBand!.samples[0]).toBeCloseTo(r.subject!.samples[0]! / r.baseline!.samples[0]!, 10);
    expect(r.wallMs).toBeGreaterThan(0);
    expect(json.totalMs).toBe(r.wallMs);
    expect(json.startedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    const md = fs.readFileSync(path.join(out, files[1]!), 'utf8');
    expect(md).toContain('| benchmark | subject | median |');
    expect(md).toMatch(/\| generate-append \| Quarry generate\+append \| [\d,]+ rows\/s .*\| \d+\.\d\d× \| [\d.]+–[\d.]+× \| \d+ \/ \d+ MiB \| \d+ s \|/);
    expect(md).toContain('whole run');
  }, 180_000);

  it('lists an unfinished capability as "not yet" and a crashing one as failed', async () => {
    const notYet: Benchmark = {
      name: 'future-thing', description: 'needs a feature', unit: 'ms',
      available: async () => 'src/future is not written yet',
      subject: { label: 's', run: async () => ({ ms: 1 }) },
      baseline: { label: 'b', run: async () => ({ ms: 1 }) },
    };
    const broken: Benchmark = {
      name: 'broken', description: 'throws', unit: 'ms',
      subject: { label: 's', run: async () => { throw new Error('boom'); } },
      baseline: { label: 'b', run: async () => ({ ms: 1 }) },
    };
    const opts = { scale: 'tiny' as const, reps: 1, warmup: 0, log: () => undefined };
    const a = await runBenchmark(notYet, opts);
    const b = await runBenchmark(broken, opts);
    expect(a).toMatchObject({ status: 'not yet', reason: 'src/future is not written yet' });
    expect(b.status).toBe('failed');
    expect(b.reason).toContain('boom');
    const md = markdownTable({ date: 'd', scale: 'tiny', reps: 1, warmup: 0, machine: { cpus: 1, cpuModel: 'x', memGiB: 1, node: 'v', platform: 'p', loadAvg: [0] }, results: [a, b] });
    expect(md).toContain('| future-thing | not yet: src/future is not written yet |');
    expect(md).toContain('| broken | failed: Error: boom |');
  });

  it('compares two runs: overlapping ratio bands agree, disjoint ones do not, single reps use the tolerance', () => {
    const machine = { cpus: 2, cpuModel: 'x', memGiB: 1, node: 'v', platform: 'p', loadAvg: [0] };
    const res = (name: string, samples: number[]) => ({
      name, description: '', status: 'ok' as const, unit: 'ms',
      ratio: [...samples].sort((x, y) => x - y)[Math.floor(samples.length / 2)]!,
      ratioBand: { min: Math.min(...samples), max: Math.max(...samples), samples },
    });
    const a: RunReport = { date: 'd', scale: 'small', reps: 3, warmup: 1, machine, results: [res('q1', [1.0, 1.1, 1.2]), res('q2', [0.5, 0.52, 0.55]), res('one', [2.0]), res('gone', [1, 1])] };
    const b: RunReport = { date: 'd', scale: 'small', reps: 3, warmup: 1, machine, results: [res('q1', [1.15, 1.3, 1.4]), res('q2', [0.6, 0.62, 0.7]), res('one', [2.2])] };
    const rows = compareRuns(a, b, 0.15);
    const by = Object.fromEntries(rows.map((r) => [r.name, r]));
    expect(by.q1).toMatchObject({ rule: 'band', agree: true });
    expect(by.q2).toMatchObject({ rule: 'band', agree: false });
    expect(by.one).toMatchObject({ rule: 'tolerance', agree: true });
    expect(by.one!.relDiff).toBeCloseTo(0.2 / 2.2, 10);
    expect(by.gone).toMatchObject({ rule: 'missing', agree: false });
    expect(compareRuns(a, b, 0.05).find((r) => r.name === 'one')!.agree).toBe(false);
    const md = comparisonTable(a, b, rows, ['A', 'B']);
    expect(md).toContain('| q2 | 0.52× (0.50–0.55, 3 reps) | 0.62× (0.60–0.70, 3 reps) |');
    expect(md).toContain('2 of 3 benchmarks run in both agree; 1 ran ok in only one run.');
  });
});
