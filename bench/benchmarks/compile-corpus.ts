/**
 * compile-corpus: KQL → SQL compile time (parse + bind + plan + SQL) per query of the shared corpus,
 * warm (the parser is loaded and each query compiled once before timing). Figure = p50 per query (ms);
 * baseline = the official parser's syntax-only parse of the same queries (the floor any compile pays).
 * p95 and the cold first compile are reported in the notes. Needs ../shared/kql-corpus (skipped otherwise).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileKql } from '../../src/hunt/compile.js';
import { parseSyntax } from '../../src/kql/kusto-adapter.js';
import type { Benchmark } from '../harness.js';

const corpusDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/kql-corpus');

interface State {
  readonly queries: string[];
  cold?: number;
  lastP95?: number;
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

const benchmark: Benchmark<State> = {
  name: 'compile-corpus',
  description: 'p50 compile time per corpus query (parse+bind+plan+SQL, warm) vs the syntax-only parse of the same queries.',
  unit: 'ms',
  async available() {
    return fs.existsSync(corpusDir) ? null : `the corpus is not present at ${corpusDir}`;
  },
  async setup() {
    const queries: string[] = [];
    const t0 = performance.now();
    let cold: number | undefined;
    for (const f of fs.readdirSync(corpusDir).filter((x) => x.endsWith('.kql')).sort()) {
      const text = fs.readFileSync(path.join(corpusDir, f), 'utf8');
      try {
        compileKql(text, { now: new Date('2024-05-01T00:00:00Z'), cache: false });
        cold ??= performance.now() - t0;
        queries.push(text);
      } catch {
        // queries Quarry cannot compile are not timed
      }
    }
    return { queries, ...(cold !== undefined ? { cold } : {}) };
  },
  subject: {
    label: 'compileKql p50',
    async run(_ctx, s) {
      const times = s.queries.map((q) => {
        const t0 = performance.now();
        compileKql(q, { now: new Date('2024-05-01T00:00:00Z'), cache: false });
        return performance.now() - t0;
      });
      s.lastP95 = percentile(times, 95);
      return { ms: percentile(times, 50) };
    },
  },
  baseline: {
    label: 'parse only p50',
    async run(_ctx, s) {
      const times = s.queries.map((q) => {
        const t0 = performance.now();
        parseSyntax(q);
        return performance.now() - t0;
      });
      return { ms: percentile(times, 50) };
    },
  },
  notes(s) {
    return `${s.queries.length} queries compiled; last p95 ${s.lastP95?.toFixed(2)} ms; first (cold) compile in the process ${s.cold?.toFixed(0)} ms.`;
  },
};

export default benchmark;
