/**
 * The DuckDB implementation of `Store`. One `SharedDb` per data directory and process (one instance, one
 * writer connection, a reader pool); `openStore` hands out `Store` handles onto it, reference-counted.
 *
 * Concurrency: reads (`query`) run on pooled reader connections in parallel; everything that writes
 * (`exec`, `append`, `transaction`, `checkpoint`) is serialised on the writer connection by a mutex, so
 * writers never conflict with each other and an acknowledged write is a committed one.
 */
import type { DuckDBConnection, DuckDBInstance, DuckDBType } from '@duckdb/node-api';
import { QuarryError } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import type { AppendRows, QueryOptions, QueryResult, SqlParam, Store, WriterSession } from '../store.js';
import { quoteIdentifier } from '../../sql/dialects/duckdb/literals.js';
import { appendRows } from './append-rows.js';
import { ConnectionPool, Mutex } from './pool.js';
import { runQuery, storeError, toDuckParams } from './run-query.js';

type TxStore = Pick<Store, 'query' | 'exec' | 'append'>;

export interface SharedDb {
  readonly dataDir: string;
  readonly instance: DuckDBInstance;
  readonly writer: DuckDBConnection;
  readonly readers: ConnectionPool;
  readonly writeLock: Mutex;
  readonly logger?: Logger;
  refs: number;
  closed: boolean;
  /** Runs when the last handle closes (releases the instance and the registry entry). */
  readonly release: () => void;
}

async function execOn(conn: DuckDBConnection, sql: string, params?: readonly SqlParam[]): Promise<void> {
  try {
    const { values, types } = toDuckParams(params);
    await conn.run(sql, values, types as DuckDBType[] | undefined);
  } catch (e) {
    throw storeError(e, sql);
  }
}

/** Query/exec/append bound to the writer connection inside an open transaction. */
function txView(shared: SharedDb): TxStore {
  return {
    query: (sql, opts) => runQuery(shared.writer, sql, opts),
    exec: (sql, params) => execOn(shared.writer, sql, params),
    append: (table, rows) => appendRows(shared.writer, table, rows),
  };
}

async function inTransaction<T>(shared: SharedDb, fn: (tx: TxStore) => Promise<T>): Promise<T> {
  await execOn(shared.writer, 'BEGIN TRANSACTION');
  let value: T;
  try {
    value = await fn(txView(shared));
  } catch (e) {
    try {
      await shared.writer.run('ROLLBACK');
    } catch (rollbackError) {
      shared.logger?.error({ err: rollbackError }, 'rollback failed');
    }
    throw e;
  }
  // A failing COMMIT (constraint, I/O) is the caller's error: nothing was acknowledged.
  await execOn(shared.writer, 'COMMIT');
  return value;
}

export class DuckdbStore implements Store {
  readonly dialect = 'duckdb' as const;
  private closed = false;

  constructor(private readonly shared: SharedDb) {}

  get dataDir(): string {
    return this.shared.dataDir;
  }

  private check(): void {
    if (this.closed || this.shared.closed) throw new QuarryError('store/closed', `the store at ${this.shared.dataDir} is closed`);
  }

  async query(sql: string, opts?: QueryOptions): Promise<QueryResult> {
    this.check();
    const conn = await this.shared.readers.acquire();
    try {
      return await runQuery(conn, sql, opts);
    } finally {
      this.shared.readers.release(conn);
    }
  }

  async exec(sql: string, params?: readonly SqlParam[]): Promise<void> {
    this.check();
    await this.shared.writeLock.run(() => execOn(this.shared.writer, sql, params));
  }

  async append(table: string, rows: AppendRows): Promise<number> {
    this.check();
    if (rows.length === 0) return 0;
    return this.shared.writeLock.run(() => inTransaction(this.shared, (tx) => tx.append(table, rows)));
  }

  async transaction<T>(fn: (tx: TxStore) => Promise<T>): Promise<T> {
    this.check();
    return this.shared.writeLock.run(() => inTransaction(this.shared, fn));
  }

  async exclusive<T>(fn: (session: WriterSession) => Promise<T>): Promise<T> {
    this.check();
    const shared = this.shared;
    return shared.writeLock.run(() => fn({ ...txView(shared), transaction: (inner) => inTransaction(shared, inner) }));
  }

  async listTables(): Promise<string[]> {
    const r = await this.query(
      "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND database_name = current_database() AND NOT temporary ORDER BY table_name",
    );
    return r.rows.map((row) => String(row[0]));
  }

  async count(table: string): Promise<bigint> {
    const r = await this.query(`SELECT count(*) FROM ${quoteIdentifier(table)}`);
    return r.rows[0]![0] as bigint;
  }

  async checkpoint(): Promise<void> {
    this.check();
    await this.shared.writeLock.run(() => execOn(this.shared.writer, 'CHECKPOINT'));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const shared = this.shared;
    shared.refs--;
    if (shared.refs > 0) return;
    // Last handle: wait for queued writes, make the database file self-contained, let go of the directory.
    await shared.writeLock.run(async () => {
      if (shared.closed) return;
      shared.closed = true;
      try {
        await shared.writer.run('CHECKPOINT');
      } catch (e) {
        shared.logger?.warn({ err: e }, 'checkpoint on close failed; the WAL will be replayed on next open');
      }
      shared.readers.closeAll();
      try {
        shared.writer.disconnectSync();
      } catch {
        // already gone
      }
      shared.release();
    });
  }
}
