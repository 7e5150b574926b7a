/**
 * The store of a scale-out deployment (`quarry serve --store clickhouse://…`): event and explorer tables
 * live in ClickHouse, everything else (intel, rules, alerts, incidents, users, tokens, jobs) stays in the
 * embedded DuckDB store of the data directory.
 *
 * To every caller this is the DuckDB store (`dialect: 'duckdb'`, SQL goes to DuckDB), except:
 * - `append`/`count` of an event or explorer table go to ClickHouse (ingestion writes there);
 * - `listTables` is the union of both;
 * - hunting: `huntingTarget(store)` gives the ClickHouse store and its dialect, so KQL over events is
 *   compiled to ClickHouse SQL and runs there.
 */
import type { Catalog } from '../../catalog/catalog.js';
import type { TableDef } from '../../catalog/types.js';
import { physicalColumns } from '../../catalog/views.js';
import { QuarryError } from '../../core/errors.js';
import type { Dialect } from '../../sql/dialect.js';
import { clickhouseDialect } from '../../sql/dialects/clickhouse/dialect.js';
import type { AppendRows, QueryOptions, QueryResult, SqlParam, Store } from '../store.js';
import { ClickHouseStore } from './clickhouse-store.js';
import { createTableSql, type TableLayout } from './table-ddl.js';

/** Table categories kept in ClickHouse; the rest stays in the embedded store. */
export const CLICKHOUSE_CATEGORIES: ReadonlySet<TableDef['category']> = new Set(['event', 'explorer']);

export interface EventsStoreUrl {
  /** `http(s)://user:pass@host:port/db` for `@clickhouse/client`. */
  readonly httpUrl: string;
  readonly layout: Pick<TableLayout, 'cluster' | 'retentionDays'>;
}

/**
 * Parses `clickhouse://[user[:pass]@]host[:8123][/db][?cluster=c&retention_days=n]` (`clickhouses://` for
 * HTTPS). The port is the HTTP interface's (default 8123; 8443 for HTTPS).
 */
export function parseEventsStoreUrl(text: string): EventsStoreUrl {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new QuarryError('core/bad-config', `--store: '${text}' is not a URL (expected clickhouse://user:pass@host:8123/db)`);
  }
  const secure = url.protocol === 'clickhouses:';
  if (url.protocol !== 'clickhouse:' && !secure) {
    throw new QuarryError('core/bad-config', `--store: unsupported scheme '${url.protocol}' (expected clickhouse:// or clickhouses://)`);
  }
  if (!url.hostname) throw new QuarryError('core/bad-config', `--store: '${text}' names no host`);
  const cred = url.username ? `${url.username}${url.password ? `:${url.password}` : ''}@` : '';
  const port = url.port || (secure ? '8443' : '8123');
  const db = url.pathname.length > 1 ? url.pathname : '';
  const retention = url.searchParams.get('retention_days');
  const retentionDays = retention === null ? undefined : Number(retention);
  if (retentionDays !== undefined && !(Number.isInteger(retentionDays) && retentionDays > 0)) {
    throw new QuarryError('core/bad-config', `--store: retention_days must be a positive integer, got '${retention}'`);
  }
  const cluster = url.searchParams.get('cluster') ?? undefined;
  return {
    httpUrl: `${secure ? 'https' : 'http'}://${cred}${url.hostname.includes(':') ? `[${url.hostname}]` : url.hostname}:${port}${db}`,
    layout: { ...(cluster ? { cluster } : {}), ...(retentionDays ? { retentionDays } : {}) },
  };
}

export class SplitStore implements Store {
  readonly dialect = 'duckdb' as const;

  constructor(
    /** The embedded store (metadata, intel, detections). */
    readonly meta: Store,
    /** The ClickHouse store holding `eventTables`. */
    readonly events: ClickHouseStore,
    readonly eventTables: ReadonlySet<string>,
  ) {}

  get dataDir(): string {
    return this.meta.dataDir;
  }

  query(sql: string, opts?: QueryOptions): Promise<QueryResult> {
    return this.meta.query(sql, opts);
  }

  exec(sql: string, params?: readonly SqlParam[]): Promise<void> {
    return this.meta.exec(sql, params);
  }

  append(table: string, rows: AppendRows): Promise<number> {
    return this.eventTables.has(table) ? this.events.append(table, rows) : this.meta.append(table, rows);
  }

  transaction<T>(fn: (tx: Pick<Store, 'query' | 'exec' | 'append'>) => Promise<T>): Promise<T> {
    // Appends to event tables inside a transaction still go to ClickHouse (no cross-engine atomicity).
    return this.meta.transaction((tx) => fn({
      query: (sql, opts) => tx.query(sql, opts),
      exec: (sql, params) => tx.exec(sql, params),
      append: (table, rows) => (this.eventTables.has(table) ? this.events.append(table, rows) : tx.append(table, rows)),
    }));
  }

  async listTables(): Promise<string[]> {
    const [a, b] = await Promise.all([this.meta.listTables(), this.events.listTables()]);
    return [...new Set([...a, ...b])].sort();
  }

  count(table: string): Promise<bigint> {
    return this.eventTables.has(table) ? this.events.count(table) : this.meta.count(table);
  }

  checkpoint(): Promise<void> {
    return this.meta.checkpoint();
  }

  async close(): Promise<void> {
    try {
      await this.events.close();
    } finally {
      await this.meta.close();
    }
  }
}

/**
 * Opens the ClickHouse side of a split store: connects, creates the event and explorer tables of the
 * catalog (MergeTree by time and entity, partitioned by day; `Distributed` over `cluster` when given).
 */
export async function openSplitStore(meta: Store, storeUrl: string, catalog: Catalog): Promise<SplitStore> {
  const { httpUrl, layout } = parseEventsStoreUrl(storeUrl);
  let events: ClickHouseStore;
  try {
    events = await ClickHouseStore.open({ url: httpUrl, requestTimeoutMs: 600_000 });
  } catch (e) {
    throw new QuarryError('store/open-failed', `cannot reach ClickHouse at ${httpUrl.replace(/\/\/[^@/]*@/, '//')}: ${(e as Error).message}`);
  }
  const names = new Set<string>();
  try {
    for (const def of catalog.listTables()) {
      if (!CLICKHOUSE_CATEGORIES.has(def.category)) continue;
      names.add(def.name);
      const table = { name: def.name, columns: physicalColumns(def) };
      const entityColumns = (def.entityColumns ?? []).map((e) => e.column);
      const ddl = createTableSql(table, {
        ...layout, legacy: !events.modern, entityColumns,
        ...(def.timeColumn ? { timeColumn: def.timeColumn } : {}),
      });
      for (const sql of ddl) await events.exec(sql);
    }
  } catch (e) {
    await events.close();
    throw e;
  }
  return new SplitStore(meta, events, names);
}

/**
 * Where a KQL hunting query runs: the ClickHouse store with its dialect for a split store, else the store
 * itself with the default dialect. `runKql` should call this (see docs/clickhouse.md, "Serving").
 */
export function huntingTarget(store: Store): { readonly store: Store; readonly dialect?: Dialect } {
  if (store instanceof SplitStore) return { store: store.events, dialect: clickhouseDialect };
  if (store.dialect === 'clickhouse') return { store, dialect: clickhouseDialect };
  return { store };
}
