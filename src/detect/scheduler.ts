/**
 * The rule scheduler. Each enabled query rule has a watermark: the end of the last window whose alerts are
 * committed. A tick runs every due window `[w, w + frequency)` in order (catch-up after downtime), and
 * commits the window's alerts, the new watermark and the run record in ONE transaction — so a crash or
 * restart mid-run leaves the watermark where it was and the window runs again (its alerts, if any were
 * written, are deduplicated by key). Windows therefore neither gap nor overlap.
 *
 * Queries run one at a time (`serial`), shared with retro-hunt: a 2-core machine should not run two heavy
 * scans at once. The clock is injectable for tests.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../core/log.js';
import type { Store } from '../store/store.js';
import type { AlertCandidate, AlertSource } from './alert-build.js';
import type { CommittedAlert, Tx } from './alert-commit.js';
import { runRuleWindow, type RunWindow } from './rule-run.js';
import { listRules } from './rule-store.js';
import type { StoredRule } from './rule-types.js';
import type { Serial } from './serial.js';

export interface SchedulerDeps {
  readonly store: Store;
  readonly clock: () => number;
  readonly serial: Serial;
  readonly logger?: Logger;
  /** Writes candidates inside the caller's transaction (dedup, incidents, SecurityAlert rows). */
  readonly commit: (tx: Tx, cands: readonly AlertCandidate[]) => Promise<CommittedAlert[]>;
  readonly runOptions?: Omit<Parameters<typeof runRuleWindow>[4], 'source' | 'runId'>;
  /** Test hook: called after the query ran and before its commit (throw to simulate a crash mid-run). */
  readonly beforeCommit?: (rule: StoredRule, w: RunWindow) => void | Promise<void>;
  /** At most this many windows per rule per tick (default 1000); the rest follow on the next tick. */
  readonly maxWindowsPerTick?: number;
  /** Defender custom detections: the first run covers this far back (default 30 days). */
  readonly firstRunLookbackMs?: number;
}

export interface RunRecord {
  readonly runId: string;
  readonly ruleId: string;
  readonly trigger: 'scheduled' | 'manual';
  readonly from: string | null;
  readonly to: string | null;
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly status: 'running' | 'succeeded' | 'failed' | 'suppressed' | 'interrupted';
  readonly rows: number | null;
  readonly alerts: number | null;
  readonly error: string | null;
}

export interface TickResult {
  readonly runs: number;
  readonly alerts: number;
  readonly failed: number;
}

const DAY = 86_400_000;

function ts(v: unknown): number | null {
  return v === null || v === undefined ? null : Number(BigInt(v as bigint) / 1000n);
}

function isScheduled(r: StoredRule): boolean {
  return r.enabled && r.query !== '' && (r.kind === 'Scheduled' || r.kind === 'NRT' || r.kind === 'CustomDetection');
}

function frequencyOf(r: StoredRule): number {
  return r.frequencyMs > 0 ? r.frequencyMs : 60_000;
}

export class Scheduler {
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<TickResult> | null = null;

  constructor(private readonly deps: SchedulerDeps) {}

  /** Marks runs a previous process left `running` as interrupted (their windows run again: watermarks did not move). */
  async recover(): Promise<number> {
    const r = await this.deps.store.query("SELECT count(*) FROM detect_runs WHERE status = 'running'");
    const n = Number(r.rows[0]![0]);
    if (n > 0) {
      await this.deps.store.exec("UPDATE detect_runs SET status = 'interrupted', ended_at = $1, error = 'the process stopped during the run' WHERE status = 'running'", [new Date(this.deps.clock())]);
    }
    return n;
  }

  start(intervalMs = 30_000): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      void this.tick().catch((e: unknown) => this.deps.logger?.error({ err: e }, 'detection scheduler tick failed'));
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.ticking?.catch(() => undefined);
  }

  async watermark(ruleId: string): Promise<number | null> {
    const r = await this.deps.store.query('SELECT watermark FROM detect_watermarks WHERE rule_id = $1', { params: [ruleId] });
    return r.rows[0] ? ts(r.rows[0][0]) : null;
  }

  /** Sets a rule's watermark (e.g. to backfill from an earlier time). */
  async setWatermark(ruleId: string, atMs: number): Promise<void> {
    await this.deps.store.exec(
      'INSERT INTO detect_watermarks (rule_id, watermark) VALUES ($1, $2) ON CONFLICT (rule_id) DO UPDATE SET watermark = excluded.watermark',
      [ruleId, new Date(atMs)],
    );
  }

  /** Runs every due window of every enabled rule (one tick at a time). */
  tick(): Promise<TickResult> {
    if (!this.ticking) {
      this.ticking = this.tickOnce().finally(() => {
        this.ticking = null;
      });
    }
    return this.ticking;
  }

  private async tickOnce(): Promise<TickResult> {
    let runs = 0, alerts = 0, failed = 0;
    for (const rule of (await listRules(this.deps.store)).filter(isScheduled)) {
      const res = await this.catchUp(rule);
      runs += res.runs;
      alerts += res.alerts;
      failed += res.failed;
    }
    return { runs, alerts, failed };
  }

  private async catchUp(rule: StoredRule): Promise<TickResult> {
    const now = this.deps.clock();
    const freq = frequencyOf(rule);
    const stored = await this.watermark(rule.id);
    let w: number;
    let firstRun = false;
    if (stored !== null) w = stored;
    else {
      // First sight: Sentinel starts with the last full period; a Defender custom detection looks back 30 days once.
      w = Math.floor(now / freq) * freq - freq;
      firstRun = rule.kind === 'CustomDetection';
      await this.setWatermark(rule.id, w);
    }
    let runs = 0, alerts = 0, failed = 0;
    const max = this.deps.maxWindowsPerTick ?? 1000;
    while (w + freq <= now && runs < max) {
      const win: RunWindow = firstRun ? { from: w + freq - (this.deps.firstRunLookbackMs ?? 30 * DAY), to: w + freq } : { from: w, to: w + freq };
      firstRun = false;
      const r = await this.runWindow(rule, win, 'scheduled');
      runs++;
      if (r.status === 'failed') {
        failed++;
        break; // the watermark stays; the next tick retries the same window
      }
      alerts += r.alerts ?? 0;
      w = win.to;
    }
    return { runs, alerts, failed };
  }

  /** Runs a rule now over `[from, to)` (default: its last period), outside the watermark; alerts are deduplicated as usual. */
  async runNow(rule: StoredRule, w?: RunWindow): Promise<RunRecord> {
    const now = this.deps.clock();
    const win = w ?? { from: now - (rule.frequencyMs || 60_000), to: now };
    return this.runWindow(rule, win, 'manual');
  }

  private async runWindow(rule: StoredRule, w: RunWindow, trigger: 'scheduled' | 'manual'): Promise<RunRecord> {
    const { store, clock } = this.deps;
    const runId = randomUUID();
    const startedAt = clock();
    await store.exec(
      "INSERT INTO detect_runs (run_id, rule_id, trigger, window_from, window_to, started_at, status) VALUES ($1, $2, $3, $4, $5, $6, 'running')",
      [runId, rule.id, trigger, new Date(w.from), new Date(w.to), new Date(startedAt)],
    );
    const advance = async (tx: Tx, suppressedUntil: number | null) => {
      if (trigger !== 'scheduled') return;
      await tx.exec(
        `INSERT INTO detect_watermarks (rule_id, watermark, suppressed_until) VALUES ($1, $2, $3)
         ON CONFLICT (rule_id) DO UPDATE SET watermark = excluded.watermark, suppressed_until = coalesce(excluded.suppressed_until, detect_watermarks.suppressed_until)`,
        [rule.id, new Date(w.to), suppressedUntil === null ? null : new Date(suppressedUntil)],
      );
    };
    try {
      if (trigger === 'scheduled' && rule.suppressionEnabled) {
        const r = await store.query('SELECT suppressed_until FROM detect_watermarks WHERE rule_id = $1', { params: [rule.id] });
        const until = r.rows[0] ? ts(r.rows[0][0]) : null;
        if (until !== null && w.to <= until) {
          await store.transaction(async (tx) => {
            await advance(tx, null);
            await tx.exec("UPDATE detect_runs SET status = 'suppressed', ended_at = $2, result_rows = 0, alerts = 0 WHERE run_id = $1", [runId, new Date(clock())]);
          });
          return this.record(runId);
        }
      }
      const source: AlertSource = trigger === 'manual' ? 'manual' : 'scheduled';
      const result = await this.deps.serial.run(() => runRuleWindow(store, rule, rule.revision, w, { ...this.deps.runOptions, source, runId }));
      await this.deps.beforeCommit?.(rule, w);
      await store.transaction(async (tx) => {
        const committed = await this.deps.commit(tx, result.candidates);
        const suppressed = rule.suppressionEnabled && committed.length > 0 ? w.to + rule.suppressionMs : null;
        await advance(tx, suppressed);
        await tx.exec("UPDATE detect_runs SET status = 'succeeded', ended_at = $2, result_rows = $3, alerts = $4 WHERE run_id = $1", [runId, new Date(clock()), result.rows, committed.length]);
      });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.deps.logger?.warn({ ruleId: rule.id, from: new Date(w.from).toISOString(), err: message }, 'rule run failed');
      await store.exec("UPDATE detect_runs SET status = 'failed', ended_at = $2, error = $3 WHERE run_id = $1", [runId, new Date(clock()), message.slice(0, 2000)]);
    }
    return this.record(runId);
  }

  private async record(runId: string): Promise<RunRecord> {
    const r = await this.deps.store.query(
      'SELECT run_id, rule_id, trigger, window_from, window_to, started_at, ended_at, status, result_rows, alerts, error FROM detect_runs WHERE run_id = $1',
      { params: [runId] },
    );
    return runFromRow(r.rows[0]!);
  }

  async history(ruleId: string | null, limit = 50): Promise<RunRecord[]> {
    const r = await this.deps.store.query(
      `SELECT run_id, rule_id, trigger, window_from, window_to, started_at, ended_at, status, result_rows, alerts, error FROM detect_runs
       ${ruleId ? 'WHERE rule_id = $1' : ''} ORDER BY started_at DESC, window_from DESC LIMIT ${Math.max(1, Math.min(10_000, Math.floor(limit)))}`,
      ruleId ? { params: [ruleId] } : {},
    );
    return r.rows.map(runFromRow);
  }
}

function runFromRow(row: readonly unknown[]): RunRecord {
  const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(ts(v)!).toISOString());
  return {
    runId: String(row[0]), ruleId: String(row[1]), trigger: String(row[2]) as RunRecord['trigger'], from: iso(row[3]), to: iso(row[4]),
    startedAt: iso(row[5])!, endedAt: iso(row[6]), status: String(row[7]) as RunRecord['status'],
    rows: row[8] === null ? null : Number(row[8]), alerts: row[9] === null ? null : Number(row[9]), error: row[10] === null ? null : String(row[10]),
  };
}
