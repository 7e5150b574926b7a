/**
 * The embedded-ClickHouse (chdb) backend for the differential suites: a `ClickHouseStore` over
 * chdb's in-process connection, KQL compiled with the ClickHouse dialect. `chdbUnavailable()` names
 * what to install when the optional `chdb` package (and its native `@chdb/lib-*`) is missing.
 */
import { createRequire } from 'node:module';
import { runKql, type HuntResult, type RunOptions } from '../../src/hunt/run.js';
import { compileKql } from '../../src/hunt/compile.js';
import { clickhouseDialect } from '../../src/sql/dialects/clickhouse/dialect.js';
import { ClickHouseStore } from '../../src/store/clickhouse/clickhouse-store.js';

const require = createRequire(import.meta.url);

export function chdbUnavailable(): string | null {
  if (process.env.QUARRY_SKIP_CHDB) return 'QUARRY_SKIP_CHDB is set';
  try {
    require.resolve('chdb/connection');
    require.resolve('@chdb/lib-linux-x64-gnu/package.json');
    return null;
  } catch {
    return 'the optional package chdb is not installed (npm install --no-save chdb@3.4.0, which brings @chdb/lib-linux-x64-gnu)';
  }
}

/** One chdb-backed store per process (chdb runs one engine per process). */
let shared: Promise<ClickHouseStore> | undefined;
export function openChdbStore(): Promise<ClickHouseStore> {
  shared ??= (async () => {
    const { createChdbConnection } = require('chdb/connection') as { createChdbConnection: (o: { path: string }) => unknown };
    return ClickHouseStore.open({ connection: createChdbConnection({ path: ':memory:' }) });
  })();
  return shared;
}

export function runOnClickhouse(store: ClickHouseStore, query: string, opts: RunOptions): Promise<HuntResult> {
  return runKql(store, query, { ...opts, compile: { ...opts.compile, dialect: clickhouseDialect } });
}

export function clickhouseSqlFor(query: string, opts: RunOptions): string {
  try {
    return compileKql(query, { ...(opts.now ? { now: opts.now } : {}), view: opts.view ?? 'auto', dialect: clickhouseDialect }).sql;
  } catch (e) {
    return `(does not compile: ${(e as { code?: string }).code ?? ''} ${(e as Error).message})`;
  }
}
