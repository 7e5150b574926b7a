/**
 * The generator engine: walks a table's rows in time order, decides which rows are planted, asks the
 * table's maker for each row, adds the Sentinel columns Defender tables are stored with, records the
 * planted truth, and hands rows out in batches.
 *
 * Determinism: each table draws from its own stream (seed × table name), so a table's rows do not
 * depend on which other tables are generated, nor on the batch size.
 */
import { defaultCatalog } from '../catalog/catalog.js';
import { QuarryError } from '../core/errors.js';
import type { Store } from '../store/store.js';
import { resolveOptions, type GenerateOptions, type GeneratedTableName, type ResolvedOptions } from './options.js';
import { buildPlantIndex, type PlantIndex } from './plant-index.js';
import type { PlantedTruth, TruthRef } from './plant.js';
import { buildPopulation, type Population } from './population.js';
import { Rng, hashString } from './prng.js';
import type { Row, TableCtx, TableGenerator, Variant } from './table-gen.js';
import { tableGenerators } from './tables/index.js';

const HOUR_MS = 3_600_000;
const populations = new Map<string, Population>();

export function populationOf(r: ResolvedOptions): Population {
  const key = `${r.seed}/${r.population.users}/${r.population.devices}`;
  let pop = populations.get(key);
  if (!pop) {
    pop = buildPopulation(r.seed, r.population);
    populations.set(key, pop);
  }
  return pop;
}

function isResolved(o: GenerateOptions | ResolvedOptions): o is ResolvedOptions {
  return (o as ResolvedOptions).counts instanceof Map;
}

function keyText(v: unknown): string {
  return v instanceof Date ? v.toISOString() : String(v ?? '');
}

function recordTruth(gen: TableGenerator, row: Row, index: PlantIndex, timeColumn: string, sink: (ref: TruthRef) => void): void {
  const key = gen.keyColumns.map((c) => keyText(row[c])).join('|');
  const keyColumn = gen.keyColumns.join('|');
  const time = keyText(row[timeColumn]);
  const seen = new Set<string>();
  for (const [column, kind] of Object.entries(gen.plantColumns)) {
    for (const m of index.lookup(kind, row[column])) {
      const id = `${m.indicator.id}\u0000${column}`;
      if (seen.has(id)) continue;
      seen.add(id);
      sink({ table: gen.table, keyColumn, key, indicator: m.indicator.id, column, value: m.value, time });
    }
  }
}

/**
 * Rows of one table, in batches of `batchSize`. `sink` receives the planted-truth references of the
 * rows as they are made. Accepts raw options or options resolved once (so several tables share one `end`).
 */
export function* generateRows(
  table: string,
  options: GenerateOptions | ResolvedOptions = {},
  sink?: (ref: TruthRef) => void,
): Generator<Row[], void, undefined> {
  const r = isResolved(options) ? options : resolveOptions(options);
  const gen = tableGenerators[table as GeneratedTableName];
  if (!gen) throw new QuarryError('generate/bad-option', `the generator does not produce table '${table}'`);
  const n = r.counts.get(gen.table) ?? 0;
  if (n === 0) return;
  const def = defaultCatalog().getTable(gen.table);
  const defender = def.origin === 'defender';
  const timeColumn = def.timeColumn ?? 'TimeGenerated';
  const pop = populationOf(r);
  const ctx: TableCtx = { table: gen.table, seed: r.seed, rng: new Rng(r.seed, hashString(gen.table)), pop, opts: r, n, plant: r.plant, planted: false };
  const plantRng = new Rng(r.seed, hashString(`${gen.table}/plant`));
  const variants: Variant[] = r.plant && gen.variants ? gen.variants(r.plant) : [];
  // One row of each variant among the last rows of the window, so even a rule that looks back one hour
  // sees every way the table carries an indicator; then `rate` of all rows at random.
  const forced = variants.length ? Math.min(variants.length, Math.floor(n / 10)) : 0;
  const rate = r.plant?.rate ?? 0;
  const index = r.plant ? buildPlantIndex(r.plant) : null;
  const span = r.endMs - r.startMs;
  let last = r.startMs - 1;
  let batch: Row[] = [];
  for (let i = 0; i < n; i++) {
    // Evenly spread, jittered, strictly increasing (1 ms apart at least) and inside [start, end).
    let ts = r.startMs + Math.floor(((i + ctx.rng.float()) * span) / n);
    if (ts <= last) ts = last + 1;
    if (ts >= r.endMs) ts = r.endMs - 1;
    last = ts;
    let v: Variant | null = null;
    if (variants.length) {
      const back = n - 1 - i;
      if (back < forced) {
        v = variants[back] as Variant;
        // Pulled into the last hour when the table is too sparse to have them there anyway.
        ts = Math.min(r.endMs - 1, Math.max(ts, r.endMs - HOUR_MS + Math.floor(((forced - back) * HOUR_MS) / (forced + 1))));
        last = ts;
      } else if (plantRng.float() < rate) v = variants[plantRng.int(0, variants.length - 1)] as Variant;
    }
    ctx.planted = v !== null;
    const row = gen.row(ctx, i, ts, v, index);
    if (defender) {
      row.TenantId = pop.tenantId;
      row.TimeGenerated = row.Timestamp;
    }
    if (ctx.planted && index && sink) recordTruth(gen, row, index, timeColumn, sink);
    batch.push(row);
    if (batch.length >= r.batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

export interface GenerateProgress {
  readonly table: string;
  /** Rows of this table done so far. */
  readonly tableRows: number;
  readonly tableTotal: number;
  readonly rows: number;
  readonly total: number;
}

export interface GenerateResult {
  readonly counts: Record<string, number>;
  readonly rows: number;
  readonly truth: PlantedTruth;
  readonly options: ResolvedOptions;
  readonly elapsedMs: number;
}

/** Generates every table of the plan and appends it to `store` batch by batch. */
export async function generateInto(
  store: Pick<Store, 'append'>,
  options: GenerateOptions | ResolvedOptions = {},
  hooks: { onProgress?: (p: GenerateProgress) => void } = {},
): Promise<GenerateResult> {
  const started = performance.now();
  const r = isResolved(options) ? options : resolveOptions(options);
  const refs: TruthRef[] = [];
  const counts: Record<string, number> = {};
  let total = 0;
  for (const n of r.counts.values()) total += n;
  let rows = 0;
  for (const [table, tableTotal] of r.counts) {
    let tableRows = 0;
    for (const batch of generateRows(table, r, (ref) => refs.push(ref))) {
      await store.append(table, batch);
      tableRows += batch.length;
      rows += batch.length;
      hooks.onProgress?.({ table, tableRows, tableTotal, rows, total });
    }
    counts[table] = tableRows;
  }
  return { counts, rows, truth: { indicators: r.plant?.indicators ?? [], refs }, options: r, elapsedMs: performance.now() - started };
}

/** The planted truth of a plan, without storing anything (generates and discards the rows). */
export function plantedTruth(options: GenerateOptions | ResolvedOptions = {}): PlantedTruth {
  const r = isResolved(options) ? options : resolveOptions(options);
  const refs: TruthRef[] = [];
  for (const table of r.counts.keys()) {
    for (const _batch of generateRows(table, r, (ref) => refs.push(ref))) {
      // rows are not needed, only the references recorded on the way
    }
  }
  return { indicators: r.plant?.indicators ?? [], refs };
}
