/**
 * Committing alert candidates inside one store transaction: drop those whose dedup key exists (or whose
 * indicator is excluded), group the rest into incidents, write `detect_alerts`, the incident changes and
 * their timeline, and append the Sentinel-shaped `SecurityAlert` / `SecurityIncident` rows.
 *
 * Grouping: alerts sharing a grouping entity — the matched indicator for TI alerts, else the rule and its
 * first entity — fall into one incident per fixed window (default 24 h, aligned to the epoch so the result
 * does not depend on which path saw an alert first). A closed incident is not reopened: a later alert of
 * the same group opens a new one.
 */
import { randomUUID } from 'node:crypto';
import type { Store } from '../store/store.js';
import type { AlertCandidate } from './alert-build.js';
import { type IncidentRow, incidentRowFromDb, securityIncidentRow, INCIDENT_COLUMNS } from './incident-rows.js';
import { severities, type Severity } from './rule-types.js';

export type Tx = Pick<Store, 'query' | 'exec' | 'append'>;

export interface CommitOptions {
  readonly nowMs: number;
  readonly incidentWindowMs: number;
  readonly excluded: ReadonlySet<string>;
}

export interface CommittedAlert extends AlertCandidate {
  readonly alertId: string;
  readonly incidentId: string;
}

export function sqlText(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

function rank(s: string): number {
  return severities.indexOf(s as Severity);
}

export function groupKeyOf(a: Pick<AlertCandidate, 'indicatorKey' | 'ruleId' | 'entity'>): string {
  return a.indicatorKey ? `ti:${a.indicatorKey}` : `rule:${a.ruleId}|${a.entity}`;
}

async function existingKeys(tx: Tx, keys: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < keys.length; i += 500) {
    const chunk = keys.slice(i, i + 500);
    const r = await tx.query(`SELECT dedup_key FROM detect_alerts WHERE dedup_key IN (${chunk.map(sqlText).join(',')})`);
    for (const row of r.rows) out.add(String(row[0]));
  }
  return out;
}

export async function appendTimeline(tx: Tx, incidentId: string, atMs: number, kind: string, actor: string | null, detail: unknown): Promise<void> {
  await tx.exec(
    `INSERT INTO detect_incident_events (incident_id, event_at, seq, kind, actor, detail)
     VALUES ($1, $2, (SELECT coalesce(max(seq), 0) + 1 FROM detect_incident_events WHERE incident_id = $1), $3, $4, $5)`,
    [incidentId, new Date(atMs), kind, actor, JSON.stringify(detail)],
  );
}

function securityAlertRow(a: CommittedAlert, createdMs: number): Record<string, unknown> {
  const host = a.entities.find((e) => e.Type === 'host');
  const time = a.eventTime !== null ? new Date(a.eventTime) : new Date(createdMs);
  return {
    AlertName: a.title, AlertSeverity: a.severity, AlertType: a.ruleId, CompromisedEntity: host?.HostName ?? host?.FullName ?? '',
    ConfidenceLevel: a.indicator?.confidence !== null && a.indicator?.confidence !== undefined ? String(a.indicator.confidence) : '',
    ConfidenceScore: a.indicator?.confidence ?? null, Description: a.description, DisplayName: a.title, EndTime: time,
    Entities: JSON.stringify(a.entities), ExtendedProperties: JSON.stringify({
      ...a.customDetails, 'Analytic Rule Ids': a.ruleId, 'Analytic Rule Name': a.ruleName, Source: a.source, IncidentId: a.incidentId,
      ...(a.indicator ? { IndicatorKey: a.indicator.key, IndicatorIds: a.indicator.ids.join(','), ThreatType: a.indicator.threatType } : {}),
    }),
    IsIncident: false, ProcessingEndTime: new Date(createdMs), ProductComponentName: a.source, ProductName: 'Quarry',
    ProviderName: 'Quarry Detection', RemediationSteps: '', Status: 'New', SystemAlertId: a.alertId, Tactics: a.tactics.join(', '),
    Techniques: JSON.stringify(a.techniques), StartTime: time, TimeGenerated: new Date(createdMs),
    VendorName: 'Quarry', VendorOriginalId: a.dedupKey,
  };
}

/** Writes the new alerts among `cands`; returns them with their ids and incidents (duplicates are left out). */
export async function commitAlerts(tx: Tx, cands: readonly AlertCandidate[], opts: CommitOptions): Promise<CommittedAlert[]> {
  const fresh = new Map<string, AlertCandidate>();
  for (const c of cands) if (!fresh.has(c.dedupKey) && !(c.indicatorKey && opts.excluded.has(c.indicatorKey))) fresh.set(c.dedupKey, c);
  if (fresh.size === 0) return [];
  const have = await existingKeys(tx, [...fresh.keys()]);
  const todo = [...fresh.values()].filter((c) => !have.has(c.dedupKey));
  if (todo.length === 0) return [];

  const now = opts.nowMs;
  const touched = new Map<string, IncidentRow>();
  const created = new Set<string>();
  let nextNumber: number | null = null;
  const out: CommittedAlert[] = [];
  for (const c of todo) {
    const groupKey = groupKeyOf(c);
    const t = c.eventTime ?? now;
    const windowStart = Math.floor(t / opts.incidentWindowMs) * opts.incidentWindowMs;
    let inc = [...touched.values()].find((i) => i.groupKey === groupKey && i.windowStart === windowStart && i.status !== 'Closed');
    if (!inc) {
      const r = await tx.query(
        `SELECT ${INCIDENT_COLUMNS} FROM detect_incidents WHERE group_key = $1 AND window_start = $2 AND status <> 'Closed' ORDER BY number LIMIT 1`,
        { params: [groupKey, new Date(windowStart)] },
      );
      if (r.rows[0]) inc = incidentRowFromDb(r.rows[0]);
    }
    if (!inc) {
      if (nextNumber === null) nextNumber = Number((await tx.query('SELECT coalesce(max(number), 0) + 1 FROM detect_incidents')).rows[0]![0]);
      const ind = c.indicator;
      inc = {
        incidentId: randomUUID(), number: nextNumber++, groupKey, windowStart,
        title: ind ? `Threat intelligence match: ${ind.kind} ${ind.value}` : c.title,
        description: ind ? `Events matched the ${ind.kind} indicator ${ind.value}${ind.threatType ? ` (${ind.threatType})` : ''}.` : c.description,
        severity: c.severity, status: 'New', owner: null, classification: null, classificationReason: null, classificationComment: null,
        createdAt: now, modifiedAt: now, closedAt: null, firstActivity: t, lastActivity: t, ruleIds: [c.ruleId], alertIds: [],
      };
      created.add(inc.incidentId);
    }
    const alertId = randomUUID();
    inc = {
      ...inc,
      severity: rank(c.severity) > rank(inc.severity) ? c.severity : inc.severity,
      firstActivity: Math.min(inc.firstActivity ?? t, t), lastActivity: Math.max(inc.lastActivity ?? t, t), modifiedAt: now,
      ruleIds: inc.ruleIds.includes(c.ruleId) ? inc.ruleIds : [...inc.ruleIds, c.ruleId], alertIds: [...inc.alertIds, alertId],
    };
    touched.set(inc.incidentId, inc);
    out.push({ ...c, alertId, incidentId: inc.incidentId });
  }

  await tx.append('detect_alerts', out.map((a) => ({
    alert_id: a.alertId, dedup_key: a.dedupKey, rule_id: a.ruleId, rule_revision: a.ruleRevision, rule_name: a.ruleName, source: a.source,
    severity: a.severity, title: a.title, description: a.description, event_time: a.eventTime === null ? null : new Date(a.eventTime),
    created_at: new Date(now), indicator_key: a.indicatorKey || null, entity: a.entity || null, event_id: a.eventId,
    entities: a.entities, evidence: a.evidence, indicator: a.indicator, custom_details: a.customDetails,
    tactics: a.tactics.join(','), techniques: a.techniques.join(','), incident_id: a.incidentId, run_id: a.runId,
  })));
  for (const inc of touched.values()) {
    const isNew = created.has(inc.incidentId);
    if (isNew) {
      await tx.exec(
        `INSERT INTO detect_incidents (incident_id, number, group_key, window_start, title, description, severity, status, created_at,
          modified_at, first_activity, last_activity, rule_ids) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)`,
        [inc.incidentId, inc.number, inc.groupKey, new Date(inc.windowStart), inc.title, inc.description, inc.severity, inc.status,
          new Date(inc.createdAt), new Date(inc.modifiedAt), new Date(inc.firstActivity!), new Date(inc.lastActivity!), inc.ruleIds.join(',')],
      );
      await appendTimeline(tx, inc.incidentId, now, 'created', null, { groupKey: inc.groupKey });
    } else {
      await tx.exec(
        `UPDATE detect_incidents SET severity = $2, modified_at = $3, first_activity = $4, last_activity = $5, rule_ids = $6 WHERE incident_id = $1`,
        [inc.incidentId, inc.severity, new Date(inc.modifiedAt), new Date(inc.firstActivity!), new Date(inc.lastActivity!), inc.ruleIds.join(',')],
      );
    }
    const added = out.filter((a) => a.incidentId === inc.incidentId).map((a) => a.alertId);
    await appendTimeline(tx, inc.incidentId, now, 'alerts-added', null, { alertIds: added });
  }
  await tx.append('SecurityAlert', out.map((a) => securityAlertRow(a, now)));
  const allAlertIds = new Map<string, string[]>();
  for (const inc of touched.values()) {
    const r = await tx.query('SELECT alert_id FROM detect_alerts WHERE incident_id = $1', { params: [inc.incidentId] });
    allAlertIds.set(inc.incidentId, r.rows.map((x) => String(x[0])));
  }
  await tx.append('SecurityIncident', [...touched.values()].map((inc) => securityIncidentRow({ ...inc, alertIds: allAlertIds.get(inc.incidentId) ?? [] }, now, null)));
  return out;
}
