/**
 * Runs one SQL text on one connection: parameters, cancellation (signal / timeout → `interrupt()`),
 * early stop at `maxRows` (streamed chunk by chunk), and conversion of every value through `values-out`.
 */
import { BIGINT, DuckDBTimestampValue, TIMESTAMP, type DuckDBConnection, type DuckDBResult, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import { QuarryError } from '../../core/errors.js';
import type { QueryOptions, QueryResult, ResultColumn, SqlParam } from '../store.js';
import { inlineParams } from './inline-params.js';
import { convertValue, isPrimitiveType, sqlTypeName } from './values-out.js';

export interface BoundParams {
  readonly values?: DuckDBValue[];
  readonly types?: (DuckDBType | undefined)[];
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Parameter values and types: bigint binds as BIGINT (not the driver's HUGEINT default) when it fits, Date as TIMESTAMP. */
export function toDuckParams(params: readonly SqlParam[] | undefined): BoundParams {
  if (!params || params.length === 0) return {};
  const values: DuckDBValue[] = [];
  const types: (DuckDBType | undefined)[] = [];
  for (const p of params) {
    if (p instanceof Date) {
      values.push(new DuckDBTimestampValue(BigInt(p.getTime()) * 1000n));
      types.push(TIMESTAMP);
    } else {
      values.push(p);
      types.push(typeof p === 'bigint' && p >= INT64_MIN && p <= INT64_MAX ? BIGINT : undefined);
    }
  }
  return { values, types };
}

/** Maps a DuckDB error to a QuarryError; `reason` says whether we interrupted the statement ourselves. */
export function storeError(e: unknown, sql: string, reason?: 'cancelled' | 'timeout', timeoutMs?: number): QuarryError {
  if (e instanceof QuarryError) return e;
  const message = e instanceof Error ? e.message : String(e);
  if (reason === 'timeout') {
    return new QuarryError('store/timeout', `the statement ran longer than ${timeoutMs} ms and was stopped`, { cause: e });
  }
  if (reason === 'cancelled' || /INTERRUPT/i.test(message)) {
    return new QuarryError('store/cancelled', 'the statement was cancelled', { cause: e });
  }
  return new QuarryError('store/query-failed', message, {
    cause: e,
    details: { sql: sql.length > 2000 ? sql.slice(0, 2000) + '…' : sql },
  });
}

/** Wires `signal` and `timeoutMs` to `conn.interrupt()`; returns the reason (if any) and a disposer. */
export function watchCancellation(conn: DuckDBConnection, opts: Pick<QueryOptions, 'signal' | 'timeoutMs'>) {
  const state: { reason?: 'cancelled' | 'timeout' } = {};
  const interrupt = (reason: 'cancelled' | 'timeout') => {
    if (state.reason) return;
    state.reason = reason;
    conn.interrupt();
  };
  const onAbort = () => interrupt('cancelled');
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const timer = opts.timeoutMs !== undefined && opts.timeoutMs > 0 ? setTimeout(() => interrupt('timeout'), opts.timeoutMs) : undefined;
  return {
    state,
    dispose() {
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
    },
  };
}

export async function runQuery(conn: DuckDBConnection, sql: string, opts: QueryOptions = {}): Promise<QueryResult> {
  if (opts.signal?.aborted) throw new QuarryError('store/cancelled', 'the statement was cancelled before it started');
  const watch = watchCancellation(conn, opts);
  try {
    const inlined = opts.inlineParams && opts.params && opts.params.length > 0 ? inlineParams(sql, opts.params) : undefined;
    if (inlined !== undefined) sql = inlined;
    const { values, types: paramTypes } = inlined !== undefined ? {} : toDuckParams(opts.params);
    const maxRows = opts.maxRows;
    // A row cap streams so DuckDB stops producing rows we will not read; otherwise materialise in one go.
    const result: DuckDBResult =
      maxRows !== undefined ? await conn.stream(sql, values, paramTypes as DuckDBType[]) : await conn.run(sql, values, paramTypes as DuckDBType[]);
    const types = result.columnTypes();
    const names = result.columnNames();
    const columns: ResultColumn[] = names.map((name, i) => ({ name, sqlType: sqlTypeName(types[i]!) }));
    const primitive = types.map(isPrimitiveType);
    const rows: unknown[][] = [];
    let truncated = false;
    for (;;) {
      if (watch.state.reason) throw storeError(new Error('INTERRUPT'), sql, watch.state.reason, opts.timeoutMs);
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const n = chunk.rowCount;
      let take = n;
      if (maxRows !== undefined && rows.length + n > maxRows) {
        take = maxRows - rows.length;
        truncated = true;
      }
      const start = rows.length;
      for (let r = 0; r < take; r++) rows.push(new Array(columns.length));
      for (let c = 0; c < columns.length; c++) {
        const vec = chunk.getColumnVector(c);
        const prim = primitive[c];
        for (let r = 0; r < take; r++) {
          const v = vec.getItem(r);
          rows[start + r]![c] = prim ? v : convertValue(v);
        }
      }
      if (truncated) break;
      if (maxRows !== undefined && rows.length === maxRows) {
        // Exactly at the cap: one more fetch tells whether anything was cut.
        const more = await result.fetchChunk();
        truncated = !!more && more.rowCount > 0;
        break;
      }
    }
    return truncated ? { columns, rows, truncated } : { columns, rows };
  } catch (e) {
    throw storeError(e, sql, watch.state.reason, opts.timeoutMs);
  } finally {
    watch.dispose();
  }
}
