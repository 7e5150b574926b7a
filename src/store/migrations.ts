/**
 * Versioned schema migrations of Quarry's own tables, recorded in `_quarry_migrations`. Each migration runs
 * in its own transaction together with its record, so a failure leaves the store at the previous version.
 * Catalog tables (events, indicators, …) are not migrated here: `catalog-sync.ts` derives them from the catalog.
 *
 * Add a migration by appending to `migrations` with the next version number; never edit a released one.
 */
import { QuarryError } from '../core/errors.js';
import type { Store } from './store.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  /** Statements run in order inside one transaction. */
  readonly up: readonly string[];
}

export const MIGRATIONS_TABLE = '_quarry_migrations';

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'meta',
    up: [
      // Small key/value facts about the store itself (demo marker, catalog version, …).
      'CREATE TABLE IF NOT EXISTS _quarry_meta (key VARCHAR PRIMARY KEY, value VARCHAR, updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp)',
    ],
  },
];

type MigrationTarget = Pick<Store, 'exec' | 'query' | 'transaction'>;

export async function appliedVersions(store: Pick<Store, 'query'>): Promise<Set<number>> {
  const r = await store.query(`SELECT version FROM ${MIGRATIONS_TABLE}`);
  return new Set(r.rows.map((row) => Number(row[0])));
}

/** Applies every pending migration in version order; returns the versions applied now. Idempotent. */
export async function runMigrations(store: MigrationTarget, list: readonly Migration[] = migrations): Promise<number[]> {
  const versions = list.map((m) => m.version);
  if (new Set(versions).size !== versions.length || versions.some((v, i) => i > 0 && v <= versions[i - 1]!)) {
    throw new QuarryError('store/migration-failed', 'migration versions must be unique and increasing');
  }
  try {
    await store.exec(
      `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)`,
    );
  } catch (e) {
    throw new QuarryError('store/migration-failed', `cannot create ${MIGRATIONS_TABLE}: ${(e as Error).message}`, { cause: e });
  }
  const done = await appliedVersions(store);
  const applied: number[] = [];
  for (const m of list) {
    if (done.has(m.version)) continue;
    try {
      await store.transaction(async (tx) => {
        for (const stmt of m.up) await tx.exec(stmt);
        await tx.exec(`INSERT INTO ${MIGRATIONS_TABLE} (version, name) VALUES ($1, $2)`, [m.version, m.name]);
      });
    } catch (e) {
      throw new QuarryError('store/migration-failed', `migration ${m.version} (${m.name}) failed: ${(e as Error).message}`, {
        cause: e,
        details: { version: m.version, name: m.name },
      });
    }
    applied.push(m.version);
  }
  return applied;
}
