/**
 * Opens the store the way the application needs it: core and feature migrations, and every table of the
 * process catalog (built-in tables plus those features register). CLI commands and the server use this.
 */
import type { Logger } from '../core/log.js';
import { processCatalog } from '../catalog/catalog.js';
import { physicalTables } from '../store/catalog-tables.js';
import { openStore } from '../store/duckdb/open-store.js';
import type { Store } from '../store/store.js';
import { featureMigrations } from './migrations.js';

export async function openQuarryStore(dataDir: string, opts: { logger?: Logger } = {}): Promise<Store> {
  return openStore(dataDir, {
    ...(opts.logger ? { logger: opts.logger } : {}),
    migrations: featureMigrations,
    tables: physicalTables(processCatalog()),
  });
}
