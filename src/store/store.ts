/**
 * The storage contract. Everything above `store/` talks to data through this interface; the DuckDB
 * implementation lives in `store/duckdb/`, ClickHouse later beside it.
 *
 * Value mapping of results (one place, used by hunt/ to produce KQL-typed JSON):
 * BIGINT/HUGEINT/UBIGINT → bigint; INTEGER/SMALLINT/TINYINT → number; DOUBLE/FLOAT/DECIMAL → number;
 * BOOLEAN → boolean; VARCHAR/JSON/UUID → string; TIMESTAMP(/TZ) → bigint epoch microseconds;
 * INTERVAL → bigint microseconds; LIST/ARRAY → JS array (elements mapped likewise); STRUCT/MAP → plain object;
 * NULL → null.
 */

export type SqlParam = string | number | bigint | boolean | null | Date;

export interface ResultColumn {
  readonly name: string;
  /** DuckDB-style SQL type name, e.g. `VARCHAR`, `BIGINT`, `TIMESTAMP`, `JSON`, `VARCHAR[]`. */
  readonly sqlType: string;
}

export interface QueryResult {
  readonly columns: readonly ResultColumn[];
  readonly rows: readonly (readonly unknown[])[];
  /** True when the row cap cut the result. */
  readonly truncated?: boolean;
}

export interface QueryOptions {
  readonly params?: readonly SqlParam[];
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  /** Stop reading after this many rows (result marked `truncated`). */
  readonly maxRows?: number;
  /**
   * Hint for short interactive statements: the backend may write the parameters into the SQL as literals
   * instead of preparing and binding (DuckDB: `store/duckdb/inline-params.ts`). Same result either way.
   */
  readonly inlineParams?: boolean;
}

/** The writer connection under the write lock (`Store.exclusive`). */
export interface WriterSession extends Pick<Store, 'query' | 'exec' | 'append'> {
  transaction<T>(fn: (tx: Pick<Store, 'query' | 'exec' | 'append'>) => Promise<T>): Promise<T>;
}

/** Rows to append, as objects keyed by column name (missing columns become NULL / the column default). */
export type AppendRows = readonly Record<string, unknown>[];

export interface Store {
  readonly dialect: 'duckdb' | 'clickhouse';
  readonly dataDir: string;
  /** Runs one statement and returns all rows (up to `maxRows`). */
  query(sql: string, opts?: QueryOptions): Promise<QueryResult>;
  /** Runs statements that return nothing of interest. */
  exec(sql: string, params?: readonly SqlParam[]): Promise<void>;
  /** Bulk-appends rows to a catalog table in one transaction; returns the number appended. */
  append(table: string, rows: AppendRows): Promise<number>;
  /** Runs `fn` inside one transaction (BEGIN/COMMIT, ROLLBACK on throw). */
  transaction<T>(fn: (tx: Pick<Store, 'query' | 'exec' | 'append'>) => Promise<T>): Promise<T>;
  /**
   * Optional: runs `fn` holding the write lock, on the writer connection in autocommit mode (each statement
   * its own transaction: for scratch work in temp tables, which DuckDB builds several times faster outside an
   * open transaction), with `session.transaction` for the part that must be atomic. Nothing else writes
   * meanwhile, so what `fn` reads before its transaction still holds inside it.
   */
  exclusive?<T>(fn: (session: WriterSession) => Promise<T>): Promise<T>;
  /** Names of the tables that exist in the store. */
  listTables(): Promise<string[]>;
  /** Row count of a table. */
  count(table: string): Promise<bigint>;
  /** Forces a checkpoint (WAL → database file). */
  checkpoint(): Promise<void>;
  /** Checkpoints and releases the data directory. */
  close(): Promise<void>;
}
