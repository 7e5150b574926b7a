/**
 * One run of a query rule over a window `[from, to)`: the query runs with `now() = to` and sees the data
 * of `[to − queryPeriod, to)` (Sentinel's query period; a Defender custom detection's lookback; an NRT
 * rule exactly its window). The trigger (result count vs threshold) decides whether alerts are raised;
 * `AlertPerResult` makes one candidate per row, `SingleAlert` one per run.
 */
import type { ExternalFetcher } from '../hunt/externals.js';
import { runKql } from '../hunt/run.js';
import type { Store } from '../store/store.js';
import { type AlertCandidate, type AlertSource, buildAlert } from './alert-build.js';
import type { RuleSpec, TriggerOperator } from './rule-types.js';

export const MAX_RESULT_ROWS = 10_000;

export interface RunWindow {
  readonly from: number;
  readonly to: number;
}

export interface RuleRunResult {
  readonly rows: number;
  readonly triggered: boolean;
  readonly candidates: AlertCandidate[];
  readonly truncated: boolean;
}

export function triggers(op: TriggerOperator, count: number, threshold: number): boolean {
  switch (op) {
    case 'gt': return count > threshold;
    case 'ge': return count >= threshold;
    case 'lt': return count < threshold;
    case 'le': return count <= threshold;
    case 'eq': return count === threshold;
    case 'ne': return count !== threshold;
  }
}

/** The data range a run of `rule` for `w` reads. */
export function dataRange(rule: RuleSpec, w: RunWindow): RunWindow {
  if (rule.kind === 'NRT' || (rule.kind === 'CustomDetection' && rule.frequencyMs === 0)) return w;
  return { from: Math.min(w.from, w.to - rule.periodMs), to: w.to };
}

export async function runRuleWindow(
  store: Store, rule: RuleSpec, revision: number | null, w: RunWindow,
  opts: { source: AlertSource; runId: string | null; fetchExternal?: ExternalFetcher; signal?: AbortSignal; timeoutMs?: number },
): Promise<RuleRunResult> {
  const range = dataRange(rule, w);
  const res = await runKql(store, rule.query, {
    now: new Date(w.to),
    view: rule.view,
    timespan: `${new Date(range.from).toISOString()}/${new Date(range.to).toISOString()}`,
    maxRows: MAX_RESULT_ROWS,
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
    ...(opts.fetchExternal ? { fetchExternal: opts.fetchExternal } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const rows = res.results;
  const triggered = triggers(rule.triggerOperator, rows.length, rule.triggerThreshold);
  if (!triggered || rows.length === 0) return { rows: rows.length, triggered, candidates: [], truncated: res.truncated };
  const eventTable = rule.tiMap?.table ?? null;
  const base = { rule, revision, source: opts.source, eventTable, runId: opts.runId };
  const candidates = rule.aggregation === 'AlertPerResult'
    ? rows.map((r) => buildAlert({ ...base, rows: [r] }))
    : [buildAlert({ ...base, rows })];
  return { rows: rows.length, triggered, candidates, truncated: res.truncated };
}
