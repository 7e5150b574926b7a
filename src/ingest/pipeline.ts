/**
 * The ingest pipeline: reader → validate/coerce against the catalog → batch → commit (one transaction per
 * batch, rows + quarantine + batch record) → acknowledge. Streaming: memory holds one batch being built and
 * one being committed, whatever the input size.
 *
 * Batch ids: a client-supplied id (one batch: the id itself; several: `<id>#<n>`), otherwise a content hash
 * `sha256:` over format, target, the batch's starting byte offset and its records' raw text. The same file
 * (or the same request body) ingested again maps to the same ids, so its batches are skipped as duplicates;
 * the offset keeps two identical runs of lines inside one file from colliding.
 */
import { createHash } from 'node:crypto';
import { processCatalog, type Catalog } from '../catalog/catalog.js';
import { QuarryError } from '../core/errors.js';
import type { Store } from '../store/store.js';
import { commitBatch, recordIngestError } from './commit.js';
import { notifyBatchCommitted } from './listeners.js';
import { maybeGunzip, type ByteCounter, type ByteSource } from './input.js';
import { readCsv } from './readers/csv.js';
import { readJsonArray } from './readers/json-array.js';
import { readM365d } from './readers/m365d.js';
import { readNdjson } from './readers/ndjson.js';
import { readZeek } from './readers/zeek.js';
import type { IngestFormat, IngestProgress, IngestSummary, QuarantineRow, SourceRecord, TableCounts } from './types.js';
import { tableValidator, type RowValidator, type UnknownColumnPolicy } from './validate.js';

export interface IngestOptions {
  /** Who sent it, for quarantine and the connectors status: `cli`, `http`, `m365d`, `watch:<dir>`, … */
  readonly source: string;
  readonly format: IngestFormat;
  /** Target table; required except for formats that route records (`m365d`, `zeek`). */
  readonly table?: string;
  /** Zeek log name (`dns`, `conn`, …) when the input does not carry `#path` / `_path`. */
  readonly zeekPath?: string;
  /** Records per batch (default 10,000); `Infinity` makes the whole input one batch (HTTP requests). */
  readonly batchRows?: number;
  readonly batchId?: string;
  readonly tenantId?: string;
  readonly unknownColumns?: UnknownColumnPolicy;
  readonly catalog?: Catalog;
  readonly now?: () => Date;
  readonly onProgress?: (p: IngestProgress) => void;
}

export const DEFAULT_BATCH_ROWS = 10_000;
/** Longest raw text kept per quarantined record. */
const MAX_RAW = 1 << 20;

/** Sentinel Logs Ingestion stream names: `Custom-<Table>` and `Microsoft-<Table>` name the table. */
export function tableOfStream(name: string): string {
  return name.replace(/^(?:Custom|Microsoft)-/, '');
}

function recordsOf(format: IngestFormat, bytes: AsyncIterable<Buffer>, opts: IngestOptions): AsyncIterable<SourceRecord> {
  switch (format) {
    case 'ndjson':
      return readNdjson(bytes);
    case 'json':
    case 'sentinel':
      return readJsonArray(bytes);
    case 'csv':
      return readCsv(bytes);
    case 'm365d':
      return readM365d(bytes);
    case 'zeek':
      return readZeek(bytes, opts.zeekPath ? { path: opts.zeekPath } : {});
  }
}

interface Batch {
  index: number;
  records: number;
  hash: ReturnType<typeof createHash>;
  rows: Map<string, Record<string, unknown>[]>;
  rejects: QuarantineRow[];
  counts: Map<string, TableCounts & { maxTime: bigint | null; minTime: bigint | null }>;
}

function emptySummary(): IngestSummary {
  return { records: 0, accepted: 0, rejected: 0, duplicate: 0, batches: 0, duplicateBatches: 0, tables: {}, batchIds: [], sampleReasons: [], ms: 0 };
}

export async function ingest(store: Store, source: ByteSource, opts: IngestOptions): Promise<IngestSummary> {
  const t0 = performance.now();
  const catalog = opts.catalog ?? processCatalog();
  const now = opts.now ?? (() => new Date());
  const routed = opts.format === 'm365d' || opts.format === 'zeek';
  const defaultTable = opts.table !== undefined ? catalog.getTable(opts.format === 'sentinel' ? tableOfStream(opts.table) : opts.table).name : undefined;
  if (!routed && defaultTable === undefined) {
    throw new QuarryError('core/bad-argument', `format '${opts.format}' needs a target table`, { hints: ['pass --table <Table> (or POST to /api/ingest/<Table>)'] });
  }
  const batchRows = opts.batchRows ?? DEFAULT_BATCH_ROWS;
  const validators = new Map<string, RowValidator | null>();
  const validatorFor = (table: string): RowValidator | null => {
    let v = validators.get(table);
    if (v === undefined) {
      const def = catalog.tryGetTable(table);
      v = def ? tableValidator(def, { unknownColumns: opts.unknownColumns, tenantId: opts.tenantId }) : null;
      validators.set(table, v);
    }
    return v;
  };

  const summary = emptySummary();
  const counter: ByteCounter = { bytes: 0 };
  const seed = `${opts.format}\n${defaultTable ?? ''}\n`;
  let batch: Batch | null = null;
  let index = 0;
  let inflight: Promise<void> | null = null;
  const multi = Number.isFinite(batchRows);

  const newBatch = (offset: number): Batch => {
    const hash = createHash('sha256').update(seed).update(`${offset}\n`);
    return { index: index++, records: 0, hash, rows: new Map(), rejects: [], counts: new Map() };
  };

  const countsFor = (b: Batch, table: string) => {
    let c = b.counts.get(table);
    if (!c) b.counts.set(table, (c = { accepted: 0, rejected: 0, maxTime: null, minTime: null }));
    return c;
  };

  const commit = async (b: Batch): Promise<void> => {
    const digest = b.hash.digest('hex');
    const batchId = opts.batchId === undefined ? `sha256:${digest}` : multi ? `${opts.batchId}#${b.index}` : opts.batchId;
    const at = now();
    for (const r of b.rejects) (r as { batch_id: string }).batch_id = batchId;
    const outcome = await commitBatch(store, { batchId, source: opts.source, format: opts.format, rows: b.rows, rejects: b.rejects, counts: b.counts, now: at });
    summary.batches++;
    summary.batchIds.push(batchId);
    if (outcome === 'duplicate') {
      summary.duplicateBatches++;
      summary.duplicate += b.records;
    } else {
      await notifyBatchCommitted(store, b.rows);
      for (const [table, c] of b.counts) {
        const t = (summary.tables[table] ??= { accepted: 0, rejected: 0 });
        t.accepted += c.accepted;
        t.rejected += c.rejected;
        summary.accepted += c.accepted;
      }
      summary.rejected += b.rejects.length;
    }
    opts.onProgress?.({ records: summary.records, accepted: summary.accepted, rejected: summary.rejected, duplicate: summary.duplicate, bytes: counter.bytes, ms: performance.now() - t0 });
  };

  // Overlap: build the next batch while the previous one commits; at most one commit in flight.
  const flush = async (b: Batch): Promise<void> => {
    if (inflight) await inflight;
    const p = commit(b);
    p.catch(() => undefined);
    inflight = p;
  };

  const reject = (b: Batch, rec: SourceRecord, table: string | undefined, reason: string) => {
    b.rejects.push({
      batch_id: '',
      source: opts.source,
      format: opts.format,
      table_name: table ?? null,
      line: rec.line,
      byte_offset: rec.offset,
      reason,
      raw: rec.raw.length > MAX_RAW ? rec.raw.slice(0, MAX_RAW) : rec.raw,
      quarantined_at: now(),
    });
    if (table) countsFor(b, table).rejected++;
    if (summary.sampleReasons.length < 5) summary.sampleReasons.push(`line ${rec.line}: ${reason}`);
  };

  try {
    for await (const rec of recordsOf(opts.format, maybeGunzip(source, counter), opts)) {
      if (batch === null) batch = newBatch(rec.offset);
      summary.records++;
      batch.records++;
      batch.hash.update(rec.raw).update('\n');
      const table = rec.table ?? defaultTable;
      if (rec.error !== undefined || rec.value === undefined) {
        reject(batch, rec, table, rec.error ?? 'unreadable record');
      } else if (table === undefined) {
        reject(batch, rec, undefined, 'no target table for this record');
      } else {
        const validate = validatorFor(table);
        if (validate === null) {
          reject(batch, rec, table, `unknown table '${table}'`);
        } else {
          const v = validate(rec.value);
          if ('reason' in v) reject(batch, rec, table, v.reason);
          else {
            let rows = batch.rows.get(table);
            if (!rows) batch.rows.set(table, (rows = []));
            rows.push(v.row);
            const c = countsFor(batch, table);
            c.accepted++;
            if (v.time !== null) {
              if (c.maxTime === null || v.time > c.maxTime) c.maxTime = v.time;
              if (c.minTime === null || v.time < c.minTime) c.minTime = v.time;
            }
          }
        }
      }
      if (batch.records >= batchRows) {
        const full = batch;
        batch = null;
        await flush(full);
      }
    }
    if (batch !== null) await flush(batch);
    if (inflight) await inflight;
  } catch (e) {
    if (inflight) await (inflight as Promise<void>).catch(() => undefined);
    const err = e instanceof QuarryError ? e : new QuarryError('ingest/bad-format', `cannot read the ${opts.format} input: ${(e as Error).message}`, { cause: e });
    await recordIngestError(store, opts.source, defaultTable ?? '*', err.message, now());
    throw err;
  }
  summary.ms = performance.now() - t0;
  return summary;
}
