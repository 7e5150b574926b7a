/**
 * `openStore(dataDir)`: the DuckDB store of a data directory. Creates the directory and `quarry.duckdb`,
 * takes ownership (a second process gets `store/locked`), runs migrations and the catalog sync.
 * Within one process, opening the same directory again shares the instance (`DuckDBInstance.fromCache`)
 * and returns another handle; the directory is released when the last handle closes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { QuarryError } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import { syncCatalogTables, type PhysicalTable } from '../catalog-sync.js';
import { defaultPhysicalTables } from '../catalog-tables.js';
import { migrations, runMigrations, type Migration } from '../migrations.js';
import type { Store } from '../store.js';
import { DB_FILE, isLockError, lockedError, removePidFile, writePidFile } from './data-dir-lock.js';
import { DuckdbStore, type SharedDb } from './duckdb-store.js';
import { loadDuckdbPrelude, loadDuckdbUdfs } from './load-prelude.js';
import { ConnectionPool, Mutex } from './pool.js';

export interface OpenStoreOptions {
  readonly logger?: Logger;
  /** Run migrations and the catalog sync (default true). */
  readonly migrate?: boolean;
  /** Migrations of feature areas, run after the core ones (see `src/app/migrations.ts`). */
  readonly migrations?: readonly Migration[];
  /** Tables to sync; defaults to the process catalog's physical tables. */
  readonly tables?: readonly PhysicalTable[];
  /** Reader connections in the pool (default 4). */
  readonly readers?: number;
  /** Extra DuckDB settings for the instance (e.g. `{ threads: '2' }`); only the first open in a process applies them. */
  readonly duckdbOptions?: Record<string, string>;
}

/**
 * Instance settings unless the caller overrides them. `checkpoint_threshold`: DuckDB checkpoints when a commit
 * leaves the WAL above it (default 16 MB). Ingest commits of 5,000-250,000 2 KB events are 10-500 MB, so the
 * default made nearly every commit a checkpoint; at 256 MB, 400k events over HTTP (8 senders) went from 19.4k to
 * 23.4k rows/s (JS pipeline) and 22.8k to 27.7k (DuckDB-native, combined commits), same machine, back to back.
 * The cost: up to 256 MB of WAL to replay after a crash (seconds), and the WAL file's disk space.
 */
export const DEFAULT_DUCKDB_OPTIONS: Readonly<Record<string, string>> = { checkpoint_threshold: '256MB' };

const registry = new Map<string, Promise<SharedDb>>();

async function openShared(dataDir: string, opts: OpenStoreOptions): Promise<SharedDb> {
  try {
    fs.mkdirSync(dataDir, { recursive: true });
  } catch (e) {
    throw new QuarryError('store/open-failed', `cannot create the data directory ${dataDir}: ${(e as Error).message}`, { cause: e });
  }
  const dbPath = path.join(dataDir, DB_FILE);
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.fromCache(dbPath, { ...DEFAULT_DUCKDB_OPTIONS, ...opts.duckdbOptions });
  } catch (e) {
    if (isLockError(e)) throw lockedError(dataDir, e);
    throw new QuarryError('store/open-failed', `cannot open ${dbPath}: ${(e as Error).message}`, {
      cause: e,
      hints: ['if the file is not a Quarry database, move it away or choose another --data directory'],
    });
  }
  const prelude = await loadDuckdbPrelude(opts.logger);
  const readers = new ConnectionPool(instance, prelude, Math.max(1, opts.readers ?? 4), await loadDuckdbUdfs());
  let writer;
  try {
    writer = await readers.connect();
  } catch (e) {
    instance.closeSync();
    throw new QuarryError('store/open-failed', `cannot connect to ${dbPath}: ${(e as Error).message}`, { cause: e });
  }
  writePidFile(dataDir);
  const shared: SharedDb = {
    dataDir,
    instance,
    writer,
    readers,
    writeLock: new Mutex(),
    logger: opts.logger,
    refs: 0,
    closed: false,
    release: () => {
      registry.delete(dataDir);
      try {
        instance.closeSync();
      } finally {
        removePidFile(dataDir);
      }
    },
  };
  return shared;
}

export async function openStore(dataDir: string, opts: OpenStoreOptions = {}): Promise<Store> {
  const dir = path.resolve(dataDir);
  let pending = registry.get(dir);
  if (!pending) {
    pending = openShared(dir, opts);
    registry.set(dir, pending);
    pending.catch(() => registry.delete(dir));
  }
  const shared = await pending;
  shared.refs++;
  const store = new DuckdbStore(shared);
  if (opts.migrate !== false) {
    try {
      await runMigrations(store, [...migrations, ...(opts.migrations ?? [])].sort((a, b) => a.version - b.version));
      const tables = opts.tables ?? defaultPhysicalTables();
      const sync = await syncCatalogTables(store, tables);
      if (sync.created.length || sync.addedColumns.length) {
        opts.logger?.info({ created: sync.created.length, addedColumns: sync.addedColumns.length }, 'catalog tables synced');
      }
      for (const m of sync.mismatched) {
        opts.logger?.warn(m, 'stored column type differs from the catalog; left unchanged');
      }
    } catch (e) {
      await store.close();
      throw e;
    }
  }
  return store;
}
