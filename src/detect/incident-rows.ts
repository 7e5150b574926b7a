/**
 * The incident record (as detection keeps it in `detect_incidents`) and its Sentinel `SecurityIncident`
 * row: one row per incident change, as Log Analytics writes them.
 */
export interface IncidentRow {
  readonly incidentId: string;
  readonly number: number;
  readonly groupKey: string;
  readonly windowStart: number;
  readonly title: string;
  readonly description: string;
  readonly severity: string;
  readonly status: 'New' | 'Active' | 'Closed';
  readonly owner: string | null;
  readonly classification: string | null;
  readonly classificationReason: string | null;
  readonly classificationComment: string | null;
  readonly createdAt: number;
  readonly modifiedAt: number;
  readonly closedAt: number | null;
  readonly firstActivity: number | null;
  readonly lastActivity: number | null;
  readonly ruleIds: readonly string[];
  readonly alertIds: readonly string[];
}

export const INCIDENT_COLUMNS =
  'incident_id, number, group_key, window_start, title, description, severity, status, owner, classification, classification_reason, ' +
  'classification_comment, created_at, modified_at, closed_at, first_activity, last_activity, rule_ids';

function ms(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  return Number(BigInt(v as bigint) / 1000n);
}

function s(v: unknown): string | null {
  return v === null || v === undefined ? null : String(v);
}

export function incidentRowFromDb(row: readonly unknown[]): IncidentRow {
  return {
    incidentId: String(row[0]), number: Number(row[1]), groupKey: String(row[2]), windowStart: ms(row[3])!, title: String(row[4]),
    description: s(row[5]) ?? '', severity: String(row[6]), status: String(row[7]) as IncidentRow['status'], owner: s(row[8]),
    classification: s(row[9]), classificationReason: s(row[10]), classificationComment: s(row[11]), createdAt: ms(row[12])!,
    modifiedAt: ms(row[13])!, closedAt: ms(row[14]), firstActivity: ms(row[15]), lastActivity: ms(row[16]),
    ruleIds: s(row[17]) ? String(row[17]).split(',') : [], alertIds: [],
  };
}

export function securityIncidentRow(inc: IncidentRow, nowMs: number, modifiedBy: string | null, comments: readonly unknown[] = []): Record<string, unknown> {
  const d = (x: number | null) => (x === null ? null : new Date(x));
  return {
    AdditionalData: { alertsCount: inc.alertIds.length, alertProductNames: ['Quarry'], tactics: [], groupKey: inc.groupKey },
    AlertIds: inc.alertIds, BookmarkIds: [], Classification: inc.classification ?? '', ClassificationComment: inc.classificationComment ?? '',
    ClassificationReason: inc.classificationReason ?? '', ClosedTime: d(inc.closedAt), Comments: comments, CreatedTime: d(inc.createdAt),
    Description: inc.description, FirstActivityTime: d(inc.firstActivity), FirstModifiedTime: d(inc.createdAt), IncidentName: inc.incidentId,
    IncidentNumber: inc.number, IncidentUrl: `/incidents/${inc.number}`, Labels: [], LastActivityTime: d(inc.lastActivity),
    LastModifiedTime: d(inc.modifiedAt), ModifiedBy: modifiedBy ?? 'Quarry Detection',
    Owner: { assignedTo: inc.owner, email: inc.owner, objectId: null, userPrincipalName: inc.owner }, ProviderIncidentId: String(inc.number),
    ProviderName: 'Quarry', RelatedAnalyticRuleIds: inc.ruleIds, Severity: inc.severity, SourceSystem: 'Quarry', Status: inc.status,
    Tasks: [], TimeGenerated: new Date(nowMs), Title: inc.title,
  };
}
