/**
 * Corpus gate: every query of `../shared/kql-corpus/` compiles (`compileKql`, view `auto`) and its SQL
 * runs without error on the empty catalog tables of a real DuckDB store. `externaldata` sources are
 * replaced by empty local files, so nothing is fetched. Exclusions (`exclusions.tsv`) must be real gaps:
 * an excluded query that now passes fails the gate, and so does any non-excluded failure or a pass
 * rate below 96 %.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileKql, externalReader } from '../../src/hunt/compile.js';
import { openStore } from '../../src/store/duckdb/open-store.js';
import type { Store } from '../../src/store/store.js';
import { corpusUnavailableReason, parseExclusions, readCorpus, readExclusions } from './corpus-files.js';

const MIN_PASS_RATE = 0.96;
/** A fixed "now" so the gate does not depend on the wall clock. */
const NOW = new Date('2024-06-01T00:00:00Z');

const unavailable = corpusUnavailableReason();

describe('exclusions.tsv format', () => {
  it('parses file<TAB>reason lines and rejects malformed ones', () => {
    expect(parseExclusions('# comment\n\na.kql\tretired table\n')).toEqual([{ file: 'a.kql', reason: 'retired table' }]);
    expect(() => parseExclusions('a.kql\n')).toThrow(/no reason/);
    expect(() => parseExclusions('a.kql\tx\na.kql\ty\n')).toThrow(/twice/);
    expect(() => parseExclusions('a.txt\tx\n')).toThrow(/not a .kql/);
  });

  it('the shipped exclusions.tsv is well-formed', () => {
    expect(() => readExclusions()).not.toThrow();
  });
});

interface Outcome {
  readonly file: string;
  readonly ok: boolean;
  readonly stage?: 'compile' | 'run';
  readonly error?: string;
}

describe.skipIf(unavailable !== null)(`corpus compile-and-run gate${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let dir = '';
  let store: Store | undefined;
  const emptyFiles: Record<string, string> = {};

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'quarry-corpus-'));
    // Empty stand-ins for externaldata sources: the gate checks SQL shape, never fetches a URL.
    for (const [name, body] of [['empty.csv', ''], ['empty.json', '[]'], ['empty.txt', '']] as const) {
      emptyFiles[name] = path.join(dir, name);
      writeFileSync(emptyFiles[name]!, body);
    }
    store = await openStore(path.join(dir, 'data'), { duckdbOptions: { threads: '2' } });
  });

  afterAll(async () => {
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function check(file: string, text: string): Promise<Outcome> {
    let sql: string;
    try {
      sql = compileKql(text, {
        view: 'auto',
        now: NOW,
        inlineParams: true,
        render: {
          readExternal: (rel, d) => {
            const f = rel.format.includes('json') ? emptyFiles['empty.json']! : rel.format === 'raw' ? emptyFiles['empty.txt']! : emptyFiles['empty.csv']!;
            return externalReader(rel, [f], d);
          },
        },
      }).sql;
    } catch (e) {
      return { file, ok: false, stage: 'compile', error: `${(e as { code?: string }).code ?? ''} ${(e as Error).message}` };
    }
    try {
      await store!.query(sql, { maxRows: 10, timeoutMs: 30_000 });
      return { file, ok: true };
    } catch (e) {
      return { file, ok: false, stage: 'run', error: `${(e as { code?: string }).code ?? ''} ${(e as Error).message}`.slice(0, 400) };
    }
  }

  it('every non-excluded query compiles and runs; exclusions are still real gaps; pass rate ≥ 96 %', async () => {
    const corpus = readCorpus();
    const exclusions = new Map(readExclusions().map((x) => [x.file, x.reason]));
    const files = new Set(corpus.map((q) => q.file));
    const stale = [...exclusions.keys()].filter((f) => !files.has(f));

    const outcomes: Outcome[] = [];
    for (const q of corpus) outcomes.push(await check(q.file, q.text));

    const passed = outcomes.filter((o) => o.ok).length;
    const rate = passed / outcomes.length;
    const unexpected = outcomes.filter((o) => !o.ok && !exclusions.has(o.file));
    const nowPassing = outcomes.filter((o) => o.ok && exclusions.has(o.file)).map((o) => o.file);
    const byStage = (s: string) => outcomes.filter((o) => o.stage === s).length;
    console.log(`[corpus] compile+run: ${passed}/${outcomes.length} pass (${(100 * rate).toFixed(1)} %); `
      + `${byStage('compile')} fail to compile, ${byStage('run')} fail in DuckDB; ${exclusions.size} excluded`);
    for (const o of unexpected) console.log(`[corpus] FAIL ${o.file} (${o.stage}): ${o.error}`);

    expect(stale, 'exclusions.tsv names files that are not in the corpus').toEqual([]);
    expect(unexpected.map((o) => `${o.file} (${o.stage}): ${o.error}`), 'failing queries that are not excluded').toEqual([]);
    expect(nowPassing, 'excluded queries that now pass: remove them from exclusions.tsv').toEqual([]);
    expect(rate, `pass rate ${(100 * rate).toFixed(1)} % is below ${100 * MIN_PASS_RATE} %`).toBeGreaterThanOrEqual(MIN_PASS_RATE);
  });
});
