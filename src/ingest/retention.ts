/**
 * Retention per table: rows whose time column is older than `now - days` are deleted. Event tables keep
 * 30 days by default; other tables (indicators, explorer data sets, alerts) keep everything unless a
 * retention is set for them. Overrides live in `_ingest_retention`. The quarantine follows the default too.
 * A background job runs the sweep on an interval; its clock is injectable so tests can move time.
 */
import { processCatalog, type Catalog } from '../catalog/catalog.js';
import { QuarryError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { quoteIdentifier } from '../sql/dialects/duckdb/literals.js';
import type { Store } from '../store/store.js';

export const DEFAULT_EVENT_RETENTION_DAYS = 30;
const DAY_MS = 86_400_000;

export interface RetentionPolicy {
  readonly table: string;
  /** Physical column the age is measured on. */
  readonly timeColumn: string;
  /** Null: kept forever. */
  readonly days: number | null;
}

export async function setRetention(store: Store, table: string, days: number | null, catalog: Catalog = processCatalog()): Promise<void> {
  if (table !== '_ingest_quarantine') catalog.getTable(table);
  if (days === null) {
    await store.exec('DELETE FROM _ingest_retention WHERE table_name = $1', [table]);
    return;
  }
  if (!Number.isInteger(days) || days < 1) throw new QuarryError('core/bad-argument', `retention must be a whole number of days >= 1, got ${days}`);
  await store.exec(
    'INSERT INTO _ingest_retention (table_name, days) VALUES ($1, $2) ON CONFLICT (table_name) DO UPDATE SET days = excluded.days',
    [table, days],
  );
}

export async function retentionPolicies(store: Pick<Store, 'query'>, catalog: Catalog = processCatalog()): Promise<RetentionPolicy[]> {
  const r = await store.query('SELECT table_name, days FROM _ingest_retention');
  const overrides = new Map(r.rows.map((row) => [String(row[0]), Number(row[1])]));
  const out: RetentionPolicy[] = [];
  for (const def of catalog.listTables()) {
    if (!def.timeColumn) continue;
    const days = overrides.get(def.name) ?? (def.category === 'event' ? DEFAULT_EVENT_RETENTION_DAYS : null);
    out.push({ table: def.name, timeColumn: def.timeColumn, days });
  }
  out.push({ table: '_ingest_quarantine', timeColumn: 'quarantined_at', days: overrides.get('_ingest_quarantine') ?? DEFAULT_EVENT_RETENTION_DAYS });
  return out;
}

/** Deletes expired rows of every table with a retention; returns the rows deleted per table (non-zero only). */
export async function enforceRetention(store: Store, now: Date, catalog: Catalog = processCatalog()): Promise<Record<string, number>> {
  const deleted: Record<string, number> = {};
  const present = new Set(await store.listTables());
  for (const p of await retentionPolicies(store, catalog)) {
    if (p.days === null || !present.has(p.table)) continue;
    const cutoff = new Date(now.getTime() - p.days * DAY_MS);
    const r = await store.transaction(async (tx) => {
      const res = await tx.query(`DELETE FROM ${quoteIdentifier(p.table)} WHERE ${quoteIdentifier(p.timeColumn)} < $1`, { params: [cutoff] });
      return Number(res.rows[0]?.[0] ?? 0);
    });
    if (r > 0) deleted[p.table] = r;
  }
  return deleted;
}

export interface RetentionJob {
  /** Runs one sweep now (also what the timer calls). */
  runOnce(): Promise<Record<string, number>>;
  stop(): void;
}

export function startRetentionJob(
  store: Store,
  opts: { intervalMs?: number; now?: () => Date; catalog?: Catalog; logger?: Logger } = {},
): RetentionJob {
  const now = opts.now ?? (() => new Date());
  let running: Promise<Record<string, number>> | null = null;
  const runOnce = async () => {
    // Never two sweeps at once: a slow sweep makes the next tick wait for it.
    if (running) return running;
    running = enforceRetention(store, now(), opts.catalog).finally(() => (running = null));
    const deleted = await running;
    if (Object.keys(deleted).length > 0) opts.logger?.info({ deleted }, 'retention sweep');
    return deleted;
  };
  const timer = setInterval(() => {
    runOnce().catch((e: unknown) => opts.logger?.warn({ err: e }, 'retention sweep failed'));
  }, opts.intervalMs ?? 3_600_000);
  timer.unref();
  return { runOnce, stop: () => clearInterval(timer) };
}
