/**
 * The detection service: one per store. It holds the indicator index, the scheduler and the alert sink,
 * and exposes the hook the ingest pipeline calls after each committed batch:
 *
 *     await detection.onBatchCommitted(table, rows)
 *
 * Event tables → NRT matching of the rows; indicator tables → index update and retro-hunt of the new or
 * changed indicators. Every path attributes a TI match to the built-in TI-map rule covering (indicator
 * kind, table, column) — or to the matching-analytics rule — so NRT, scheduled runs and retro-hunt share
 * dedup keys and raise one alert per (rule, indicator, entity, event).
 */
import { processCatalog, type Catalog } from '../catalog/catalog.js';
import type { Logger } from '../core/log.js';
import type { ExternalFetcher } from '../hunt/externals.js';
import type { Store } from '../store/store.js';
import { type AlertCandidate, type AlertIndicator, type AlertSource, buildAlert, indicatorOf } from './alert-build.js';
import { commitAlerts, type CommittedAlert, type Tx } from './alert-commit.js';
import { loadBuiltInRules, MATCHING_RULE_ID } from './builtin-rules.js';
import type { IncidentRow } from './incident-rows.js';
import { type IncidentUpdate, updateIncident } from './incidents.js';
import { IndicatorIndex } from './indicator-index.js';
import { indicatorTables, versionFromRow, type Observable } from './indicators.js';
import { type EntityMatch, matchColumns, matchRow } from './matcher.js';
import { huntableTables, retroHuntTable } from './retro-hunt.js';
import { listRules, saveRule } from './rule-store.js';
import type { StoredRule } from './rule-types.js';
import { Scheduler, type SchedulerDeps } from './scheduler.js';
import { createSerial } from './serial.js';

export interface IntelLookup {
  /** Profile and articles of an indicator, when the intel store knows them. */
  lookup(indicator: AlertIndicator): Promise<Pick<AlertIndicator, 'profile' | 'articles'> | null>;
}

export interface DetectionOptions {
  readonly clock?: () => number;
  readonly logger?: Logger;
  readonly catalog?: Catalog;
  /** Incident grouping window (default 24 h). */
  readonly incidentWindowMs?: number;
  /** How far back retro-hunt searches (default 30 days). */
  readonly retroHuntMs?: number;
  /** Install/refresh the shipped rules from `rules/` on open (default true). */
  readonly builtInRules?: boolean;
  readonly fetchExternal?: ExternalFetcher;
  readonly intel?: IntelLookup;
  readonly scheduler?: Partial<Pick<SchedulerDeps, 'beforeCommit' | 'maxWindowsPerTick' | 'firstRunLookbackMs'>>;
}

export interface BatchResult {
  readonly matches: number;
  readonly alerts: readonly CommittedAlert[];
  readonly retroHunted?: number;
}

const DAY = 86_400_000;

export class Detection {
  readonly index = new IndicatorIndex();
  readonly scheduler: Scheduler;
  readonly clock: () => number;
  readonly catalog: Catalog;
  private readonly serial = createSerial();
  private attribution = new Map<string, StoredRule>();
  private matchingRule: StoredRule | null = null;
  private readonly columnsCache = new Map<string, ReturnType<typeof matchColumns>>();

  constructor(readonly store: Store, readonly opts: DetectionOptions = {}) {
    this.clock = opts.clock ?? (() => Date.now());
    this.catalog = opts.catalog ?? processCatalog();
    this.scheduler = new Scheduler({
      store, clock: this.clock, serial: this.serial, ...(opts.logger ? { logger: opts.logger } : {}),
      commit: (tx, cands) => this.commit(tx, cands),
      runOptions: opts.fetchExternal ? { fetchExternal: opts.fetchExternal } : {},
      ...opts.scheduler,
    });
  }

  /** Installs the built-in rules, recovers interrupted runs, loads exclusions and indicators. */
  async open(): Promise<this> {
    if (this.opts.builtInRules !== false) {
      for (const spec of loadBuiltInRules()) {
        const existing = (await listRules(this.store)).find((r) => r.id === spec.id);
        // Keep the user's enabled/disabled choice when the shipped file is refreshed.
        await saveRule(this.store, { ...spec, enabled: existing ? existing.enabled : spec.enabled }, { nowMs: this.clock(), by: 'quarry' });
      }
    }
    await this.scheduler.recover();
    await this.reloadRules();
    await this.reloadExclusions();
    await this.reloadIndicators();
    return this;
  }

  /** Re-reads which rules NRT / retro-hunt attribute matches to (after a rule is saved, enabled or disabled). */
  async reloadRules(): Promise<void> {
    const rules = await listRules(this.store);
    this.attribution = new Map();
    for (const r of rules) {
      if (!r.enabled || !r.tiMap) continue;
      for (const c of r.tiMap.columns) this.attribution.set(`${r.tiMap.indicatorKind}|${r.tiMap.table}|${c}`, r);
    }
    this.matchingRule = rules.find((r) => r.id === MATCHING_RULE_ID && r.enabled) ?? null;
  }

  async reloadExclusions(): Promise<void> {
    const r = await this.store.query('SELECT indicator_key FROM detect_exclusions');
    this.index.setExcluded(r.rows.map((x) => String(x[0])));
  }

  /** Rebuilds the index from every version stored in the indicator tables. */
  async reloadIndicators(): Promise<number> {
    for (const table of indicatorTables) {
      if (!this.catalog.hasTable(table)) continue;
      const r = await this.store.query(`SELECT * FROM "${table}"`);
      const names = r.columns.map((c) => c.name);
      const times = r.columns.map((c) => c.sqlType.startsWith('TIMESTAMP'));
      for (const raw of r.rows) {
        const row: Record<string, unknown> = {};
        names.forEach((n, k) => {
          const v = raw[k];
          row[n] = times[k] && typeof v === 'bigint' ? Number(v / 1000n) : v;
        });
        const v = versionFromRow(table, row);
        if (v) this.index.apply(v);
      }
    }
    return this.index.size;
  }

  /**
   * Whether `onBatchCommitted` would look at rows of `table` now: indicator tables always; event tables while
   * some indicator is loaded and the table has columns to match. Lets bulk ingest skip reading rows back.
   */
  wantsRows(table: string): boolean {
    if (indicatorTables.includes(table)) return true;
    if (this.index.size === 0) return false;
    let columns = this.columnsCache.get(table);
    if (!columns) this.columnsCache.set(table, (columns = matchColumns(this.catalog, table)));
    return columns.size > 0;
  }

  /** THE ingest hook: call after a batch of `rows` has been committed to `table`. */
  async onBatchCommitted(table: string, rows: readonly Readonly<Record<string, unknown>>[]): Promise<BatchResult> {
    if (indicatorTables.includes(table)) return this.onIndicators(table, rows);
    let columns = this.columnsCache.get(table);
    if (!columns) this.columnsCache.set(table, (columns = matchColumns(this.catalog, table)));
    if (columns.size === 0 || this.index.size === 0) return { matches: 0, alerts: [] };
    const now = this.clock();
    const cands: AlertCandidate[] = [];
    let matches = 0;
    for (const row of rows) {
      for (const m of matchRow(this.index, columns, row, now)) {
        matches++;
        const c = this.candidate('nrt', table, row, m);
        if (c) cands.push(c);
      }
    }
    if (cands.length === 0) return { matches, alerts: [] };
    const alerts = await this.store.transaction((tx) => this.commit(tx, cands));
    return { matches, alerts };
  }

  private async onIndicators(table: string, rows: readonly Readonly<Record<string, unknown>>[]): Promise<BatchResult> {
    const changed = new Map<string, Observable>();
    for (const row of rows) {
      const v = versionFromRow(table, row);
      if (v) for (const o of this.index.apply(v)) changed.set(o.key, o);
    }
    if (changed.size === 0) return { matches: 0, alerts: [], retroHunted: 0 };
    const res = await this.retroHunt([...changed.values()]);
    return { ...res, retroHunted: changed.size };
  }

  /** Searches stored history for `observables` (default: the last 30 days) and raises retro-hunt alerts. */
  async retroHunt(observables: readonly Observable[], rangeMs = this.opts.retroHuntMs ?? 30 * DAY): Promise<BatchResult> {
    const now = this.clock();
    const cands: AlertCandidate[] = [];
    let matches = 0;
    for (const table of huntableTables(this.catalog)) {
      const found = await this.serial.run(() => retroHuntTable(this.store, this.catalog, this.index, table, observables, { from: now - rangeMs, to: now + 1 }, now));
      for (const f of found) {
        matches++;
        const c = this.candidate('retro-hunt', table, f.row, f.match);
        if (c) cands.push(c);
      }
    }
    if (cands.length === 0) return { matches, alerts: [] };
    const alerts = await this.store.transaction((tx) => this.commit(tx, cands));
    return { matches, alerts };
  }

  private candidate(source: AlertSource, table: string, row: Readonly<Record<string, unknown>>, m: EntityMatch): AlertCandidate | null {
    const o = m.hit.observable;
    const kind = o.kind === 'cidr' ? 'ip' : o.kind;
    const rule = this.attribution.get(`${kind}|${table}|${m.column}`) ?? this.matchingRule;
    if (!rule) return null;
    const indicator = indicatorOf(o.key, m.hit.version);
    const info = m.hit.version.info;
    const virtual = {
      ...row, TI_Entity: m.entity, TI_Value: o.value, TI_IndicatorKey: o.key, TI_Table: table, TI_Column: m.column,
      IndicatorId: info.ids[0] ?? '', ThreatType: info.threatType, ConfidenceScore: info.confidence, ActivityGroupNames: info.activityGroupNames,
      ExpirationDateTime: info.expiresAt, TI_Description: info.description,
    };
    return buildAlert({ rule, revision: rule.revision, source, rows: [virtual], eventTable: table, runId: null, match: { indicator, entity: m.entity } });
  }

  /** Incident update; closing as FalsePositive with `excludeIndicators` also stops matching those indicators now. */
  async updateIncident(idOrNumber: string, u: IncidentUpdate, actor: string | null = null): Promise<{ incident: IncidentRow; excluded: string[] }> {
    const res = await updateIncident(this.store, idOrNumber, u, { nowMs: this.clock(), actor });
    if (res.excluded.length) await this.reloadExclusions();
    return res;
  }

  /** Commits candidates (inside `tx`): enrichment from intel, dedup, exclusions, incidents, Sentinel rows. */
  async commit(tx: Tx, cands: readonly AlertCandidate[]): Promise<CommittedAlert[]> {
    let list = cands;
    if (this.opts.intel) {
      list = await Promise.all(cands.map(async (c) => {
        if (!c.indicator) return c;
        const extra = await this.opts.intel!.lookup(c.indicator).catch(() => null);
        return extra ? { ...c, indicator: { ...c.indicator, ...extra } } : c;
      }));
    }
    const excluded = new Set<string>();
    for (const c of list) if (c.indicatorKey && this.index.isExcluded(c.indicatorKey)) excluded.add(c.indicatorKey);
    return commitAlerts(tx, list, { nowMs: this.clock(), incidentWindowMs: this.opts.incidentWindowMs ?? DAY, excluded });
  }
}

export async function openDetection(store: Store, opts: DetectionOptions = {}): Promise<Detection> {
  return new Detection(store, opts).open();
}
