/** Shared helpers of the ingest tests: temp data dirs, the shared data location, small row builders. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const sharedDir = path.resolve(repoRoot, '../shared');
export const zeekDir = path.join(sharedDir, 'data/brimdata-zed-sample-data/zeek-default');

const made: string[] = [];

export function tempDir(prefix = 'quarry-ingest-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/** A valid DeviceNetworkEvents row (Defender table: Timestamp is the time column). */
export function networkRow(i: number, base = Date.parse('2024-05-01T00:00:00Z')): Record<string, unknown> {
  return {
    Timestamp: new Date(base + i * 1000).toISOString(),
    DeviceId: `dev-${i % 17}`,
    DeviceName: `host-${i % 17}.contoso.local`,
    ActionType: i % 5 === 0 ? 'ConnectionFailed' : 'ConnectionSuccess',
    RemoteIP: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
    RemotePort: 443 + (i % 3),
    LocalIP: '192.168.1.10',
    LocalPort: 50000 + (i % 1000),
    Protocol: 'Tcp',
    InitiatingProcessFileName: 'chrome.exe',
    InitiatingProcessId: 4000 + i,
    ReportId: i,
  };
}

import { processCatalog } from '../../src/catalog/catalog.js';
import { ingestMigrations } from '../../src/ingest/migrations.js';
import { physicalTables } from '../../src/store/catalog-tables.js';
import { openStore } from '../../src/store/duckdb/open-store.js';
import type { Store } from '../../src/store/store.js';

/**
 * A store with the core and ingest migrations and every catalog table — what `openQuarryStore` gives,
 * without other areas' migrations, so these tests do not depend on work in progress elsewhere.
 */
export function openIngestStore(dir: string): Promise<Store> {
  return openStore(dir, { migrations: ingestMigrations, tables: physicalTables(processCatalog()) });
}

import { spawnSync } from 'node:child_process';
import { ensureBuilt } from '../cli/quarry-process.js';

function newestMtime(d: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** `ensureBuilt`, plus a rebuild when the ingest sources (which it does not watch) are newer than their output. */
export function ensureIngestBuilt(): void {
  ensureBuilt();
  const out = path.join(repoRoot, 'dist/ingest/pipeline.js');
  const src = Math.max(...['src/ingest', 'src/api/routes', 'src/cli/commands'].map((d) => newestMtime(path.join(repoRoot, d))));
  if (!fs.existsSync(out) || fs.statSync(out).mtimeMs < src) {
    spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: repoRoot, stdio: 'ignore' });
    if (fs.existsSync(out)) fs.utimesSync(out, new Date(), new Date());
  }
}
