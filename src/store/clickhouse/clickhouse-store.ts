/**
 * A `Store` over the official `@clickhouse/client` (HTTP). With `connection` (chdb's
 * `createChdbConnection`) the same code runs on embedded ClickHouse — tests and benchmarks use that.
 *
 * - KQL SQL runs with the dialect's session settings (`clickhouseQuerySettings`) on servers ≥ 23.8.
 * - `appendBatch(table, rows, token)` is idempotent per token: on servers with insert deduplication
 *   tokens (≥ 22.2) the token goes to `insert_deduplication_token` (tables carry
 *   `non_replicated_deduplication_window`); on older servers a ledger table records committed tokens.
 * - ClickHouse has no multi-statement transactions: `transaction(fn)` runs `fn` directly (each insert
 *   is atomic per block) — say so to callers that need rollback.
 */
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { QuarryError } from '../../core/errors.js';
import { clickhouseQuerySettings } from '../../sql/dialects/clickhouse/dialect.js';
import { quoteIdentifier, sqlString } from '../../sql/dialects/clickhouse/literals.js';
import type { AppendRows, QueryOptions, QueryResult, SqlParam, Store } from '../store.js';
import { decodeValue, duckdbStyleType } from './decode.js';

export interface ClickHouseStoreOptions {
  /** `http://user:pass@host:8123/db` (ignored when `connection` is given). */
  readonly url?: string;
  readonly database?: string;
  /** A custom `@clickhouse/client` connection (e.g. chdb's in-process engine). */
  readonly connection?: unknown;
  readonly requestTimeoutMs?: number;
}

const LEDGER = 'quarry_insert_batches';

export class ClickHouseStore implements Store {
  readonly dialect = 'clickhouse' as const;
  private ledgerReady = false;

  private constructor(
    private readonly client: ClickHouseClient,
    readonly dataDir: string,
    /** Server version as [major, minor]. */
    readonly version: readonly [number, number],
  ) {}

  static async open(opts: ClickHouseStoreOptions): Promise<ClickHouseStore> {
    const url = opts.url ? new URL(opts.url) : undefined;
    const database = opts.database ?? (url && url.pathname.length > 1 ? decodeURIComponent(url.pathname.slice(1)) : undefined);
    const client = createClient({
      ...(url ? { url: `${url.protocol}//${url.host}`, username: decodeURIComponent(url.username || 'default'), password: decodeURIComponent(url.password) } : {}),
      ...(database ? { database } : {}),
      ...(opts.connection ? { connection: opts.connection } : {}),
      request_timeout: opts.requestTimeoutMs ?? 600_000,
      compression: { request: false, response: false },
    } as Parameters<typeof createClient>[0]);
    const rs = await client.query({ query: 'SELECT version() AS v', format: 'JSONCompact' });
    const v = String(((await rs.json()) as { data: string[][] }).data[0]![0]);
    const [major, minor] = v.split('.').map(Number) as [number, number];
    return new ClickHouseStore(client, opts.url ?? 'chdb', [major, minor]);
  }

  /** True when the server understands the dialect's SQL (ClickHouse ≥ 23.8). */
  get modern(): boolean {
    return this.version[0] > 23 || (this.version[0] === 23 && this.version[1] >= 8);
  }

  private get supportsDedupToken(): boolean {
    return this.version[0] > 22 || (this.version[0] === 22 && this.version[1] >= 2);
  }

  async query(sql: string, opts: QueryOptions = {}): Promise<QueryResult> {
    if (opts.params && opts.params.length > 0) throw new QuarryError('store/query-failed', 'positional parameters are not supported by the ClickHouse store');
    const settings: Record<string, string | number> = this.modern ? { ...clickhouseQuerySettings } : {};
    if (opts.timeoutMs) settings.max_execution_time = Math.max(1, Math.ceil(opts.timeoutMs / 1000));
    if (opts.maxRows !== undefined && this.modern) {
      settings.max_result_rows = opts.maxRows + 1;
      settings.result_overflow_mode = 'break';
    }
    let body: { meta: { name: string; type: string }[]; data: unknown[][] };
    try {
      const rs = await this.client.query({
        query: sql, format: 'JSONCompact', clickhouse_settings: settings as never,
        ...(opts.signal ? { abort_signal: opts.signal } : {}),
      });
      body = (await rs.json()) as typeof body;
    } catch (e) {
      if (opts.signal?.aborted) throw new QuarryError('store/cancelled', 'the query was cancelled');
      const msg = (e as Error).message;
      if (/TIMEOUT_EXCEEDED|Timeout exceeded/i.test(msg)) throw new QuarryError('store/timeout', `the query exceeded ${opts.timeoutMs} ms`);
      throw new QuarryError('store/query-failed', `ClickHouse: ${msg.slice(0, 2000)}`);
    }
    const columns = body.meta.map((m) => ({ name: m.name, sqlType: duckdbStyleType(m.type) }));
    let rows = body.data.map((r) => r.map((v, i) => decodeValue(v, body.meta[i]!.type)));
    let truncated = false;
    if (opts.maxRows !== undefined && rows.length > opts.maxRows) {
      rows = rows.slice(0, opts.maxRows);
      truncated = true;
    }
    return { columns, rows, truncated };
  }

  async exec(sql: string, params?: readonly SqlParam[]): Promise<void> {
    if (params && params.length > 0) throw new QuarryError('store/query-failed', 'positional parameters are not supported by the ClickHouse store');
    try {
      await this.client.command({ query: sql });
    } catch (e) {
      throw new QuarryError('store/query-failed', `ClickHouse: ${(e as Error).message.slice(0, 2000)}`);
    }
  }

  async append(table: string, rows: AppendRows): Promise<number> {
    if (rows.length === 0) return 0;
    await this.client.insert({ table, values: rows.map((r) => jsonRow(r, this.modern)), format: 'JSONEachRow', clickhouse_settings: { date_time_input_format: 'best_effort' } as never });
    return rows.length;
  }

  /**
   * Appends a batch exactly once per `token` (a retried batch with the same token is not duplicated).
   * Returns the rows written (0 when the token was already committed).
   */
  async appendBatch(table: string, rows: AppendRows, token: string): Promise<number> {
    if (rows.length === 0) return 0;
    if (this.supportsDedupToken) {
      await this.client.insert({
        table, values: rows.map((r) => jsonRow(r, this.modern)), format: 'JSONEachRow',
        clickhouse_settings: { insert_deduplicate: 1, insert_deduplication_token: token, insert_distributed_sync: 1, date_time_input_format: 'best_effort' } as never,
      });
      return rows.length;
    }
    // Legacy servers: a ledger of committed tokens (checked before, recorded after the insert).
    await this.ensureLedger();
    const seen = await this.query(`SELECT count() FROM ${quoteIdentifier(LEDGER)} WHERE tbl = ${sqlString(table)} AND token = ${sqlString(token)}`);
    if (BigInt(seen.rows[0]![0] as bigint) > 0n) return 0;
    await this.client.insert({ table, values: rows.map((r) => jsonRow(r, this.modern)), format: 'JSONEachRow', clickhouse_settings: { insert_distributed_sync: 1 } as never });
    await this.client.insert({ table: LEDGER, values: [{ tbl: table, token, rows: rows.length }], format: 'JSONEachRow' });
    return rows.length;
  }

  private async ensureLedger(): Promise<void> {
    if (this.ledgerReady) return;
    await this.exec(`CREATE TABLE IF NOT EXISTS ${quoteIdentifier(LEDGER)} (tbl String, token String, rows UInt64) ENGINE = MergeTree ORDER BY (tbl, token)`);
    this.ledgerReady = true;
  }

  async transaction<T>(fn: (tx: Pick<Store, 'query' | 'exec' | 'append'>) => Promise<T>): Promise<T> {
    return fn(this);
  }

  async listTables(): Promise<string[]> {
    const r = await this.query('SELECT name FROM system.tables WHERE database = currentDatabase() ORDER BY name');
    return r.rows.map((x) => String(x[0]));
  }

  async count(table: string): Promise<bigint> {
    const r = await this.query(`SELECT count() FROM ${quoteIdentifier(table)}`);
    return BigInt(r.rows[0]![0] as bigint);
  }

  async checkpoint(): Promise<void> {}

  async close(): Promise<void> {
    await this.client.close();
  }
}

/** bigint → string (JSONEachRow reads quoted 64-bit integers), Date → ISO text. */
function jsonRow(row: Record<string, unknown>, modern: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    // Legacy servers store DateTime (seconds) and read only `YYYY-MM-DD hh:mm:ss`.
    out[k] = typeof v === 'bigint' ? v.toString() : v instanceof Date ? v.toISOString().slice(0, modern ? 23 : 19).replace('T', ' ') : v;
  }
  return out;
}
