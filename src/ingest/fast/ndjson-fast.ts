/**
 * The DuckDB-native path for NDJSON: same guarantees as `pipeline.ts`, with the per-value work done by DuckDB.
 *
 * JS splits the input into lines (`spool.ts`: exactly as `readLines`/`readNdjson` do), hashes each batch as
 * the JS path does (so batch ids are the JS path's own: a file or body is the same batches whichever path
 * takes it, and a retry through either path is a no-op) and spools groups of whole batches to files under the
 * data directory, never decoding the lines. Then, per group and in ONE transaction:
 *
 * 1. batches already recorded in `_ingest_batches` are skipped (duplicates);
 * 2. DuckDB reads the group's file (`read_csv`: each spooled line is `k U+0001 record`, so the scan runs in
 *    parallel and several groups' files read as one), parses every line once and classifies it
 *    (`sql-columns.ts`) into a temp table (dropped after the commit);
 * 3. the plain lines are inserted with `INSERT … SELECT` straight into the target table;
 * 4. every other line (bad JSON, unknown keys, odd value forms, wrong types, missing time) goes through the JS
 *    reader and validator — the same functions as the JS path — and is appended or quarantined with the JS
 *    path's reason, line, offset and raw text;
 * 5. one `_ingest_batches` row per batch (+ `_ingest_batch_tables`), then COMMIT.
 *
 * A group holds several batches (each batch still commits atomically: a group is all or nothing), which spares
 * per-transaction overhead. Steps 1-2 run before the transaction, under the write lock, in temp tables that
 * DuckDB builds several times faster outside an open transaction (`Store.exclusive`); steps 3-5 are the atomic
 * part.
 *
 * Concurrent HTTP bodies (`ingestNdjsonFastShared`) are committed together: bodies for the same table and
 * options that wait while a commit runs form the next commit — one stage, one parse, one transaction — and each
 * keeps its own batch id, counts, quarantine rows and acknowledgement. A body whose batch id repeats one already
 * recorded, or an earlier body of the same commit, is a duplicate. If a combined commit fails, its bodies are
 * committed one by one, so one bad body cannot fail the others. The spool file is scratch: it is removed after the commit, and a crash before the
 * commit acknowledges nothing (the sender retries), so it is not fsynced. After the commit, commit listeners
 * get each batch's committed rows (read back inside the transaction, only when a listener is registered).
 */
import os from 'node:os';
import path from 'node:path';
import { processCatalog } from '../../catalog/catalog.js';
import type { TableDef } from '../../catalog/types.js';
import { QuarryError } from '../../core/errors.js';
import { quoteIdentifier as q, sqlString as lit } from '../../sql/dialects/duckdb/literals.js';
import type { Store, WriterSession } from '../../store/store.js';

type Reader = Pick<WriterSession, 'query' | 'exec' | 'append'>;
import { recordIngestError } from '../commit.js';
import { maybeGunzip, type ByteCounter, type ByteSource } from '../input.js';
import { hasCommitListeners, notifyBatchCommitted } from '../listeners.js';
import { DEFAULT_BATCH_ROWS, type IngestOptions } from '../pipeline.js';
import { jsonRecord } from '../readers/ndjson.js';
import type { IngestFormat, IngestSummary, QuarantineRow } from '../types.js';
import { DEFAULT_TENANT_ID, tableValidator, type RowValidator } from '../validate.js';
import { removeSpool, spoolGroups, type SpoolBatch, type SpoolGroup } from './spool.js';
import { tablePlan, type TablePlan } from './sql-columns.js';

/**
 * Records per transaction (rounded up to whole batches). Bounds memory: ~500 MB of 2 KB events spooled and
 * parsed. Groups of two DuckDB row groups and more (2 × 122,880 rows) let DuckDB write the rows straight to the
 * database file at commit instead of through the WAL (which then triggers a checkpoint per commit): measured
 * the larger part of the time on 2M-row files. `QUARRY_INGEST_GROUP_ROWS` overrides it.
 */
export const FAST_GROUP_ROWS = groupRowsFromEnv(process.env.QUARRY_INGEST_GROUP_ROWS, 250_000);

function groupRowsFromEnv(v: string | undefined, dflt: number): number {
  const n = Number(v);
  return v !== undefined && Number.isInteger(n) && n > 0 ? n : dflt;
}
const MAX_RAW = 1 << 20;
/** `QUARRY_INGEST_TRACE=1`: per-group phase timings on stderr (for tuning; off by default). */
const TRACE = process.env.QUARRY_INGEST_TRACE === '1';
function tracer(label: string): (phase: string) => void {
  if (!TRACE) return () => undefined;
  let t = performance.now();
  return (phase) => {
    const n = performance.now();
    process.stderr.write(`[ingest-trace] ${label} ${phase} ${(n - t).toFixed(0)} ms\n`);
    t = n;
  };
}
const PARSED = '_ingest_fast_parsed';

/** Where groups are spooled: `<dataDir>/tmp/ingest` (same disk as the database), else the OS temp dir. */
export function spoolDir(store: Store): string {
  const d = store.dataDir;
  return d && d !== ':memory:' ? path.join(d, 'tmp', 'ingest') : path.join(os.tmpdir(), 'quarry-ingest-spool');
}

/**
 * `read_csv` over spool files (`k U+0001 record` per line, see `spool.ts`): the record index, the record text
 * (no quoting; U+0001 never occurs in a spooled record) and the file it came from.
 */
function spooledLines(files: readonly string[]): string {
  return `read_csv([${files.map(lit).join(', ')}], columns = {'k': 'BIGINT', 'line': 'VARCHAR'}, delim = ${lit('\u0001')}, quote = '', escape = '',
    header = false, auto_detect = false, new_line = '\\n', max_line_size = ${(1 << 20) + 40}, filename = true)`;
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
  /** Rows the JS validator accepted (lines SQL did not take). */
  slow: Record<string, unknown>[];
  /** The committed rows for commit listeners (read back only when one wants them). */
  rows: Record<string, unknown>[] | null;
}

/** One table's SQL plan and validator (shared by every part of a commit). */
interface Shape {
  readonly table: string;
  readonly plan: TablePlan;
  readonly names: readonly string[];
  readonly jsonCols: readonly boolean[];
  readonly colList: string;
  readonly validate: RowValidator;
  /** Records per batch (Infinity: the whole part is one batch). */
  readonly batchRows: number;
}

function shapeOf(opts: IngestOptions): Shape {
  const catalog = opts.catalog ?? processCatalog();
  if (opts.format !== 'ndjson' || opts.table === undefined) {
    throw new QuarryError('core/bad-argument', 'the DuckDB-native path reads NDJSON into one named table');
  }
  const def: TableDef = catalog.getTable(opts.table);
  const plan: TablePlan = tablePlan(def, { tenantId: opts.tenantId, defaultTenant: DEFAULT_TENANT_ID });
  const names = plan.columns.map((c) => c.column.name);
  return {
    table: def.name,
    plan,
    names,
    jsonCols: plan.columns.map((c) => c.sqlType === 'JSON'),
    colList: names.map(q).join(', '),
    validate: tableValidator(def, { unknownColumns: opts.unknownColumns, tenantId: opts.tenantId }),
    batchRows: opts.batchRows ?? DEFAULT_BATCH_ROWS,
  };
}

/** A spooled group and the batch ids of its batches, from one input. */
interface Part {
  readonly group: SpoolGroup;
  readonly ids: readonly string[];
  readonly source: string;
  readonly format: IngestFormat;
}

interface PartOutcome {
  /** Per batch of the part: its outcome, or undefined for a duplicate. */
  readonly batches: (BatchOutcome | undefined)[];
  readonly sampleReasons: string[];
}

/** `rk` of record k of part p: p · 2^40 + k (parts < 2^12, records < 2^40: exact as a JS number). */
const PART_SHIFT = 2 ** 40;
/** Batch key in SQL and JS: part · 2^20 + batch within the part. */
const BATCH_SHIFT = 2 ** 20;
const MAX_PARTS = 1024;

/**
 * Commits the live batches of `parts` in one transaction (see the module comment); returns each part's
 * outcome. Stage and parse run before the transaction when the store offers `exclusive`.
 */
async function commitParts(store: Store, shape: Shape, parts: readonly Part[], now: () => Date): Promise<PartOutcome[]> {
  const { table, plan, names, jsonCols, colList, validate, batchRows } = shape;
  const multi = Number.isFinite(batchRows);
  const at = now();
  const results: PartOutcome[] = parts.map((p) => ({ batches: p.group.batches.map(() => undefined), sampleReasons: [] }));
  const allIds = [...new Set(parts.flatMap((p) => p.ids))];
  const lap = tracer(`commit of ${parts.length} part(s), ${parts.reduce((n, p) => n + p.group.count, 0)} records`);

  /** Live batches as [part, batch] (not recorded yet, and the first of this commit with that id). */
  const liveOf = async (r: Reader): Promise<[number, number][]> => {
    const seen = await r.query(`SELECT batch_id FROM _ingest_batches WHERE batch_id IN (${allIds.map((_, i) => `$${i + 1}`).join(', ')})`, { params: allIds });
    const taken = new Set(seen.rows.map((row) => String(row[0])));
    const live: [number, number][] = [];
    parts.forEach((p, pi) =>
      p.ids.forEach((id, bi) => {
        if (taken.has(id)) return;
        taken.add(id);
        live.push([pi, bi]);
      }),
    );
    return live;
  };

  // Every spooled line carries its record index k; the parse reads the live parts' files in one parallel scan
  // and tags each record with rk = part · 2^40 + k, whatever order it runs in. Then each part must have exactly
  // its records 0 … n-1 (a line the reader split or merged would break the count or fail the BIGINT cast).
  const parse = async (w: Reader, liveParts: readonly number[]): Promise<void> => {
    lap('wait for the writer');
    const files = liveParts.map((pi) => parts[pi]!.group.file);
    const partOfFile =
      liveParts.length === 1 ? String(liveParts[0]! * PART_SHIFT) : `CASE filename ${liveParts.map((pi, i) => `WHEN ${lit(files[i]!)} THEN ${pi * PART_SHIFT}`).join(' ')} END`;
    await w.exec(`DROP TABLE IF EXISTS temp.${PARSED}`);
    await w.exec(`CREATE TEMP TABLE ${PARSED} AS ${plan.parseSelect(`(SELECT ${partOfFile} + k AS rk, line FROM ${spooledLines(files)})`)}`);
    lap('parse');
    const counts = await w.query(`SELECT rk // ${PART_SHIFT}, count(*), min(rk % ${PART_SHIFT}), max(rk % ${PART_SHIFT}) FROM temp.${PARSED} GROUP BY ALL`);
    const seen = new Map(counts.rows.map(([pi, cnt, lo, hi]) => [Number(pi), [Number(cnt), Number(lo), Number(hi)] as const]));
    for (const pi of liveParts) {
      const want = parts[pi]!.group.count;
      const [cnt, lo, hi] = seen.get(pi) ?? [0, 0, -1];
      if (cnt !== want || lo !== 0 || hi !== want - 1) {
        throw new QuarryError('ingest/bad-format', `the DuckDB line reader saw ${cnt} lines where ${want} were spooled`, {
          hints: ['retry with QUARRY_INGEST_FAST=0 to use the JS pipeline, and report the input'],
        });
      }
    }
  };

  const insertAndRecord = async (tx: Reader, live: readonly [number, number][]): Promise<{ bOf: string; liveRows: string }> => {
    const k = 'rk';
    // The batch key of row k, and which rows belong to live batches.
    const partOf = `(${k} // ${PART_SHIFT})`;
    const bOf = multi ? `(${partOf} * ${BATCH_SHIFT} + (${k} % ${PART_SHIFT}) // ${batchRows})` : `(${partOf} * ${BATCH_SHIFT})`;
    const batchCount = parts.reduce((n, p) => n + p.group.batches.length, 0);
    const liveRows = live.length === batchCount ? 'true' : `${bOf} IN (${live.map(([pi, bi]) => pi * BATCH_SHIFT + bi).join(', ')})`;
    await tx.exec(`INSERT INTO ${q(table)} (${colList}) SELECT ${colList} FROM temp.${PARSED} WHERE fast AND ${liveRows}`);
    lap('insert');
    const outcomeOf = (key: number): BatchOutcome => results[Math.floor(key / BATCH_SHIFT)]!.batches[key % BATCH_SHIFT]!;
    for (const [pi, bi] of live) results[pi]!.batches[bi] = { accepted: 0, rejected: 0, minTime: null, maxTime: null, slow: [], rows: null };
    const time = plan.timeColumn !== undefined ? q(plan.timeColumn) : 'NULL::TIMESTAMP';
    const stats = await tx.query(`SELECT ${bOf} AS b, count(*), epoch_us(min(${time})), epoch_us(max(${time})) FROM temp.${PARSED} WHERE fast AND ${liveRows} GROUP BY b`);
    for (const [b, cnt, lo, hi] of stats.rows) {
      const o = outcomeOf(Number(b));
      o.accepted = Number(cnt);
      o.minTime = (lo as bigint | null) ?? null;
      o.maxTime = (hi as bigint | null) ?? null;
    }
    // Lines SQL did not take: the JS reader and validator decide, with their own reasons.
    const slow = await tx.query(`SELECT ${k}, line FROM temp.${PARSED} WHERE NOT fast AND ${liveRows} ORDER BY 1`);
    const slowRows: Record<string, unknown>[] = [];
    const rejects: QuarantineRow[] = [];
    for (const [kk, spooled] of slow.rows) {
      const key = Number(kk);
      const pi = Math.floor(key / PART_SHIFT);
      const r = key % PART_SHIFT;
      const part = parts[pi]!;
      const bi = multi ? Math.floor(r / batchRows) : 0;
      const o = results[pi]!.batches[bi]!;
      const text = part.group.held.get(r) ?? (spooled as string);
      const line = part.group.lines[r]!;
      const offset = part.group.offsets[r]!;
      const sr = jsonRecord(text, line, offset);
      const v = sr.value === undefined ? { reason: sr.error ?? 'unreadable record' } : validate(sr.value);
      if ('reason' in v) {
        rejects.push({
          batch_id: part.ids[bi]!,
          source: part.source,
          format: part.format,
          table_name: table,
          line,
          byte_offset: offset,
          reason: v.reason,
          raw: text.length > MAX_RAW ? text.slice(0, MAX_RAW) : text,
          quarantined_at: now(),
        });
        const reasons = results[pi]!.sampleReasons;
        if (reasons.length < 5) reasons.push(`line ${line}: ${v.reason}`);
        o.rejected++;
      } else {
        slowRows.push(v.row);
        o.slow.push(v.row);
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
    for (const [pi, bi] of live) {
      const o = results[pi]!.batches[bi]!;
      const part = parts[pi]!;
      const id = part.ids[bi];
      perTable.push({ batch_id: id, source: part.source, table_name: table, accepted: o.accepted, rejected: o.rejected, max_event_time: o.maxTime, committed_at: at });
      batchRowsOut.push({
        batch_id: id,
        source: part.source,
        format: part.format,
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
    lap('rest of the transaction');
    return { bOf, liveRows };
  };

  /**
   * Reads the committed rows back for commit listeners, when one wants this table's rows: asked after the
   * commit (see `onBatchCommitted`), from the parse's temp table (SQL rows in record order, then the JS ones).
   */
  const rowsForListeners = async (r: Reader, live: readonly [number, number][], sql: { bOf: string; liveRows: string }): Promise<void> => {
    if (!hasCommitListeners(store, table)) return;
    for (const [pi, bi] of live) results[pi]!.batches[bi]!.rows = [];
    const got = await r.query(`SELECT ${sql.bOf}, ${colList} FROM temp.${PARSED} WHERE fast AND ${sql.liveRows} ORDER BY rk`);
    for (const row of got.rows) {
      const key = Number(row[0]);
      results[Math.floor(key / BATCH_SHIFT)]!.batches[key % BATCH_SHIFT]!.rows!.push(rowObject(names, jsonCols, row.slice(1)));
    }
    for (const [pi, bi] of live) {
      const o = results[pi]!.batches[bi]!;
      o.rows!.push(...o.slow);
    }
    lap('rows for listeners');
  };

  const liveParts = (live: readonly [number, number][]) => [...new Set(live.map(([pi]) => pi))];
  if (store.exclusive) {
    // Staging and parsing in temp tables outside the transaction: DuckDB builds them 3-6x faster than inside
    // an open one (measured on 400k 2 KB lines: stage 0.6 s vs 3.8 s, parse 2.2 s vs 6.5 s). Only the insert
    // and the bookkeeping form the atomic part; a crash before COMMIT leaves only temp tables, which die with
    // the connection.
    await store.exclusive(async (w) => {
      const live = await liveOf(w);
      if (live.length === 0) return;
      try {
        await parse(w, liveParts(live));
        const sql = await w.transaction((tx) => insertAndRecord(tx, live));
        lap('commit');
        await rowsForListeners(w, live, sql);
      } finally {
        await w.exec(`DROP TABLE IF EXISTS temp.${PARSED}`).catch(() => undefined);
      }
    });
  } else {
    await store.transaction(async (tx) => {
      const live = await liveOf(tx);
      if (live.length === 0) return;
      await parse(tx, liveParts(live));
      await rowsForListeners(tx, live, await insertAndRecord(tx, live));
      await tx.exec(`DROP TABLE IF EXISTS temp.${PARSED}`);
    });
  }
  return results;
}

/** Adds a committed part to the caller's summary and hands its rows to the commit listeners. */
async function account(store: Store, table: string, part: Part, outcome: PartOutcome, summary: IngestSummary): Promise<void> {
  for (const r of outcome.sampleReasons) if (summary.sampleReasons.length < 5) summary.sampleReasons.push(r);
  for (const [i, b] of part.group.batches.entries()) {
    summary.batches++;
    summary.batchIds.push(part.ids[i]!);
    const o = outcome.batches[i];
    if (!o) {
      summary.duplicateBatches++;
      summary.duplicate += b.count;
      continue;
    }
    if (o.rows && o.rows.length > 0) await notifyBatchCommitted(store, new Map([[table, o.rows]]));
    const t = (summary.tables[table] ??= { accepted: 0, rejected: 0 });
    t.accepted += o.accepted;
    t.rejected += o.rejected;
    summary.accepted += o.accepted;
    summary.rejected += o.rejected;
  }
}

/** Reads, hashes and spools `source`, handing each group (with its batch ids) to `commit`. */
async function run(store: Store, source: ByteSource, opts: IngestOptions, commit: (shape: Shape, part: Part) => Promise<PartOutcome>): Promise<IngestSummary> {
  const t0 = performance.now();
  const now = opts.now ?? (() => new Date());
  const shape = shapeOf(opts);
  const { table, batchRows } = shape;
  const multi = Number.isFinite(batchRows);
  const summary = emptySummary();
  const counter: ByteCounter = { bytes: 0 };
  const batchIdOf = (b: SpoolBatch): string =>
    opts.batchId === undefined ? `sha256:${b.hash.digest('hex')}` : multi ? `${opts.batchId}#${b.index}` : opts.batchId;

  const groupRows = multi ? Math.max(batchRows, Math.ceil(FAST_GROUP_ROWS / batchRows) * batchRows) : Infinity;
  let inflight: Promise<void> | null = null;
  // Overlap: read, hash and spool the next group while the previous one commits; at most one commit in flight.
  const flush = async (g: SpoolGroup) => {
    if (inflight) await inflight;
    summary.records += g.count;
    const part: Part = { group: g, ids: g.batches.map(batchIdOf), source: opts.source, format: opts.format };
    const p = commit(shape, part)
      .then((o) => account(store, table, part, o, summary))
      .then(() =>
        opts.onProgress?.({ records: summary.records, accepted: summary.accepted, rejected: summary.rejected, duplicate: summary.duplicate, bytes: counter.bytes, ms: performance.now() - t0 }),
      )
      .finally(() => removeSpool(g.file));
    p.catch(() => undefined);
    inflight = p;
  };
  try {
    const groups = spoolGroups(maybeGunzip(source, counter), { dir: spoolDir(store), seed: `${opts.format}\n${table}\n`, batchRows, groupRows });
    for await (const g of groups) await flush(g);
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

/** Ingests one NDJSON input through the DuckDB-native path, one commit per group (files: CLI, watched folder). */
export async function ingestNdjsonFast(store: Store, source: ByteSource, opts: IngestOptions): Promise<IngestSummary> {
  const now = opts.now ?? (() => new Date());
  return run(store, source, opts, async (shape, part) => (await commitParts(store, shape, [part], now))[0]!);
}

interface Waiting {
  readonly part: Part;
  readonly resolve: (o: PartOutcome) => void;
  readonly reject: (e: unknown) => void;
}

/** Parts waiting for the next combined commit, per store and per table + options. */
interface Combiner {
  readonly shape: Shape;
  readonly now: () => Date;
  queue: Waiting[];
  running: boolean;
}

const combiners = new WeakMap<Store, Map<string, Combiner>>();
const catalogIds = new WeakMap<object, number>();
let nextCatalogId = 0;

/** Records per combined commit: bounds memory like a file's group. */
const COMBINED_ROWS = FAST_GROUP_ROWS;

function combinerKey(opts: IngestOptions, shape: Shape): string {
  const cat = opts.catalog ?? processCatalog();
  let id = catalogIds.get(cat);
  if (id === undefined) catalogIds.set(cat, (id = nextCatalogId++));
  return JSON.stringify([shape.table, id, opts.tenantId ?? null, opts.unknownColumns ?? null, String(shape.batchRows)]);
}

async function drain(store: Store, c: Combiner): Promise<void> {
  c.running = true;
  try {
    while (c.queue.length > 0) {
      // Everything that waited while the previous commit ran, up to a group's worth of records.
      const take: Waiting[] = [];
      let rows = 0;
      while (c.queue.length > 0 && take.length < MAX_PARTS && (take.length === 0 || rows + c.queue[0]!.part.group.count <= COMBINED_ROWS)) {
        const w = c.queue.shift()!;
        rows += w.part.group.count;
        take.push(w);
      }
      try {
        const out = await commitParts(store, c.shape, take.map((w) => w.part), c.now);
        take.forEach((w, i) => w.resolve(out[i]!));
      } catch (e) {
        if (take.length === 1) {
          take[0]!.reject(e);
          continue;
        }
        // One at a time, so a part that cannot commit fails alone (nothing of the combined commit was kept).
        for (const w of take) {
          try {
            w.resolve((await commitParts(store, c.shape, [w.part], c.now))[0]!);
          } catch (e2) {
            w.reject(e2);
          }
        }
      }
    }
  } finally {
    c.running = false;
  }
}

/**
 * Ingests one NDJSON input (an HTTP body) through the DuckDB-native path, committed together with the other
 * inputs for the same table and options that arrive while a commit runs (see the module comment).
 */
export async function ingestNdjsonFastShared(store: Store, source: ByteSource, opts: IngestOptions): Promise<IngestSummary> {
  const now = opts.now ?? (() => new Date());
  return run(store, source, opts, (shape, part) => {
    let byKey = combiners.get(store);
    if (!byKey) combiners.set(store, (byKey = new Map()));
    const key = combinerKey(opts, shape);
    let c = byKey.get(key);
    if (!c) byKey.set(key, (c = { shape, now, queue: [], running: false }));
    const combiner = c;
    return new Promise<PartOutcome>((resolve, reject) => {
      combiner.queue.push({ part, resolve, reject });
      if (!combiner.running) void drain(store, combiner);
    });
  });
}
