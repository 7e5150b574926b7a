/**
 * Idempotent merge of observations into an Explorer data set.
 *
 * Rows are staged (bulk append into `_xstage_<table>`), collapsed per key (min FirstSeen, max LastSeen, sum
 * SeenCount, latest attributes, union of tags) and `MERGE`d into the table: an existing edge widens its
 * first/last seen and adds the new count; a new edge is inserted. The whole batch is recorded in
 * `_explorer_batches` under a content hash in the same transaction, so merging the same collected data a
 * second time changes nothing (min/max alone would be idempotent, the count would not).
 */
import { createHash } from 'node:crypto';
import type { Store } from '../store/store.js';
import { quoteIdentifier as q } from '../sql/dialects/duckdb/literals.js';
import type { DatasetSpec } from './datasets.js';
import { ensureExplorerIndexes } from './indexes.js';

export type Tx = Pick<Store, 'query' | 'exec' | 'append'>;

export interface MergeResult {
  readonly dataset: string;
  /** Rows handed in. */
  readonly observations: number;
  /** Distinct keys merged (0 when the batch was already merged). */
  readonly edges: number;
  readonly skipped: boolean;
  readonly batchId: string;
}

export interface MergeOptions {
  /** Ledger id of the batch; default: SHA-256 of the table name and the rows. */
  readonly batchId?: string;
}

/** Union of two `|`-joined tag lists, sorted and without blanks (SQL expression). */
export function tagUnionSql(a: string, b: string): string {
  return `array_to_string(list_sort(list_distinct(list_filter(string_split(coalesce(${a}, ''), '|') || string_split(coalesce(${b}, ''), '|'), lambda x: x <> ''))), '|')`;
}

function hashRows(table: string, rows: readonly Record<string, unknown>[]): string {
  const h = createHash('sha256').update(table);
  for (const r of rows) h.update(JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? v.toString() : v instanceof Date ? v.toISOString() : v))).update('\n');
  return h.digest('hex');
}

/** A row `normalise` would leave as it is (the common case: collectors fill every key and the seen columns). */
function isNormal(spec: DatasetSpec, row: Record<string, unknown>): boolean {
  for (const k of spec.keys) if (row[k] === undefined || row[k] === null) return false;
  if (!spec.seen) return true;
  return row['SeenCount'] != null && row['LastSeen'] != null && row['FirstSeen'] != null && !Array.isArray(row['Tags']);
}

/** Fills key columns with '' (keys must never be NULL: NULL never joins) and SeenCount with 1. */
function normalise(spec: DatasetSpec, row: Record<string, unknown>): Record<string, unknown> {
  // No copy when nothing changes: a pDNS batch is a million rows (the appender only reads them).
  if (isNormal(spec, row)) return row;
  const out: Record<string, unknown> = { ...row };
  for (const k of spec.keys) if (out[k] === undefined || out[k] === null) out[k] = '';
  if (spec.seen) {
    out['SeenCount'] ??= 1;
    out['LastSeen'] ??= out['FirstSeen'];
    out['FirstSeen'] ??= out['LastSeen'];
    if (Array.isArray(out['Tags'])) out['Tags'] = (out['Tags'] as string[]).filter(Boolean).join('|');
  }
  return out;
}

/** The staged rows collapsed to one per key (the MERGE source). */
function collapseSql(spec: DatasetSpec, stage: string): string {
  const keyList = spec.keys.map(q).join(', ');
  const order = spec.seen ? q('LastSeen') : q(spec.keys[spec.keys.length - 1]!);
  const attrAgg = spec.attrs.map((a) => `arg_max(${q(a)}, ${order}) FILTER (WHERE ${q(a)} IS NOT NULL) AS ${q(a)}`);
  const seenAgg = spec.seen
    ? [
        `min(${q('FirstSeen')}) AS ${q('FirstSeen')}`,
        `max(${q('LastSeen')}) AS ${q('LastSeen')}`,
        `sum(coalesce(${q('SeenCount')}, 1))::BIGINT AS ${q('SeenCount')}`,
        `${tagUnionSql(`string_agg(${q('Tags')}, '|')`, "''")} AS ${q('Tags')}`,
      ]
    : [];
  return `SELECT ${[keyList, ...attrAgg, ...seenAgg].join(', ')} FROM ${q(stage)} GROUP BY ${keyList}`;
}

function mergeSql(spec: DatasetSpec, source: string): string {
  // `source` is the collapsing SELECT: grouped as MERGE reads it.
  const t = q(spec.table);
  const on = spec.keys.map((k) => `t.${q(k)} = s.${q(k)}`).join(' AND ');
  const sets = spec.attrs.map((a) => `${q(a)} = coalesce(s.${q(a)}, t.${q(a)})`);
  if (spec.seen) {
    sets.push(
      `${q('FirstSeen')} = least(t.${q('FirstSeen')}, s.${q('FirstSeen')})`,
      `${q('LastSeen')} = greatest(t.${q('LastSeen')}, s.${q('LastSeen')})`,
      `${q('SeenCount')} = coalesce(t.${q('SeenCount')}, 0) + s.${q('SeenCount')}`,
      `${q('Tags')} = ${tagUnionSql(`t.${q('Tags')}`, `s.${q('Tags')}`)}`,
    );
  }
  const cols = [...spec.keys, ...spec.attrs, ...(spec.seen ? ['FirstSeen', 'LastSeen', 'SeenCount', 'Tags'] : [])];
  return `MERGE INTO ${t} AS t USING (${source}) AS s ON ${on}
    WHEN MATCHED THEN UPDATE SET ${sets.join(', ')}
    WHEN NOT MATCHED THEN INSERT (${cols.map(q).join(', ')}) VALUES (${cols.map((c) => `s.${q(c)}`).join(', ')})`;
}

/** Merges `rows` into one data set inside an open transaction. */
export async function mergeInTx(tx: Tx, spec: DatasetSpec, rows: readonly Record<string, unknown>[], opts: MergeOptions = {}): Promise<MergeResult> {
  const batchId = opts.batchId ?? hashRows(spec.table, rows);
  const base = { dataset: spec.name, observations: rows.length, batchId };
  if (rows.length === 0) return { ...base, edges: 0, skipped: false };
  if (await batchDone(tx, batchId)) return { ...base, edges: 0, skipped: true };
  const stage = await openStage(tx, spec);
  await tx.append(stage, rows.map((r) => normalise(spec, r)));
  return mergeStage(tx, spec, batchId, rows.length);
}

/** The (emptied) staging table of a data set: same columns as the table; rows put there are merged by `mergeStage`. */
export async function openStage(tx: Tx, spec: DatasetSpec): Promise<string> {
  const stage = `_xstage_${spec.table}`;
  await tx.exec(`CREATE TABLE IF NOT EXISTS ${q(stage)} AS SELECT * FROM ${q(spec.table)} LIMIT 0`);
  await tx.exec(`DELETE FROM ${q(stage)}`);
  return stage;
}

/**
 * Merges what the staging table holds (filled by `mergeInTx`, or set-based by a collector's INSERT … SELECT)
 * and records the batch; `observations` is what the ledger and the result report as rows handed in.
 */
export async function mergeStage(tx: Tx, spec: DatasetSpec, batchId: string, observations: number): Promise<MergeResult> {
  const stage = `_xstage_${spec.table}`;
  const keys = spec.keys.map(q).join(', ');
  const n = await tx.query(`SELECT count(*) FROM (SELECT DISTINCT ${keys} FROM ${q(stage)})`);
  await tx.exec(mergeSql(spec, collapseSql(spec, stage)));
  await tx.exec(`DELETE FROM ${q(stage)}`);
  await tx.exec('INSERT INTO _explorer_batches (batch_id, dataset, rows) VALUES ($1, $2, $3)', [batchId, spec.name, observations]);
  return { dataset: spec.name, observations, batchId, edges: Number(n.rows[0]?.[0] ?? 0), skipped: false };
}

/** Whether a batch id is in the ledger already (its data merged before). */
export async function batchDone(tx: Tx, batchId: string): Promise<boolean> {
  const done = await tx.query('SELECT 1 FROM _explorer_batches WHERE batch_id = $1', { params: [batchId] });
  return done.rows.length > 0;
}

/** Merges `rows` into one data set in its own transaction. */
export async function mergeObservations(store: Store, spec: DatasetSpec, rows: readonly Record<string, unknown>[], opts: MergeOptions = {}): Promise<MergeResult> {
  await ensureExplorerIndexes(store);
  return store.transaction((tx) => mergeInTx(tx, spec, rows, opts));
}

/** Several data sets in one transaction (a crawl or a collector run lands whole or not at all). */
export async function mergeMany(
  store: Store,
  parts: readonly { spec: DatasetSpec; rows: readonly Record<string, unknown>[]; batchId?: string }[],
): Promise<MergeResult[]> {
  await ensureExplorerIndexes(store);
  return store.transaction(async (tx) => {
    const out: MergeResult[] = [];
    for (const p of parts) out.push(await mergeInTx(tx, p.spec, p.rows, p.batchId ? { batchId: p.batchId } : {}));
    return out;
  });
}
