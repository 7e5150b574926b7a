/**
 * `quarry generate [--rows N] [--seed S] [--tables a,b] [--end ISO] [--days D] [--no-plant] [--truth FILE]
 * [--quiet] [--format text|json]`: deterministic synthetic Defender / Sentinel events (with planted
 * infrastructure) appended to the store of `--data`. Progress (rows, rows/s, ETA) on a terminal's stderr,
 * one summary line at the end on stdout.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { QuarryError } from '../../core/errors.js';
import { generateInto, resolveOptions, type GenerateProgress } from '../../generate/index.js';
import { openStore } from '../../store/duckdb/open-store.js';
import { configFor } from '../global-options.js';

interface GenerateFlags {
  rows?: string;
  seed?: string;
  tables?: string;
  end?: string;
  days?: string;
  plant?: boolean;
  truth?: string;
  quiet?: boolean;
  format?: string;
}

function positiveInt(v: string, flag: string): number {
  const n = Number(v.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 0) throw new QuarryError('core/bad-argument', `${flag} must be a whole number, got '${v}'`);
  return n;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function duration(sec: number): string {
  if (!Number.isFinite(sec)) return '?';
  if (sec < 60) return `${Math.ceil(sec)}s`;
  return `${Math.floor(sec / 60)}m${String(Math.ceil(sec % 60)).padStart(2, '0')}s`;
}

/** A progress line on a terminal, redrawn at most every 200 ms. */
function progressPrinter(started: number): { update(p: GenerateProgress): void; done(): void } {
  let last = 0;
  let drawn = false;
  return {
    update(p) {
      const now = performance.now();
      if (now - last < 200 && p.rows < p.total) return;
      last = now;
      const rate = p.rows / Math.max(0.001, (now - started) / 1000);
      const eta = (p.total - p.rows) / Math.max(1, rate);
      const line = `${p.table}: ${fmt(p.tableRows)}/${fmt(p.tableTotal)}  total ${fmt(p.rows)}/${fmt(p.total)} rows  ${fmt(rate)} rows/s  ETA ${duration(eta)}`;
      process.stderr.write(`\r\x1b[2K${line}`);
      drawn = true;
    },
    done() {
      if (drawn) process.stderr.write('\r\x1b[2K');
    },
  };
}

export function register(program: Command): void {
  program
    .command('generate')
    .description('generate deterministic demo/benchmark events (with planted indicators) into the store')
    .option('--rows <n>', 'total event rows, spread over the tables by realistic ratios', '10000')
    .option('--seed <seed>', 'seed (number or text); same seed and options give identical rows', '1')
    .option('--tables <list>', 'comma-separated tables to generate (default: all)')
    .option('--end <iso>', 'end of the time window (default: now, rounded down to the hour)')
    .option('--days <d>', 'length of the time window in days', '7')
    .option('--no-plant', 'do not plant indicators (and their ThreatIntelligence rows)')
    .option('--truth <file>', 'write the planted truth (which rows reference which indicator) as JSON')
    .option('--quiet', 'no progress output')
    .option('--format <format>', 'summary format: text or json', 'text')
    .action(async (flags: GenerateFlags, cmd: Command) => {
      if (flags.format !== 'text' && flags.format !== 'json') {
        throw new QuarryError('core/bad-argument', `--format must be text or json, got '${flags.format}'`);
      }
      const days = Number(flags.days);
      const options = resolveOptions({
        rows: positiveInt(flags.rows ?? '10000', '--rows'),
        seed: flags.seed !== undefined && /^\d+$/.test(flags.seed) ? Number(flags.seed) : flags.seed,
        ...(flags.tables ? { tables: flags.tables.split(',').map((t) => t.trim()).filter(Boolean) } : {}),
        ...(flags.end ? { end: flags.end } : {}),
        days,
        ...(flags.plant === false ? { plant: false as const } : {}),
      });
      const config = configFor(cmd);
      const store = await openStore(config.dataDir);
      const started = performance.now();
      const progress = !flags.quiet && process.stderr.isTTY ? progressPrinter(started) : null;
      let result;
      try {
        result = await generateInto(store, options, { onProgress: progress ? (p) => progress.update(p) : undefined });
      } finally {
        progress?.done();
        await store.close();
      }
      if (flags.truth) fs.writeFileSync(flags.truth, JSON.stringify(result.truth, null, 2) + '\n');
      const seconds = result.elapsedMs / 1000;
      const summary = {
        rows: result.rows,
        tables: result.counts,
        seed: options.seed,
        start: new Date(options.startMs).toISOString(),
        end: new Date(options.endMs).toISOString(),
        plantedRefs: result.truth.refs.length,
        elapsedMs: Math.round(result.elapsedMs),
        rowsPerSecond: Math.round(result.rows / Math.max(seconds, 0.001)),
        dataDir: config.dataDir,
      };
      if (flags.format === 'json') process.stdout.write(JSON.stringify(summary) + '\n');
      else {
        process.stdout.write(
          `generated ${fmt(result.rows)} rows in ${Object.keys(result.counts).length} tables in ${seconds.toFixed(1)}s ` +
            `(${fmt(summary.rowsPerSecond)} rows/s), ${summary.start} .. ${summary.end}, seed ${options.seed}, ` +
            `${summary.plantedRefs} planted references, into ${config.dataDir}\n`,
        );
      }
    });
}
