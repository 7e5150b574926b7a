/**
 * Generator options: what the caller may pass, and their resolution into exact per-table row counts,
 * a fixed time window and a validated plant configuration. Resolution is pure: the same options give
 * the same resolved plan (the only implicit input is the clock, when `end` is not given).
 */
import { QuarryError } from '../core/errors.js';
import { defaultPlantConfig, validatePlantConfig, type PlantConfig } from './plant.js';
import { defaultPopulationSize, type PopulationSize } from './population.js';
import { seedToInt } from './prng.js';

/** Event tables the generator fills, with their share of a total row budget (sums to 1). */
export const eventTableRatios = {
  DeviceNetworkEvents: 0.28,
  DeviceProcessEvents: 0.13,
  DeviceFileEvents: 0.11,
  DeviceEvents: 0.1,
  DeviceLogonEvents: 0.05,
  EmailEvents: 0.04,
  EmailUrlInfo: 0.05,
  EmailAttachmentInfo: 0.015,
  UrlClickEvents: 0.015,
  IdentityQueryEvents: 0.04,
  IdentityLogonEvents: 0.03,
  CloudAppEvents: 0.04,
  DnsEvents: 0.05,
  CommonSecurityLog: 0.05,
} as const;

export type EventTableName = keyof typeof eventTableRatios;

/** Indicator tables: their size follows from the planted indicators (two versions of each), not the budget. */
export const indicatorTableNames = ['ThreatIntelligenceIndicator', 'ThreatIntelIndicators'] as const;
export type IndicatorTableName = (typeof indicatorTableNames)[number];

export type GeneratedTableName = EventTableName | IndicatorTableName;

export const eventTableNames = Object.keys(eventTableRatios) as EventTableName[];
export const generatedTableNames: readonly GeneratedTableName[] = [...eventTableNames, ...indicatorTableNames];

export interface GenerateOptions {
  /** Number or text; default 1. */
  readonly seed?: number | string;
  /** Total event-row budget spread over the tables by `eventTableRatios`, or exact counts per table. Default 10 000. */
  readonly rows?: number | Readonly<Partial<Record<string, number>>>;
  /** Tables to generate (default: all generated tables; with per-table `rows`, the tables named there). */
  readonly tables?: readonly string[];
  /** End of the time window (exclusive). Default: now, rounded down to the hour. */
  readonly end?: Date | string;
  /** Length of the window in days (default 7). */
  readonly days?: number;
  /** Planted infrastructure: `false` for none, a partial config to override the defaults. */
  readonly plant?: false | Partial<PlantConfig>;
  /** Rows per yielded batch (default 5000). Does not change the rows themselves. */
  readonly batchSize?: number;
  readonly population?: PopulationSize;
}

export interface ResolvedOptions {
  readonly seed: number;
  /** Rows per table, in generation order; only the tables to generate. */
  readonly counts: ReadonlyMap<GeneratedTableName, number>;
  readonly endMs: number;
  readonly startMs: number;
  readonly days: number;
  readonly plant: PlantConfig | null;
  readonly batchSize: number;
  readonly population: PopulationSize;
  /** Messages in the mail model (shared by the four mail tables), from the EmailEvents count or the budget. */
  readonly messages: number;
}

const HOUR_MS = 3_600_000;

export function defaultEnd(now: Date = new Date()): Date {
  return new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS);
}

function bad(message: string, hints?: string[]): QuarryError {
  return new QuarryError('generate/bad-option', message, hints ? { hints } : {});
}

export function isGeneratedTable(name: string): name is GeneratedTableName {
  return (generatedTableNames as readonly string[]).includes(name);
}

function checkTable(name: string): GeneratedTableName {
  if (!isGeneratedTable(name)) {
    throw bad(`the generator does not produce table '${name}'`, [`tables it produces: ${generatedTableNames.join(', ')}`]);
  }
  return name;
}

function checkCount(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 2_000_000_000) {
    throw bad(`${what} must be a whole number of rows between 0 and 2e9, got ${String(v)}`);
  }
  return v;
}

/** Splits `total` over `tables` by ratio; the remainder of rounding goes to the largest table, so counts sum exactly. */
export function splitBudget(total: number, tables: readonly EventTableName[]): Map<EventTableName, number> {
  const out = new Map<EventTableName, number>();
  if (tables.length === 0) return out;
  const sum = tables.reduce((s, t) => s + eventTableRatios[t], 0);
  let given = 0;
  let largest = tables[0] as EventTableName;
  for (const t of tables) {
    const n = Math.floor((total * eventTableRatios[t]) / sum);
    out.set(t, n);
    given += n;
    if (eventTableRatios[t] > eventTableRatios[largest]) largest = t;
  }
  out.set(largest, (out.get(largest) ?? 0) + (total - given));
  return out;
}

export function resolveOptions(opts: GenerateOptions = {}, now: Date = new Date()): ResolvedOptions {
  const seed = seedToInt(opts.seed ?? 1);
  const days = opts.days ?? 7;
  if (!(typeof days === 'number' && Number.isFinite(days) && days > 0 && days <= 3650)) {
    throw bad(`days must be a positive number of days (at most 3650), got ${String(days)}`);
  }
  let end: Date;
  if (opts.end === undefined) end = defaultEnd(now);
  else {
    end = typeof opts.end === 'string' ? new Date(opts.end) : opts.end;
    if (Number.isNaN(end.getTime())) throw bad(`end: '${String(opts.end)}' is not an ISO 8601 date-time`, ['example: --end 2024-05-01T00:00:00Z']);
  }
  const endMs = end.getTime();
  const startMs = endMs - Math.round(days * 24 * HOUR_MS);

  const batchSize = opts.batchSize ?? 5000;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 1_000_000) throw bad(`batchSize must be 1..1000000, got ${batchSize}`);

  let plant: PlantConfig | null = null;
  if (opts.plant !== false) {
    plant = validatePlantConfig({
      rate: opts.plant?.rate ?? defaultPlantConfig.rate,
      indicators: opts.plant?.indicators ?? defaultPlantConfig.indicators,
    });
  }

  const wanted = opts.tables?.map(checkTable);
  const counts = new Map<GeneratedTableName, number>();
  const rows = opts.rows ?? 10_000;
  let messages: number;
  if (typeof rows === 'number') {
    const total = checkCount(rows, 'rows');
    const events = (wanted ?? eventTableNames).filter((t): t is EventTableName => t in eventTableRatios);
    const split = splitBudget(total, events);
    for (const t of eventTableNames) if (split.has(t)) counts.set(t, split.get(t) as number);
    // The message universe is what EmailEvents would get from the whole budget, so the mail tables
    // agree on NetworkMessageIds whichever of them are generated.
    messages = counts.get('EmailEvents') ?? Math.max(1, Math.round(total * eventTableRatios.EmailEvents));
  } else {
    for (const [name, v] of Object.entries(rows)) {
      checkTable(name);
      if (wanted && !wanted.includes(name as GeneratedTableName)) continue;
      if (isGeneratedTable(name) && name in eventTableRatios) counts.set(name, checkCount(v, `rows for ${name}`));
    }
    const ordered = new Map<GeneratedTableName, number>();
    for (const t of eventTableNames) if (counts.has(t)) ordered.set(t, counts.get(t) as number);
    counts.clear();
    for (const [k, v] of ordered) counts.set(k, v);
    messages = counts.get('EmailEvents') ?? Math.max(1, Math.round((counts.get('EmailUrlInfo') ?? 100) / 1.25));
  }
  const indicatorRows = plant ? plant.indicators.length * 2 : 0;
  const isIndicatorTable = (t: string): boolean => (indicatorTableNames as readonly string[]).includes(t);
  const wantIndicators: readonly string[] = wanted
    ? wanted.filter(isIndicatorTable)
    : typeof rows === 'number' ? indicatorTableNames : Object.keys(rows).filter(isIndicatorTable);
  for (const t of indicatorTableNames) if (wantIndicators.includes(t)) counts.set(t, indicatorRows);

  return {
    seed,
    counts,
    endMs,
    startMs,
    days,
    plant,
    batchSize,
    population: opts.population ?? defaultPopulationSize,
    messages: Math.max(1, messages),
  };
}
