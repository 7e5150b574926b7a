/** Shared helpers of the Explorer tests: the shared data folder, temporary stores. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { processCatalog } from '../../src/catalog/catalog.js';
import { explorerMigrations } from '../../src/explorer/migrations.js';
import { physicalTables } from '../../src/store/catalog-tables.js';
import { openStore } from '../../src/store/duckdb/open-store.js';
import type { Store } from '../../src/store/store.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const sharedDir = path.resolve(repoRoot, '../shared');
export const sharedData = (...p: string[]) => path.join(sharedDir, 'data', ...p);

/** Why a test that needs `../shared/data/<rel>` must skip, or null when the file is there. */
export function missingShared(rel: string): string | null {
  const p = sharedData(rel);
  return fs.existsSync(p) ? null : `${p} not found (expected ../shared beside the repo)`;
}

const dirs: string[] = [];
export async function tempStore(): Promise<Store> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quarry-explorer-'));
  dirs.push(dir);
  // Only Explorer's migrations: other areas' work in progress must not break these tests.
  return openStore(dir, { migrations: explorerMigrations, tables: physicalTables(processCatalog()) });
}

export function removeTempStores(): void {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

export async function rows(store: Store, sql: string, params: (string | number)[] = []): Promise<Record<string, unknown>[]> {
  const r = await store.query(sql, { params });
  return r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c.name, row[i]])));
}
