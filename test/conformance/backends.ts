/**
 * The backends every conformance case runs against. A backend opens one session for the whole suite
 * (the store is opened once in a temp dir). To add ClickHouse later, append an entry whose
 * `unavailable()` explains what is missing (e.g. no server URL in the environment) so the suite
 * skips it visibly instead of failing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runKql, type HuntResult, type RunOptions } from '../../src/hunt/run.js';
import { compileKql } from '../../src/hunt/compile.js';
import type { Store } from '../../src/store/store.js';
import { openStore } from '../../src/store/duckdb/open-store.js';

export interface BackendSession {
  run(query: string, opts: RunOptions): Promise<HuntResult>;
  /** The SQL this backend would run, for failure messages; an error message when it does not compile. */
  sqlFor(query: string, opts: RunOptions): string;
  close(): Promise<void>;
}

export interface ConformanceBackend {
  readonly name: string;
  /** Why this backend cannot run here, or null. */
  unavailable(): string | null;
  open(): Promise<BackendSession>;
}

function compiledSql(query: string, opts: RunOptions): string {
  try {
    return compileKql(query, { ...(opts.now ? { now: opts.now } : {}), view: opts.view ?? 'auto' }).sql;
  } catch (e) {
    return `(does not compile: ${(e as { code?: string }).code ?? ''} ${(e as Error).message})`;
  }
}

const duckdb: ConformanceBackend = {
  name: 'duckdb',
  unavailable: () => null,
  async open() {
    const dir = mkdtempSync(path.join(tmpdir(), 'quarry-conformance-'));
    const store: Store = await openStore(dir, { duckdbOptions: { threads: '2' } });
    return {
      run: (query, opts) => runKql(store, query, opts),
      sqlFor: compiledSql,
      async close() {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

export const conformanceBackends: readonly ConformanceBackend[] = [duckdb];
