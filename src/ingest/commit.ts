/**
 * Commits one batch atomically: its rows (possibly for several tables), its quarantined records and its
 * batch record go in one transaction. The batch record is the idempotency key: when a batch with the same
 * id is already there, nothing is written and the batch is reported as a duplicate. Writes are serialised
 * by the store, so the check-then-insert cannot race.
 */
import type { Store } from '../store/store.js';
import type { QuarantineRow, TableCounts } from './types.js';

export interface BatchToCommit {
  readonly batchId: string;
  readonly source: string;
  readonly format: string;
  readonly rows: ReadonlyMap<string, Record<string, unknown>[]>;
  readonly rejects: readonly QuarantineRow[];
  readonly counts: ReadonlyMap<string, TableCounts & { maxTime: bigint | null; minTime: bigint | null }>;
  readonly now: Date;
}

export type CommitOutcome = 'committed' | 'duplicate';

export async function isBatchCommitted(store: Pick<Store, 'query'>, batchId: string): Promise<boolean> {
  const r = await store.query('SELECT 1 FROM _ingest_batches WHERE batch_id = $1', { params: [batchId] });
  return r.rows.length > 0;
}

export async function commitBatch(store: Store, b: BatchToCommit): Promise<CommitOutcome> {
  return store.transaction(async (tx) => {
    if (await isBatchCommitted(tx, b.batchId)) return 'duplicate';
    let accepted = 0;
    let minTime: bigint | null = null;
    let maxTime: bigint | null = null;
    const perTable: Record<string, unknown>[] = [];
    for (const [table, rows] of b.rows) if (rows.length > 0) await tx.append(table, rows);
    if (b.rejects.length > 0) await tx.append('_ingest_quarantine', b.rejects as unknown as Record<string, unknown>[]);
    for (const [table, c] of b.counts) {
      accepted += c.accepted;
      if (c.minTime !== null && (minTime === null || c.minTime < minTime)) minTime = c.minTime;
      if (c.maxTime !== null && (maxTime === null || c.maxTime > maxTime)) maxTime = c.maxTime;
      perTable.push({
        batch_id: b.batchId,
        source: b.source,
        table_name: table,
        accepted: c.accepted,
        rejected: c.rejected,
        max_event_time: c.maxTime,
        committed_at: b.now,
      });
    }
    if (perTable.length > 0) await tx.append('_ingest_batch_tables', perTable);
    await tx.append('_ingest_batches', [
      {
        batch_id: b.batchId,
        source: b.source,
        format: b.format,
        tables: [...b.counts.keys()].join(','),
        accepted,
        rejected: b.rejects.length,
        min_event_time: minTime,
        max_event_time: maxTime,
        committed_at: b.now,
      },
    ]);
    return 'committed';
  });
}

/** Remembers the last failure of a source and table for the connectors status (best effort). */
export async function recordIngestError(store: Store, source: string, table: string, message: string, now: Date): Promise<void> {
  try {
    await store.exec(
      `INSERT INTO _ingest_errors (source, table_name, message, failed_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (source, table_name) DO UPDATE SET message = excluded.message, failed_at = excluded.failed_at`,
      [source, table, message.slice(0, 2000), now],
    );
  } catch {
    // the status is informative; never let it hide the original error
  }
}
