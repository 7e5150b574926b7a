/**
 * Shared pieces of the detection tests: a real DuckDB store with detection's migrations and every catalog
 * table, a store wrapper that calls the ingest hook after each committed batch (what `src/ingest` will do),
 * and the expected alert set derived from the generator's planted truth.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { processCatalog } from '../../src/catalog/catalog.js';
import { detectMigrations } from '../../src/detect/migrations.js';
import type { Detection } from '../../src/detect/detection.js';
import { matchColumns } from '../../src/detect/matcher.js';
import { canonicalCidr, hostOf, toMs } from '../../src/detect/normalize.js';
import type { PlantedIndicator, PlantedTruth } from '../../src/generate/index.js';
import { physicalTables } from '../../src/store/catalog-tables.js';
import { openStore } from '../../src/store/duckdb/open-store.js';
import type { Store } from '../../src/store/store.js';

const made: string[] = [];
export function tempDir(prefix = 'quarry-detect-'): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(d);
  return d;
}
export function removeTempDirs(): void {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

export async function openDetectStore(dir: string): Promise<Store> {
  return openStore(dir, { migrations: detectMigrations, tables: physicalTables(processCatalog()) });
}

/** `store.append` followed by the detection hook, as the ingest pipeline's commit step will do. */
export function hooked(store: Store, det: Detection): Pick<Store, 'append'> {
  return {
    async append(table, rows) {
      const n = await store.append(table, rows);
      await det.onBatchCommitted(table, rows);
      return n;
    },
  };
}

export function indicatorKeyOf(ind: PlantedIndicator): string {
  switch (ind.kind) {
    case 'domain': return `domain:${ind.value.toLowerCase()}`;
    case 'ipv4': return `ip:${ind.value}`;
    case 'cidr': return `ip:${canonicalCidr(ind.value)}`;
    case 'url': return `url:${ind.value.toLowerCase()}`;
    case 'sha1': case 'sha256': return `file-hash:${ind.value.toLowerCase()}`;
    case 'email': return `email:${ind.value.toLowerCase()}`;
  }
}

/** `indicatorKey|entity|table|truthKey` for every planted reference on an entity column of an active indicator. */
export function expectedMatches(truth: PlantedTruth, filter: (table: string, column: string, kind: string) => boolean = () => true): Set<string> {
  const catalog = processCatalog();
  const byId = new Map(truth.indicators.map((i) => [i.id, i]));
  const out = new Set<string>();
  for (const r of truth.refs) {
    const ind = byId.get(r.indicator)!;
    if (ind.status !== 'active') continue;
    const key = indicatorKeyOf(ind);
    if (!matchColumns(catalog, r.table).has(r.column) || !filter(r.table, r.column, key.slice(0, key.indexOf(':')))) continue;
    const entity = ind.kind === 'domain' ? hostOf(r.value) : r.value.toLowerCase();
    out.add(`${indicatorKeyOf(ind)}|${entity}|${r.table}|${r.key}`);
  }
  return out;
}

function isoMs(v: unknown): string {
  const ms = toMs(v);
  return ms === null ? '' : new Date(ms).toISOString();
}

/** The same form for stored alerts: the truth key is read off the evidence row by the table's key columns. */
export async function alertMatches(store: Store, where = '1=1'): Promise<string[]> {
  const keyCols: Record<string, string[]> = { DnsEvents: ['TimeGenerated', 'ClientIP', 'Name'], CommonSecurityLog: ['ExtID'] };
  const r = await store.query(`SELECT indicator_key, entity, event_id, evidence FROM detect_alerts WHERE indicator_key IS NOT NULL AND ${where}`);
  return r.rows.map((row) => {
    const table = String(row[2]).split(':')[0]!;
    const ev = (JSON.parse(String(row[3])) as Record<string, unknown>[])[0]!;
    const cols = keyCols[table] ?? ['ReportId'];
    const key = cols.map((c) => (c === 'TimeGenerated' ? isoMs(ev[c]) : String(ev[c]))).join('|');
    return `${String(row[0])}|${String(row[1])}|${table}|${key}`;
  });
}

export function sorted(xs: Iterable<string>): string[] {
  return [...xs].sort();
}
