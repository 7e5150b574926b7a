/**
 * Opens a real DuckDB store for intel tests: core + intel migrations and the built-in catalog tables (which
 * include the Sentinel TI tables). Other areas' migrations are left out so these tests exercise only intel.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { intelMigrations } from '../../src/intel/migrations.js';
import { defaultPhysicalTables } from '../../src/store/catalog-tables.js';
import { openStore } from '../../src/store/duckdb/open-store.js';
import type { Store } from '../../src/store/store.js';

const made: string[] = [];

export function tempDir(prefix = 'quarry-intel-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

export async function openIntelStore(dir = tempDir()): Promise<Store> {
  return openStore(dir, { migrations: intelMigrations, tables: defaultPhysicalTables() });
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const sharedDir = path.resolve(repoRoot, '../shared');
export const dataDir = path.join(sharedDir, 'data');
export const haveSharedData = fs.existsSync(path.join(dataDir, 'SOURCES.md'));
export const noDataReason = `shared test data not found at ${dataDir}`;
