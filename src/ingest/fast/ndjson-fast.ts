/**
 * The DuckDB-native path for NDJSON: same guarantees as `pipeline.ts`, with the per-value work done by DuckDB.
 *
 * JS still splits the input into lines (exactly as `readLines`/`readNdjson` do: LF or CRLF, blank lines skipped,
 * 1-based line numbers, byte offsets in the decompressed input) and hashes each batch's records, so batch ids
 * are the JS path's own: a file or body is the same batches whichever path takes it, and a retry through either
 * path is a no-op. Then, per group of whole batches and in ONE transaction:
 *
 * 1. batches already recorded in `_ingest_batches` are skipped (duplicates);
 * 2. the other batches' lines are staged (`b`, `k`, `raw`) in a table that lives only inside the transaction;
 * 3. DuckDB parses every line once, classifies it (`sql-columns.ts`) and converts the plain ones to the column
 *    types; those are inserted with `INSERT … SELECT`;
 * 4. every other line (bad JSON, unknown keys, odd value forms, wrong types, missing time) goes through the JS
 *    reader and validator — the same functions as the JS path — and is appended or quarantined with the JS
 *    path's reason, line, offset and raw text;
 * 5. one `_ingest_batches` row per batch (+ `_ingest_batch_tables`), then COMMIT.
 *
 * A group holds several batches (each batch still commits atomically: a group is all or nothing), which spares
 * per-transaction overhead. After the commit, commit listeners get each batch's committed rows (read back from
 * the staging result inside the transaction, only when a listener is registered), then the run reports.
 */
import { createHash } from 'node:crypto';
import { processCatalog } from '../../catalog/catalog.js';
import type { TableDef } from '../../catalog/types.js';
import { QuarryError } from '../../core/errors.js';
import { quoteIdentifier as q } from '../../sql/dialects/duckdb/literals.js';
import type { Store } from '../../store/store.js';
import { recordIngestError } from '../commit.js';
import { maybeGunzip, readLines, type ByteCounter, type ByteSource } from '../input.js';
import { hasCommitListeners, notifyBatchCommitted } from '../listeners.js';
import { DEFAULT_BATCH_ROWS, type IngestOptions } from '../pipeline.js';
import { jsonRecord } from '../readers/ndjson.js';
import type { IngestSummary, QuarantineRow } from '../types.js';
import { DEFAULT_TENANT_ID, tableValidator, type RowValidator } from '../validate.js';
import { tablePlan, type TablePlan } from './sql-columns.js';

/** Records per transaction (rounded up to whole batches). Bounds memory: ~100 MB of 2 KB events. */
export const FAST_GROUP_ROWS = 50_000;
const MAX_RAW = 1 << 20;
const STAGE = '_ingest_fast_stage';
const PARSED = '_ingest_fast_parsed';

interface Rec {
  readonly text: string;
  readonly line: number;
  readonly offset: number;
}

interface FastBatch {
  readonly index: number;
  readonly records: Rec[];
  readonly hash: ReturnType<typeof createHash>;
  id?: string;
}

function emptySummary(): IngestSummary {
  return { records: 0, accepted: 0, rejected: 0, duplicate: 0, batches: 0, duplicateBatches: 0, tables: {}, batchIds: [], sampleReasons: [], ms: 0 };
}

/** Reads a staged-result row (array) back into the object form the JS validator produces. */
function rowObject(names: readonly string[], jsonCols: readonly boolean[], values: readonly unknown[]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (let i = 0; i < names.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    o[names[i]!] = jsonCols[i] ? JSON.parse(v as string) : v;
  }
  return o;
}

interface BatchOutcome {
  accepted: number;
  rejected: number;
  minTime: bigint | null;
  maxTime: bigint | null;
  rows: Record<string, unknown>[] | null;
}

export async function ingestNdjsonFast(store: Store, source: ByteSource, opts: IngestOptions): Promise<IngestSummary> {
  const t0 = performance.now();
  const catalog = opts.catalog ?? processCatalog();
  const now = opts.now ?? (() => new Date());
  if (opts.format !== 'ndjson' || opts.table === undefined) {
    throw new QuarryError('core/bad-argument', 'the DuckDB-native path reads NDJSON into one named table');
  }
  const def: TableDef = catalog.getTable(opts.table);
  const table = def.name;
  const batchRows = opts.batchRows ?? DEFAULT_BATCH_ROWS;
  const multi = Number.isFinite(batchRows);
  const validate: RowValidator = tableValidator(def, { unknownColumns: opts.unknownColumns, tenantId: opts.tenantId });
  const plan: TablePlan = tablePlan(def, { tenantId: opts.tenantId, defaultTenant: DEFAULT_TENANT_ID });
  const names = plan.columns.map((c) => c.column.name);
  const jsonCols = plan.columns.map((c) => c.sqlType === 'JSON');
  const summary = emptySummary();
  const counter: ByteCounter = { bytes: 0 };
  const seed = `${opts.format}\n${table}\n`;
  let index = 0;

  const reject = (rejects: QuarantineRow[], rec: Rec, reason: string) => {
    rejects.push({
      batch_id: '',
      source: opts.source,
      format: opts.format,
      table_name: table,
      line: rec.line,
      byte_offset: rec.offset,
      reason,
      raw: rec.text.length > MAX_RAW ? rec.text.slice(0, MAX_RAW) : rec.text,
      quarantined_at: now(),
    });
    if (summary.sampleReasons.length < 5) summary.sampleReasons.push(`line ${rec.line}: ${reason}`);
  };

  const commitGroup = async (group: FastBatch[]): Promise<void> => {
    for (const b of group) b.id = opts.batchId === undefined ? `sha256:${b.hash.digest('hex')}` : multi ? `${opts.batchId}#${b.index}` : opts.batchId;
    const wantRows = hasCommitListeners(store);
    const at = now();
    const outcome = await store.transaction(async (tx) => {
      const ids = group.map((b) => b.id!);
      const seen = await tx.query(`SELECT batch_id FROM _ingest_batches WHERE batch_id IN (${ids.map((_, i) => `$${i + 1}`).join(', ')})`, { params: ids });
      const dup = new Set(seen.rows.map((r) => String(r[0])));
      const live = group.filter((b) => !dup.has(b.id!));
      const out = new Map<FastBatch, BatchOutcome>();
      if (live.length === 0) return { dup, out };
      await tx.exec(`DROP TABLE IF EXISTS ${STAGE}`);
      await tx.exec(`CREATE TABLE ${STAGE} (b INTEGER, k INTEGER, raw VARCHAR)`);
      const staged: Record<string, unknown>[] = [];
      live.forEach((b, bi) => b.records.forEach((r, k) => staged.push({ b: bi, k, raw: r.text })));
      await tx.append(STAGE, staged);
      staged.length = 0;
      await tx.exec(`DROP TABLE IF EXISTS temp.${PARSED}`);
      await tx.exec(`CREATE TEMP TABLE ${PARSED} AS ${plan.parseSelect}`);
      await tx.exec(`DROP TABLE ${STAGE}`);
      const colList = names.map(q).join(', ');
      await tx.exec(`INSERT INTO ${q(table)} (${colList}) SELECT ${colList} FROM temp.${PARSED} WHERE fast ORDER BY b, k`);
      for (const b of live) out.set(b, { accepted: 0, rejected: 0, minTime: null, maxTime: null, rows: wantRows ? [] : null });
      const time = plan.timeColumn !== undefined ? q(plan.timeColumn) : 'NULL::TIMESTAMP';
      const stats = await tx.query(`SELECT b, count(*), epoch_us(min(${time})), epoch_us(max(${time})) FROM temp.${PARSED} WHERE fast GROUP BY b`);
      for (const [bi, n, lo, hi] of stats.rows) {
        const o = out.get(live[Number(bi)]!)!;
        o.accepted = Number(n);
        o.minTime = (lo as bigint | null) ?? null;
        o.maxTime = (hi as bigint | null) ?? null;
      }
      if (wantRows) {
        const r = await tx.query(`SELECT b, ${colList} FROM temp.${PARSED} WHERE fast ORDER BY b, k`);
        for (const row of r.rows) out.get(live[Number(row[0])]!)!.rows!.push(rowObject(names, jsonCols, row.slice(1)));
      }
      // Lines SQL did not take: the JS reader and validator decide, with their own reasons.
      const slow = await tx.query(`SELECT b, k FROM temp.${PARSED} WHERE NOT fast ORDER BY b, k`);
      await tx.exec(`DROP TABLE temp.${PARSED}`);
      const slowRows: Record<string, unknown>[] = [];
      const rejects: QuarantineRow[] = [];
      for (const [bi, k] of slow.rows) {
        const b = live[Number(bi)]!;
        const o = out.get(b)!;
        const rec = b.records[Number(k)]!;
        const sr = jsonRecord(rec.text, rec.line, rec.offset);
        const v = sr.value === undefined ? { reason: sr.error ?? 'unreadable record' } : validate(sr.value);
        if ('reason' in v) {
          const before = rejects.length;
          reject(rejects, rec, v.reason);
          (rejects[before] as { batch_id: string }).batch_id = b.id!;
          o.rejected++;
        } else {
          slowRows.push(v.row);
          o.rows?.push(v.row);
          o.accepted++;
          if (v.time !== null) {
            if (o.maxTime === null || v.time > o.maxTime) o.maxTime = v.time;
            if (o.minTime === null || v.time < o.minTime) o.minTime = v.time;
          }
        }
      }
      if (slowRows.length > 0) await tx.append(table, slowRows);
      if (rejects.length > 0) await tx.append('_ingest_quarantine', rejects as unknown as Record<string, unknown>[]);
      const perTable: Record<string, unknown>[] = [];
      const batchRowsOut: Record<string, unknown>[] = [];
      for (const b of live) {
        const o = out.get(b)!;
        perTable.push({ batch_id: b.id, source: opts.source, table_name: table, accepted: o.accepted, rejected: o.rejected, max_event_time: o.maxTime, committed_at: at });
        batchRowsOut.push({
          batch_id: b.id,
          source: opts.source,
          format: opts.format,
          tables: table,
          accepted: o.accepted,
          rejected: o.rejected,
          min_event_time: o.minTime,
          max_event_time: o.maxTime,
          committed_at: at,
        });
      }
      await tx.append('_ingest_batch_tables', perTable);
      await tx.append('_ingest_batches', batchRowsOut);
      return { dup, out };
    });
    // Committed: notify, then count (in batch order).
    for (const b of group) {
      summary.batches++;
      summary.batchIds.push(b.id!);
      const o = outcome.out.get(b);
      if (!o) {
        summary.duplicateBatches++;
        summary.duplicate += b.records.length;
        continue;
      }
      if (o.rows && o.rows.length > 0) await notifyBatchCommitted(store, new Map([[table, o.rows]]));
      const t = (summary.tables[table] ??= { accepted: 0, rejected: 0 });
      t.accepted += o.accepted;
      t.rejected += o.rejected;
      summary.accepted += o.accepted;
      summary.rejected += o.rejected;
    }
    opts.onProgress?.({ records: summary.records, accepted: summary.accepted, rejected: summary.rejected, duplicate: summary.duplicate, bytes: counter.bytes, ms: performance.now() - t0 });
  };

  const groupRows = multi ? Math.max(batchRows, Math.ceil(FAST_GROUP_ROWS / batchRows) * batchRows) : Infinity;
  let group: FastBatch[] = [];
  let groupCount = 0;
  let batch: FastBatch | null = null;
  let inflight: Promise<void> | null = null;
  // Overlap: read and hash the next group while the previous one commits; at most one commit in flight.
  const flush = async (g: FastBatch[]) => {
    if (inflight) await inflight;
    const p = commitGroup(g);
    p.catch(() => undefined);
    inflight = p;
  };
  try {
    for await (const l of readLines(maybeGunzip(source, counter))) {
      if (l.text.charCodeAt(0) !== 123 /* { */ && l.text.trim() === '') continue;
      if (batch === null) {
        batch = { index: index++, records: [], hash: createHash('sha256').update(seed).update(`${l.offset}\n`) };
        group.push(batch);
      }
      summary.records++;
      batch.records.push({ text: l.text, line: l.line, offset: l.offset });
      batch.hash.update(l.text).update('\n');
      groupCount++;
      if (batch.records.length >= batchRows) batch = null;
      if (batch === null && groupCount >= groupRows) {
        const g = group;
        group = [];
        groupCount = 0;
        await flush(g);
      }
    }
    if (group.length > 0) await flush(group);
    if (inflight) await inflight;
  } catch (e) {
    if (inflight) await (inflight as Promise<void>).catch(() => undefined);
    const err = e instanceof QuarryError ? e : new QuarryError('ingest/bad-format', `cannot read the ${opts.format} input: ${(e as Error).message}`, { cause: e });
    await recordIngestError(store, opts.source, table, err.message, now());
    throw err;
  }
  summary.ms = performance.now() - t0;
  return summary;
}
