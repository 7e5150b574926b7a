/**
 * `quarry query`, `quarry compile`, `quarry check`: KQL from the command line. Each takes a query as an
 * argument or one or more `--file F` (handled in one process, one JSON line per file, since warming the
 * parser costs about 1.5 s). Errors are JSON `{code,message,line?,column?}`; exit 2 for bad queries.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { QuarryError, toQuarryError } from '../../core/errors.js';
import { stringifyExact } from '../../core/json.js';
import type { ViewChoice } from '../../kql/bind.js';
import { compileKql, planKql } from '../../hunt/compile.js';
import { parseTimespan, runKql, type HuntResult } from '../../hunt/run.js';
import { formatCsv, formatTable } from '../../hunt/format.js';
import { openQuarryStore } from '../../app/open-store.js';
import { configFor } from '../global-options.js';
import { externalFetcherFor, storageSettings } from '../../blob/cli-fetcher.js';

interface Inputs {
  readonly items: { readonly label: string; readonly text: string }[];
  readonly multi: boolean;
}

async function inputsOf(query: string | undefined, files: string[] | undefined): Promise<Inputs> {
  const list = files ?? [];
  if (query !== undefined && list.length > 0) throw new QuarryError('core/bad-argument', 'give either a query or --file, not both');
  if (query !== undefined) return { items: [{ label: '<arg>', text: query }], multi: false };
  if (list.length === 0) throw new QuarryError('core/bad-argument', 'give a query or at least one --file');
  const items = [];
  for (const f of list) {
    try {
      items.push({ label: f, text: await readFile(f, 'utf8') });
    } catch {
      throw new QuarryError('core/bad-argument', `cannot read query file '${f}'`);
    }
  }
  return { items, multi: list.length > 1 };
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

function viewOf(v: string | undefined): ViewChoice {
  if (v === undefined) return 'auto';
  if (v === 'defender' || v === 'sentinel' || v === 'auto') return v;
  throw new QuarryError('core/bad-argument', `--view must be defender, sentinel or auto, got '${v}'`);
}

function nowOf(v: string | undefined): Date | undefined {
  if (v === undefined) return undefined;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw new QuarryError('core/bad-argument', `--now '${v}' is not an ISO 8601 date-time`);
  return d;
}

/** Runs `fn` per input; in multi-file mode each outcome is one JSON line and errors do not stop the others. */
async function forEach(inputs: Inputs, fn: (text: string) => Promise<string>, onError: (e: QuarryError, label: string) => string): Promise<void> {
  let worst = 0;
  for (const { label, text } of inputs.items) {
    try {
      process.stdout.write(await fn(text));
    } catch (e) {
      const err = toQuarryError(e);
      if (!inputs.multi) throw err;
      process.stdout.write(onError(err, label));
      worst = Math.max(worst, err.isUserError ? 2 : 1);
    }
  }
  if (worst) process.exitCode = worst;
}

export function registerQuery(program: Command): void {
  program
    .command('query [query]')
    .description('run a KQL query against the store')
    .option('--file <file>', 'read the query from a file (repeatable: one JSON line per file)', collect)
    .option('--format <format>', 'json, csv or table', 'json')
    .option('--now <iso>', 'the query\'s "now" (for ago() and now())')
    .option('--timespan <span>', 'ISO 8601 duration or interval restricting every table\'s time column, e.g. P30D')
    .option('--view <view>', 'schema view: defender, sentinel or auto', 'auto')
    .option('--max-rows <n>', 'row cap', '30000')
    .option('--timeout <seconds>', 'time limit', '600')
    .action(async (query: string | undefined, opts: { file?: string[]; format: string; now?: string; timespan?: string; view?: string; maxRows: string; timeout: string }, cmd: Command) => {
      const inputs = await inputsOf(query, opts.file);
      if (!['json', 'csv', 'table'].includes(opts.format)) throw new QuarryError('core/bad-argument', `--format must be json, csv or table`);
      const now = nowOf(opts.now) ?? new Date();
      if (opts.timespan) parseTimespan(opts.timespan, now);
      const maxRows = Number(opts.maxRows);
      if (!Number.isInteger(maxRows) || maxRows <= 0) throw new QuarryError('core/bad-argument', '--max-rows must be a positive integer');
      const config = configFor(cmd);
      const store = await openQuarryStore(config.dataDir);
      try {
        await forEach(inputs, async (text) => {
          const r: HuntResult = await runKql(store, text, {
            now, view: viewOf(opts.view), maxRows, timeoutMs: Number(opts.timeout) * 1000, ...(opts.timespan ? { timespan: opts.timespan } : {}),
            fetchExternal: externalFetcherFor(config, storageSettings(config)),
          });
          if (opts.format === 'csv') return formatCsv(r);
          if (opts.format === 'table') return formatTable(r);
          const body = { schema: r.schema.map((c) => ({ name: c.name, type: c.type })), results: r.results, ...(r.truncated ? { truncated: true } : {}) };
          return stringifyExact(body, inputs.multi ? undefined : 2) + '\n';
        }, (err, label) => stringifyExact({ file: label, error: err.toJSON() }) + '\n');
      } finally {
        await store.close();
      }
    });
}

export function registerCompile(program: Command): void {
  program
    .command('compile [query]')
    .description('print the SQL a KQL query compiles to')
    .option('--file <file>', 'read the query from a file (repeatable: one JSON line per file)', collect)
    .option('--dialect <dialect>', 'SQL dialect', 'duckdb')
    .option('--view <view>', 'schema view: defender, sentinel or auto', 'auto')
    .option('--now <iso>', 'the query\'s "now"')
    .action(async (query: string | undefined, opts: { file?: string[]; dialect: string; view?: string; now?: string }) => {
      if (opts.dialect !== 'duckdb') throw new QuarryError('core/bad-argument', `--dialect '${opts.dialect}' is not available (duckdb)`);
      const inputs = await inputsOf(query, opts.file);
      const now = nowOf(opts.now);
      await forEach(inputs, async (text) => {
        const c = compileKql(text, { view: viewOf(opts.view), inlineParams: true, ...(now ? { now } : {}) });
        return inputs.multi ? stringifyExact({ sql: c.sql, view: c.view, schema: c.schema }) + '\n' : c.sql + '\n';
      }, (err, label) => stringifyExact({ file: label, error: err.toJSON() }) + '\n');
    });
}

export function registerCheck(program: Command): void {
  program
    .command('check [query]')
    .description('check a KQL query: diagnostics as JSON, exit 2 when any error')
    .option('--file <file>', 'read the query from a file (repeatable: one JSON line per file)', collect)
    .option('--view <view>', 'schema view: defender, sentinel or auto', 'auto')
    .action(async (query: string | undefined, opts: { file?: string[]; view?: string }) => {
      const inputs = await inputsOf(query, opts.file);
      let failed = false;
      for (const { label, text } of inputs.items) {
        let out: Record<string, unknown>;
        try {
          const p = planKql(text, { view: viewOf(opts.view) });
          out = { ok: true, view: p.view, schema: p.plan.body.columns, diagnostics: p.diagnostics };
        } catch (e) {
          const err = toQuarryError(e);
          if (!err.isUserError) throw err;
          failed = true;
          out = { ok: false, error: err.toJSON() };
        }
        if (inputs.multi) out = { file: label, ...out };
        process.stdout.write(stringifyExact(out, inputs.multi ? undefined : 2) + '\n');
      }
      if (failed) process.exitCode = 2;
    });
}

export function register(program: Command): void {
  registerQuery(program);
  registerCompile(program);
  registerCheck(program);
}
