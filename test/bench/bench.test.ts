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
    const md = fs.readFileSync(path.join(out, files[1]!), 'utf8');
    expect(md).toContain('| benchmark | subject | median |');
    expect(md).toMatch(/\| generate-append \| Quarry generate\+append \| [\d,]+ rows\/s .*\| \d+\.\d\d× \|/);
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
});
