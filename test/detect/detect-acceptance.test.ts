/**
 * Acceptance (issue 8): generated events with planted IOCs against a real DuckDB store.
 * - Indicators arriving after the events: retro-hunt raises exactly one alert per planted
 *   (indicator, entity, event); a full scheduler backfill then adds nothing; feeding the events again
 *   through the NRT hook adds nothing.
 * - Indicators first, scheduled rules only, with a crash before one window's commit and a restart:
 *   the run history has no gaps or overlaps, and NRT afterwards adds only matches no TI-map rule covers.
 * - Alerts group into one incident per indicator per 24 h window; SecurityAlert / SecurityIncident rows.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Detection, openDetection } from '../../src/detect/detection.js';
import { loadBuiltInRules } from '../../src/detect/builtin-rules.js';
import { generateInto, generateRows, eventTableNames, indicatorTableNames, resolveOptions } from '../../src/generate/index.js';
import { runKql } from '../../src/hunt/run.js';
import { alertMatches, expectedMatches, hooked, openDetectStore, removeTempDirs, sorted, tempDir } from './detect-fixture.js';

afterAll(removeTempDirs);

const END = Date.parse('2024-06-01T00:00:00Z');
const HOUR = 3_600_000;
const gen = { seed: 7, rows: 6000, days: 0.25, end: new Date(END).toISOString() } as const;
const covered = new Set(loadBuiltInRules().flatMap((r) => (r.tiMap ? r.tiMap.columns.map((c) => `${r.tiMap!.indicatorKind}|${r.tiMap!.table}.${c}`) : [])));

describe('detection acceptance on generated data', () => {
  it('indicators after events: retro-hunt alerts once per match; scheduler backfill and NRT replay add nothing', async () => {
    const dir = tempDir();
    const store = await openDetectStore(dir);
    try {
      const det = await openDetection(store, { clock: () => END + 60_000 });
      const events = await generateInto(store, { ...gen, tables: eventTableNames });
      const indicators = await generateInto(hooked(store, det), { ...gen, tables: indicatorTableNames });
      expect(indicators.rows).toBe(40);
      const expected = expectedMatches(events.truth);
      expect(expected.size).toBeGreaterThan(40);
      const got = await alertMatches(store);
      expect(new Set(got).size).toBe(got.length); // no duplicate (indicator, entity, event)
      expect(sorted(got)).toEqual(sorted(expected));
      const sources = await store.query('SELECT DISTINCT source FROM detect_alerts');
      expect(sources.rows.map((r) => r[0])).toEqual(['retro-hunt']);
      // Decoys (expired, inactive) never alert.
      const decoys = await store.query("SELECT count(*) FROM detect_alerts WHERE indicator_key IN ('ip:192.0.2.44', 'domain:old-cdn.example.com')");
      expect(Number(decoys.rows[0]![0])).toBe(0);

      // Incidents: one per indicator per 24 h window (all events fall into one UTC day here).
      const inc = await store.query('SELECT group_key, count(*) FROM detect_incidents GROUP BY group_key');
      const keys = new Set([...expected].map((e) => `ti:${e.split('|')[0]}`));
      expect(sorted(inc.rows.map((r) => String(r[0])))).toEqual(sorted(keys));
      expect(inc.rows.every((r) => Number(r[1]) === 1)).toBe(true);
      const mixed = await store.query('SELECT count(*) FROM detect_alerts a JOIN detect_incidents i USING (incident_id) WHERE i.group_key <> \'ti:\' || a.indicator_key');
      expect(Number(mixed.rows[0]![0])).toBe(0);

      // Scheduler backfill over the whole generated window: every TI-map rule runs 6 hourly windows, adds nothing.
      for (const r of loadBuiltInRules()) if (r.kind === 'Scheduled') await det.scheduler.setWatermark(r.id, END - 6 * HOUR);
      const tick = await det.scheduler.tick();
      expect(tick.failed).toBe(0);
      expect(tick.runs).toBe(13 * 6);
      expect(tick.alerts).toBe(0);
      const runs = await store.query("SELECT count(*), sum(result_rows) FROM detect_runs WHERE status = 'succeeded'");
      expect(Number(runs.rows[0]![0])).toBe(78);
      expect(Number(runs.rows[0]![1])).toBeGreaterThan(0); // the rules did find the matches again

      // NRT replay of every event batch: nothing new either.
      const r = resolveOptions({ ...gen, tables: eventTableNames });
      let nrtAlerts = 0;
      for (const table of eventTableNames) for (const batch of generateRows(table, r)) nrtAlerts += (await det.onBatchCommitted(table, batch)).alerts.length;
      expect(nrtAlerts).toBe(0);
      expect(sorted(await alertMatches(store))).toEqual(sorted(expected));

      // KQL-visible: SecurityAlert and SecurityIncident in Sentinel's shape.
      const sa = await runKql(store, 'SecurityAlert | summarize n = count(), rules = dcount(AlertType) | extend p = 1', { view: 'sentinel' });
      expect(Number(sa.results[0]!.n)).toBe(got.length);
      const si = await runKql(store, 'SecurityIncident | summarize arg_max(TimeGenerated, *) by IncidentNumber | summarize n = count(), alerts = sum(array_length(AlertIds))', { view: 'sentinel' });
      expect(Number(si.results[0]!.n)).toBe(keys.size);
      expect(Number(si.results[0]!.alerts)).toBe(got.length);
    } finally {
      await store.close();
    }
  }, 240_000);

  it('indicators first, scheduled rules only, crash mid-run and restart: no gap, no overlap, no duplicate; NRT adds only uncovered matches', async () => {
    const dir = tempDir();
    let store = await openDetectStore(dir);
    const opts = { clock: () => END + 60_000 };
    const result = await generateInto(store, gen); // events then indicators, no hook: only the scheduler sees them
    let det = await openDetection(store, {
      ...opts,
      scheduler: {
        beforeCommit: (rule, w) => {
          if (rule.id === 'quarry-ti-map-domain-devicenetworkevents' && w.from === END - 3 * HOUR) throw new Error('simulated crash before commit');
        },
      },
    });
    for (const r of loadBuiltInRules()) if (r.kind === 'Scheduled') await det.scheduler.setWatermark(r.id, END - 6 * HOUR);
    const first = await det.scheduler.tick();
    expect(first.failed).toBe(1);
    expect(await det.scheduler.watermark('quarry-ti-map-domain-devicenetworkevents')).toBe(END - 3 * HOUR);
    // Restart: a new process (store closed and reopened, fresh Detection) resumes from the watermark.
    await store.close();
    store = await openDetectStore(dir);
    try {
      det = await openDetection(store, opts);
      const second = await det.scheduler.tick();
      expect(second.failed).toBe(0);
      expect(second.runs).toBe(3);
      const again = await det.scheduler.tick();
      expect(again.runs).toBe(0);

      // Windows of every rule tile [END-6h, END) exactly.
      const runs = await store.query("SELECT rule_id, epoch_ms(window_from), epoch_ms(window_to) FROM detect_runs WHERE status = 'succeeded' ORDER BY rule_id, window_from");
      const byRule = new Map<string, [number, number][]>();
      for (const row of runs.rows) {
        const list = byRule.get(String(row[0])) ?? [];
        list.push([Number(row[1]), Number(row[2])]);
        byRule.set(String(row[0]), list);
      }
      expect(byRule.size).toBe(13);
      for (const [rule, wins] of byRule) {
        expect(wins[0]![0], rule).toBe(END - 6 * HOUR);
        expect(wins.at(-1)![1], rule).toBe(END);
        for (let i = 1; i < wins.length; i++) expect(wins[i]![0], rule).toBe(wins[i - 1]![1]);
      }

      const expectedCovered = expectedMatches(result.truth, (t, c, k) => covered.has(`${k}|${t}.${c}`));
      const got = await alertMatches(store);
      expect(new Set(got).size).toBe(got.length);
      expect(sorted(got)).toEqual(sorted(expectedCovered));

      // NRT now sees the same rows (e.g. a replayed ingest): covered matches dedup, uncovered ones are new.
      const r = resolveOptions({ ...gen, tables: eventTableNames });
      for (const table of eventTableNames) for (const batch of generateRows(table, r)) await det.onBatchCommitted(table, batch);
      const all = await alertMatches(store);
      expect(new Set(all).size).toBe(all.length);
      expect(sorted(all)).toEqual(sorted(expectedMatches(result.truth)));
      const nrtOnCovered = await store.query("SELECT count(*) FROM detect_alerts WHERE source = 'nrt' AND rule_id <> 'quarry-ti-matching-analytics'");
      expect(Number(nrtOnCovered.rows[0]![0])).toBe(0);
    } finally {
      await store.close();
    }
  }, 240_000);

  it('an indicator added after the events raises retro-hunt alerts for them, once', async () => {
    const dir = tempDir();
    const store = await openDetectStore(dir);
    try {
      const det: Detection = await openDetection(store, { clock: () => END + 60_000 });
      await generateInto(hooked(store, det), { ...gen, tables: eventTableNames });
      const before = await store.query('SELECT count(*) FROM detect_alerts');
      expect(Number(before.rows[0]![0])).toBe(0); // no indicators yet
      const row = {
        TimeGenerated: new Date(END), IndicatorId: 'RETRO-1', Active: true, NetworkCidrBlock: '203.0.113.0/24', ThreatType: 'C2',
        Description: 'Range added after the fact', ConfidenceScore: 75, ExpirationDateTime: new Date(END + 30 * 24 * HOUR),
      };
      await hooked(store, det).append('ThreatIntelligenceIndicator', [row]);
      const alerts = await store.query("SELECT source, entity, rule_id FROM detect_alerts WHERE indicator_key = 'ip:203.0.113.0/24'");
      expect(alerts.rows.length).toBeGreaterThan(0);
      expect(alerts.rows.every((r) => r[0] === 'retro-hunt' && r[1] === '203.0.113.77')).toBe(true);
      // The same indicator version again (e.g. a re-sent batch) changes nothing.
      await hooked(store, det).append('ThreatIntelligenceIndicator', [row]);
      const after = await store.query("SELECT count(*) FROM detect_alerts WHERE indicator_key = 'ip:203.0.113.0/24'");
      expect(Number(after.rows[0]![0])).toBe(alerts.rows.length);
    } finally {
      await store.close();
    }
  }, 120_000);
});
