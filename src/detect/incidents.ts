/**
 * Incident queries and updates: list/show (with alerts, comments, timeline), status, owner, severity,
 * classification, comments. Closing as FalsePositive with `excludeIndicators` records an exclusion for
 * every indicator of the incident's alerts, so matching stops raising alerts for them. Every change is a
 * timeline event and a new `SecurityIncident` row.
 */
import { QuarryError } from '../core/errors.js';
import type { Store } from '../store/store.js';
import { appendTimeline } from './alert-commit.js';
import { INCIDENT_COLUMNS, incidentRowFromDb, securityIncidentRow, type IncidentRow } from './incident-rows.js';
import { severities } from './rule-types.js';

export const incidentStatuses = ['New', 'Active', 'Closed'] as const;
export const classifications = ['Undetermined', 'TruePositive', 'BenignPositive', 'FalsePositive'] as const;

export interface IncidentUpdate {
  readonly status?: string;
  readonly owner?: string | null;
  readonly severity?: string;
  readonly classification?: string;
  readonly classificationReason?: string;
  readonly classificationComment?: string;
  readonly comment?: string;
  /** With status Closed and classification FalsePositive: stop matching the incident's indicators. */
  readonly excludeIndicators?: boolean;
}

function bad(message: string): QuarryError {
  return new QuarryError('detect/bad-update', message);
}

export async function listIncidents(store: Pick<Store, 'query'>, opts: { status?: string; limit?: number } = {}): Promise<IncidentRow[]> {
  const limit = Math.max(1, Math.min(10_000, Math.floor(opts.limit ?? 100)));
  const r = await store.query(
    `SELECT ${INCIDENT_COLUMNS} FROM detect_incidents ${opts.status ? 'WHERE status = $1' : ''} ORDER BY number DESC LIMIT ${limit}`,
    opts.status ? { params: [opts.status] } : {},
  );
  return r.rows.map(incidentRowFromDb);
}

async function findIncident(store: Pick<Store, 'query'>, idOrNumber: string): Promise<IncidentRow> {
  const byNumber = /^\d+$/.test(idOrNumber);
  const r = await store.query(`SELECT ${INCIDENT_COLUMNS} FROM detect_incidents WHERE ${byNumber ? 'number = $1' : 'incident_id = $1'}`, {
    params: [byNumber ? Number(idOrNumber) : idOrNumber],
  });
  if (!r.rows[0]) throw new QuarryError('detect/unknown-incident', `there is no incident '${idOrNumber}'`, { hints: ['`quarry incidents list` shows incident numbers'] });
  const inc = incidentRowFromDb(r.rows[0]);
  const a = await store.query('SELECT alert_id FROM detect_alerts WHERE incident_id = $1 ORDER BY event_time', { params: [inc.incidentId] });
  return { ...inc, alertIds: a.rows.map((x) => String(x[0])) };
}

export interface IncidentDetail extends IncidentRow {
  readonly alerts: Record<string, unknown>[];
  readonly comments: { at: string; author: string | null; text: string }[];
  readonly timeline: { at: string; kind: string; actor: string | null; detail: unknown }[];
}

export async function showIncident(store: Pick<Store, 'query'>, idOrNumber: string): Promise<IncidentDetail> {
  const inc = await findIncident(store, idOrNumber);
  const a = await store.query(
    `SELECT alert_id, rule_id, rule_name, source, severity, title, epoch_ms(event_time), indicator_key, entity, entities, indicator
     FROM detect_alerts WHERE incident_id = $1 ORDER BY event_time`, { params: [inc.incidentId] },
  );
  const alerts = a.rows.map((r) => ({
    alertId: r[0], ruleId: r[1], ruleName: r[2], source: r[3], severity: r[4], title: r[5],
    eventTime: r[6] === null ? null : new Date(Number(r[6])).toISOString(), indicatorKey: r[7], entity: r[8],
    entities: r[9] ? JSON.parse(String(r[9])) : [], indicator: r[10] ? JSON.parse(String(r[10])) : null,
  }));
  const t = await store.query('SELECT epoch_ms(event_at), kind, actor, detail FROM detect_incident_events WHERE incident_id = $1 ORDER BY seq', { params: [inc.incidentId] });
  const timeline = t.rows.map((r) => ({ at: new Date(Number(r[0])).toISOString(), kind: String(r[1]), actor: r[2] === null ? null : String(r[2]), detail: r[3] ? JSON.parse(String(r[3])) : null }));
  const comments = timeline.filter((e) => e.kind === 'comment').map((e) => ({ at: e.at, author: e.actor, text: String((e.detail as { text?: string })?.text ?? '') }));
  return { ...inc, alerts, comments, timeline };
}

export async function updateIncident(
  store: Store, idOrNumber: string, u: IncidentUpdate, opts: { nowMs: number; actor: string | null },
): Promise<{ incident: IncidentRow; excluded: string[] }> {
  if (u.status !== undefined && !(incidentStatuses as readonly string[]).includes(u.status)) throw bad(`status must be one of ${incidentStatuses.join(', ')}`);
  if (u.severity !== undefined && !(severities as readonly string[]).includes(u.severity)) throw bad(`severity must be one of ${severities.join(', ')}`);
  if (u.classification !== undefined && !(classifications as readonly string[]).includes(u.classification)) throw bad(`classification must be one of ${classifications.join(', ')}`);
  if (u.status === 'Closed' && !u.classification) throw bad('closing an incident needs a classification (TruePositive, BenignPositive, FalsePositive or Undetermined)');
  if (u.excludeIndicators && !(u.status === 'Closed' && u.classification === 'FalsePositive')) throw bad('excludeIndicators applies only when closing as FalsePositive');
  const cur = await findIncident(store, idOrNumber);
  const now = opts.nowMs;
  const next: IncidentRow = {
    ...cur,
    ...(u.status !== undefined ? { status: u.status as IncidentRow['status'] } : {}),
    ...(u.owner !== undefined ? { owner: u.owner } : {}),
    ...(u.severity !== undefined ? { severity: u.severity } : {}),
    ...(u.classification !== undefined ? { classification: u.classification } : {}),
    ...(u.classificationReason !== undefined ? { classificationReason: u.classificationReason } : {}),
    ...(u.classificationComment !== undefined ? { classificationComment: u.classificationComment } : {}),
    closedAt: u.status === 'Closed' ? now : u.status !== undefined ? null : cur.closedAt,
    modifiedAt: now,
  };
  const excluded: string[] = [];
  await store.transaction(async (tx) => {
    await tx.exec(
      `UPDATE detect_incidents SET status = $2, owner = $3, severity = $4, classification = $5, classification_reason = $6,
        classification_comment = $7, closed_at = $8, modified_at = $9 WHERE incident_id = $1`,
      [next.incidentId, next.status, next.owner, next.severity, next.classification, next.classificationReason, next.classificationComment,
        next.closedAt === null ? null : new Date(next.closedAt), new Date(now)],
    );
    const changes = Object.fromEntries(Object.entries(u).filter(([k]) => k !== 'comment'));
    if (Object.keys(changes).length) await appendTimeline(tx, next.incidentId, now, 'updated', opts.actor, changes);
    if (u.comment) await appendTimeline(tx, next.incidentId, now, 'comment', opts.actor, { text: u.comment });
    if (u.excludeIndicators) {
      const r = await tx.query('SELECT DISTINCT indicator_key FROM detect_alerts WHERE incident_id = $1 AND indicator_key IS NOT NULL', { params: [next.incidentId] });
      for (const row of r.rows) {
        const key = String(row[0]);
        await tx.exec(
          'INSERT INTO detect_exclusions (indicator_key, reason, incident_id, created_at, created_by) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (indicator_key) DO NOTHING',
          [key, `incident ${next.number} closed as FalsePositive`, next.incidentId, new Date(now), opts.actor],
        );
        excluded.push(key);
      }
      if (excluded.length) await appendTimeline(tx, next.incidentId, now, 'indicators-excluded', opts.actor, { indicators: excluded });
    }
    const comments = await tx.query("SELECT epoch_ms(event_at), actor, detail FROM detect_incident_events WHERE incident_id = $1 AND kind = 'comment' ORDER BY seq", { params: [next.incidentId] });
    await tx.append('SecurityIncident', [securityIncidentRow(next, now, opts.actor, comments.rows.map((c) => ({
      createdTimeUtc: new Date(Number(c[0])).toISOString(), author: c[1], message: (JSON.parse(String(c[2])) as { text: string }).text,
    })))]);
  });
  return { incident: next, excluded };
}
