/**
 * The "data connectors" status: per source and table, the last event time seen, rows accepted today (UTC,
 * by commit time), rows rejected (today and in total) and the last error. Read from the batch records
 * written with every commit, so it is exactly as current as the data.
 */
import { formatKustoDatetime } from '../core/time.js';
import type { Store } from '../store/store.js';

export interface ConnectorStatus {
  readonly source: string;
  readonly table: string;
  readonly lastEventTime: string | null;
  readonly lastCommitTime: string | null;
  readonly rowsToday: number;
  readonly rowsTotal: number;
  readonly rejectsToday: number;
  readonly rejectsTotal: number;
  readonly lastError: string | null;
  readonly lastErrorTime: string | null;
}

const iso = (v: unknown): string | null => (typeof v === 'bigint' ? formatKustoDatetime(v) : null);

export async function connectorStatus(store: Pick<Store, 'query'>, now: Date = new Date()): Promise<ConnectorStatus[]> {
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const r = await store.query(
    `WITH b AS (
       SELECT source, table_name,
              max(max_event_time) AS last_event, max(committed_at) AS last_commit,
              sum(accepted) FILTER (WHERE committed_at >= $1) AS rows_today, sum(accepted) AS rows_total,
              sum(rejected) FILTER (WHERE committed_at >= $1) AS rejects_today, sum(rejected) AS rejects_total
       FROM _ingest_batch_tables GROUP BY source, table_name)
     SELECT coalesce(b.source, e.source), coalesce(b.table_name, e.table_name), b.last_event, b.last_commit,
            b.rows_today, b.rows_total, b.rejects_today, b.rejects_total, e.message, e.failed_at
     FROM b FULL OUTER JOIN _ingest_errors e ON b.source = e.source AND b.table_name = e.table_name
     ORDER BY 1, 2`,
    { params: [today] },
  );
  return r.rows.map((row) => ({
    source: String(row[0]),
    table: String(row[1]),
    lastEventTime: iso(row[2]),
    lastCommitTime: iso(row[3]),
    rowsToday: Number(row[4] ?? 0),
    rowsTotal: Number(row[5] ?? 0),
    rejectsToday: Number(row[6] ?? 0),
    rejectsTotal: Number(row[7] ?? 0),
    lastError: row[8] === null || row[8] === undefined ? null : String(row[8]),
    lastErrorTime: iso(row[9]),
  }));
}
