/**
 * Opens the store the way the application needs it: core and feature migrations, and every table of the
 * process catalog (built-in tables plus those features register). CLI commands and the server use this.
 *
 * With `eventsStore` (`clickhouse://user:pass@host:8123/db`, from `serve --store` or `QUARRY_STORE`) the
 * event and explorer tables live in ClickHouse and everything else in the embedded DuckDB store of the data
 * directory (see `store/clickhouse/split-store.ts` and docs/clickhouse.md).
 */
import type { Logger } from '../core/log.js';
import { processCatalog } from '../catalog/catalog.js';
import { physicalTables } from '../store/catalog-tables.js';
import { openSplitStore } from '../store/clickhouse/split-store.js';
import { openStore } from '../store/duckdb/open-store.js';
import type { Store } from '../store/store.js';
import { featureMigrations } from './migrations.js';

export interface OpenQuarryStoreOptions {
  readonly logger?: Logger;
  /** URL of the events store; absent, empty or `duckdb:` keeps everything in the embedded store. */
  readonly eventsStore?: string;
}

export async function openQuarryStore(dataDir: string, opts: OpenQuarryStoreOptions = {}): Promise<Store> {
  const catalog = processCatalog();
  const store = await openStore(dataDir, {
    ...(opts.logger ? { logger: opts.logger } : {}),
    migrations: featureMigrations,
    tables: physicalTables(catalog),
  });
  if (!opts.eventsStore || /^duckdb:/i.test(opts.eventsStore)) return store;
  try {
    const split = await openSplitStore(store, opts.eventsStore, catalog);
    opts.logger?.info({ tables: split.eventTables.size, clickhouse: `${split.events.version.join('.')}` }, 'event and explorer tables on ClickHouse');
    return split;
  } catch (e) {
    await store.close();
    throw e;
  }
}
