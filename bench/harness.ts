/**
 * The benchmark harness: benchmarks register themselves as modules in `bench/benchmarks/*.ts`
 * (default export a `Benchmark`), each measured as warm-up + repetitions of a subject and of a baseline
 * measured in the same run, so the figure that matters — the ratio — survives a noisy machine.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const scales = {
  tiny: 5_000,
  small: 1_000_000,
  medium: 10_000_000,
  large: 50_000_000,
} as const;
export type ScaleName = keyof typeof scales;

export interface BenchContext {
  readonly scale: ScaleName;
  /** Events for this scale (≈1M / 10M / 50M; 5k for `tiny`). */
  readonly rows: number;
  /** A fresh directory for this benchmark; removed afterwards. */
  readonly workDir: string;
  readonly log: (msg: string) => void;
}

/** One timed run: how long it took and how much work it did. */
export interface RunResult {
  readonly ms: number;
  /** Units of work (rows); the rate is units / seconds. Absent: the figure is the time itself. */
  readonly units?: number;
}

export interface Side<S> {
  readonly label: string;
  run(ctx: BenchContext, state: S): Promise<RunResult>;
}

export interface Benchmark<S = unknown> {
  readonly name: string;
  readonly description: string;
  /** `rows/s` style (higher is better) or `ms` (lower is better). */
  readonly unit: 'rows/s' | 'ms';
  /** Reason the capability is not finished yet, or null when the benchmark can run. */
  available?(): Promise<string | null>;
  setup?(ctx: BenchContext): Promise<S>;
  readonly subject: Side<S>;
  readonly baseline: Side<S>;
  teardown?(ctx: BenchContext, state: S): Promise<void>;
  /** A note for the report (e.g. how many rows the baseline used), read after the runs. */
  notes?(state: S): string | undefined;
  /**
   * Warm-up and repetitions when the command line does not set them, per scale. Benchmarks whose single run
   * takes tens of seconds use fewer so a whole `--scale small` run fits its 15-minute budget; they keep at
   * least 2 repetitions so the ratio band still shows the run's noise.
   */
  runs?(scale: ScaleName): { readonly reps: number; readonly warmup: number } | undefined;
}

export interface SeriesStats {
  readonly label: string;
  readonly samples: number[];
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** Peak resident set size sampled while this side ran, MiB. */
  readonly peakRssMiB: number;
}

export interface BenchResult {
  readonly name: string;
  readonly description: string;
  readonly status: 'ok' | 'not yet' | 'failed';
  readonly reason?: string;
  readonly unit?: string;
  readonly rows?: number;
  readonly subject?: SeriesStats;
  readonly baseline?: SeriesStats;
  /**
   * Subject ÷ baseline, oriented so that > 1 means the subject is better: for rates subject/baseline,
   * for times baseline/subject.
   */
  readonly ratio?: number;
  /**
   * The ratio of each repetition (its subject sample against the baseline sample of the same repetition),
   * min and max: the run's own noise band for the figure that matters. Two runs agree when their bands overlap.
   */
  readonly ratioBand?: { readonly min: number; readonly max: number; readonly samples: number[] };
  /** Wall time of the whole benchmark (setup, warm-up, repetitions, teardown), ms. */
  readonly wallMs?: number;
  /** The benchmark's own warm-up/repetitions when they differ from the run's (see `Benchmark.runs`). */
  readonly runs?: { readonly reps: number; readonly warmup: number };
  readonly notes?: string;
}

export interface RunReport {
  readonly date: string;
  /** `git rev-parse HEAD` when the run started (with `+dirty` for uncommitted changes), if known. */
  readonly commit?: string;
  /** When the run started (ISO) and how long all of it took, ms. */
  readonly startedAt?: string;
  readonly totalMs?: number;
  readonly scale: ScaleName;
  readonly reps: number;
  readonly warmup: number;
  readonly machine: MachineInfo;
  readonly results: BenchResult[];
}

export interface MachineInfo {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memGiB: number;
  readonly node: string;
  readonly platform: string;
  readonly loadAvg: number[];
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpus: os.availableParallelism?.() ?? cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    loadAvg: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Samples RSS every 25 ms while `fn` runs. */
async function withRssPeak<T>(fn: () => Promise<T>): Promise<{ value: T; peak: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 25);
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { value, peak };
  } finally {
    clearInterval(timer);
  }
}

function figure(unit: 'rows/s' | 'ms', r: RunResult): number {
  if (unit === 'ms') return r.ms;
  if (r.units === undefined) throw new Error('a rows/s benchmark must report units');
  return r.units / Math.max(r.ms / 1000, 1e-9);
}

function stats(label: string, samples: number[], peakBytes: number): SeriesStats {
  return {
    label,
    samples,
    median: median(samples),
    min: Math.min(...samples),
    max: Math.max(...samples),
    peakRssMiB: Math.round(peakBytes / 2 ** 20),
  };
}

export interface RunOptions {
  readonly scale: ScaleName;
  readonly reps: number;
  readonly warmup: number;
  /** True when reps/warmup came from the command line: they then override the benchmark's own `runs`. */
  readonly runsFixed?: boolean;
  readonly log: (msg: string) => void;
  /** Parent of the per-benchmark work directories (default: the OS temp dir). */
  readonly tmpDir?: string;
}

const FAST_REPS = 9;
const FAST_REP_MS = 2_000;

/** Per-repetition ratios, oriented like `ratio` (> 1: the subject is better). */
export function repetitionRatios(unit: 'rows/s' | 'ms', subject: readonly number[], baseline: readonly number[]): number[] {
  return subject.map((v, i) => (unit === 'ms' ? (baseline[i] as number) / v : v / (baseline[i] as number)));
}

export async function runBenchmark(b: Benchmark, opts: RunOptions): Promise<BenchResult> {
  const t0 = performance.now();
  const result = await runBenchmarkInner(b, opts);
  return { ...result, wallMs: Math.round(performance.now() - t0) };
}

async function runBenchmarkInner(b: Benchmark, given: RunOptions): Promise<BenchResult> {
  const own = given.runsFixed ? undefined : b.runs?.(given.scale);
  const opts = own ? { ...given, reps: own.reps, warmup: own.warmup } : given;
  const base = { name: b.name, description: b.description };
  const reason = b.available ? await b.available() : null;
  if (reason) return { ...base, status: 'not yet', reason };
  const workDir = fs.mkdtempSync(path.join(opts.tmpDir ?? os.tmpdir(), `quarry-bench-${b.name}-`));
  const ctx: BenchContext = { scale: opts.scale, rows: scales[opts.scale], workDir, log: opts.log };
  let state: unknown;
  try {
    opts.log(`${b.name}: setup`);
    state = b.setup ? await b.setup(ctx) : undefined;
    const sides = [b.subject, b.baseline];
    const samples: number[][] = [[], []];
    const peaks = [0, 0];
    let units: number | undefined;
    // Short benchmarks (a repetition of both sides under FAST_REP_MS) get FAST_REPS repetitions unless the command
    // line fixed them: three samples of a millisecond query say little about its noise, nine say more, and the
    // ratio band is only an honest run-to-run yardstick when it has seen enough of the machine's jitter.
    let reps = opts.reps;
    let measuredMs = 0;
    for (let rep = 0; rep < opts.warmup + reps; rep++) {
      const warm = rep < opts.warmup;
      const repStart = performance.now();
      // Alternate the order so drift on a noisy machine hits both sides alike.
      const order = rep % 2 === 0 ? [0, 1] : [1, 0];
      for (const s of order) {
        const side = sides[s]!;
        const { value, peak } = await withRssPeak(() => side.run(ctx, state));
        const f = figure(b.unit, value);
        if (s === 0) units = value.units;
        opts.log(`${b.name}: ${warm ? 'warm-up' : `rep ${rep - opts.warmup + 1}/${reps}`} ${side.label}: ${format(f, b.unit)}`);
        if (!warm) {
          samples[s]!.push(f);
          peaks[s] = Math.max(peaks[s]!, peak);
        }
      }
      if (!warm) {
        measuredMs += performance.now() - repStart;
        const done = rep - opts.warmup + 1;
        if (done === reps && !opts.runsFixed && !own && reps < FAST_REPS && measuredMs / done < FAST_REP_MS) reps = FAST_REPS;
      }
    }
    const subject = stats(b.subject.label, samples[0]!, peaks[0]!);
    const baseline = stats(b.baseline.label, samples[1]!, peaks[1]!);
    const ratio = b.unit === 'ms' ? baseline.median / subject.median : subject.median / baseline.median;
    const perRep = repetitionRatios(b.unit, samples[0]!, samples[1]!);
    const ratioBand = { min: Math.min(...perRep), max: Math.max(...perRep), samples: perRep };
    const notes = b.notes?.(state);
    return {
      ...base, status: 'ok', unit: b.unit, ...(units !== undefined ? { rows: units } : {}), subject, baseline, ratio, ratioBand,
      ...(own ? { runs: own } : {}), ...(notes ? { notes } : {}),
    };
  } catch (e) {
    return { ...base, status: 'failed', reason: (e as Error).stack ?? String(e) };
  } finally {
    try {
      if (b.teardown && state !== undefined) await b.teardown(ctx, state);
    } finally {
      fs.rmSync(workDir, { recursive: true, force: true });
    }
  }
}

export function format(v: number, unit: string): string {
  if (unit === 'ms') return `${v < 10 ? v.toFixed(2) : Math.round(v).toLocaleString('en-US')} ms`;
  return `${Math.round(v).toLocaleString('en-US')} ${unit}`;
}

/** Every benchmark module in `dir` (default export: one Benchmark or an array of them), sorted by name. */
export async function loadBenchmarks(dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'benchmarks')): Promise<Benchmark[]> {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).sort();
  const out: Benchmark[] = [];
  for (const f of files) {
    const mod = (await import(pathToFileURL(path.join(dir, f)).href)) as { default?: Benchmark | Benchmark[] };
    const list = Array.isArray(mod.default) ? mod.default : mod.default ? [mod.default] : [];
    if (list.length === 0 || list.some((b) => typeof b.name !== 'string')) throw new Error(`bench/benchmarks/${f} has no default-exported Benchmark`);
    out.push(...list);
  }
  return out;
}

const ratioText = (x: number): string => (x >= 0.01 || x === 0 ? x.toFixed(2) : x.toPrecision(2));
const band = (r: BenchResult): string => (r.ratioBand ? `${ratioText(r.ratioBand.min)}–${ratioText(r.ratioBand.max)}×` : '');
const minutes = (ms: number): string => `${(ms / 60_000).toFixed(1)} min`;

export function markdownTable(report: RunReport): string {
  const lines = [
    `Quarry benchmarks — ${report.date}, scale \`${report.scale}\` (${scales[report.scale].toLocaleString('en-US')} events), ` +
      `${report.reps} reps after ${report.warmup} warm-up; ${report.machine.cpus} CPUs (${report.machine.cpuModel}), ` +
      `${report.machine.memGiB} GiB, Node ${report.machine.node}, load ${report.machine.loadAvg.join(' ')}` +
      (report.commit ? `; commit ${report.commit}` : '') +
      (report.totalMs !== undefined ? `; whole run ${minutes(report.totalMs)}` : ''),
    '',
    'Ratio > 1: Quarry is faster than the baseline. The ratio band is the min–max of the per-repetition ratios',
    '(each subject repetition against the baseline repetition run next to it): the noise of this run.',
    '',
    '| benchmark | subject | median | min | max | baseline | baseline median | ratio | ratio band | peak RSS (subject / baseline) | wall |',
    '|---|---|---:|---:|---:|---|---:|---:|---:|---:|---:|',
  ];
  for (const r of report.results) {
    if (r.status !== 'ok' || !r.subject || !r.baseline || !r.unit) {
      const why = (r.reason ?? '').split('\n')[0]!.replace(/\|/g, '\\|');
      lines.push(`| ${r.name} | ${r.status}: ${why} | | | | | | | | | ${r.wallMs !== undefined ? `${(r.wallMs / 1000).toFixed(0)} s` : ''} |`);
      continue;
    }
    const u = r.unit;
    lines.push(
      `| ${r.name} | ${r.subject.label} | ${format(r.subject.median, u)} | ${format(r.subject.min, u)} | ${format(r.subject.max, u)} ` +
        `| ${r.baseline.label} | ${format(r.baseline.median, u)} | ${ratioText(r.ratio!)}× | ${band(r)} | ${r.subject.peakRssMiB} / ${r.baseline.peakRssMiB} MiB ` +
        `| ${r.wallMs !== undefined ? `${(r.wallMs / 1000).toFixed(0)} s` : ''} |`,
    );
  }
  const fast = report.results.filter((r) => !r.runs && r.ratioBand && r.ratioBand.samples.length > report.reps);
  if (fast.length) lines.push('', `${fast.length} short benchmarks (a repetition of both sides under ${FAST_REP_MS / 1000} s) ran ${FAST_REPS} repetitions: ${fast.map((r) => r.name).join(', ')}.`);
  const own = report.results.filter((r) => r.runs);
  if (own.length) lines.push('', `Run with their own repetitions (a single run takes tens of seconds): ${own.map((r) => `${r.name} ${r.runs!.reps} reps after ${r.runs!.warmup} warm-up`).join('; ')}.`);
  const notes = report.results.filter((r) => r.notes || r.description);
  if (notes.length) lines.push('');
  for (const r of notes) lines.push(`- **${r.name}**: ${r.description}${r.notes ? ` ${r.notes}` : ''}`);
  return lines.join('\n') + '\n';
}
