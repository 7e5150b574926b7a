/**
 * Turning a result row (of a scheduled query, or an event row with the matched indicator's columns added
 * by NRT / retro-hunt) into an alert candidate: title and description from templates, entities from the
 * rule's mappings, custom details, the matched indicator, and the dedup key
 * `(rule, indicator, entity, event id)` that makes every path raise the same alert only once.
 */
import { createHash } from 'node:crypto';
import type { IndicatorVersion } from './indicators.js';
import { toMicros } from './normalize.js';
import type { RuleSpec, Severity } from './rule-types.js';
import { severities } from './rule-types.js';
import { renderTemplate, valueText } from './templates.js';

export type AlertSource = 'nrt' | 'scheduled' | 'retro-hunt' | 'manual';

export interface AlertEntity {
  readonly Type: string;
  readonly [identifier: string]: string;
}

export interface AlertIndicator {
  readonly key: string;
  readonly kind: string;
  readonly value: string;
  readonly ids: readonly string[];
  readonly threatType: string;
  readonly description: string;
  readonly confidence: number | null;
  readonly activityGroupNames: string;
  readonly expiresAt: string | null;
  /** Intel profile / article when the intel store knows them (filled by an `IntelLookup`). */
  readonly profile?: { readonly id: string; readonly name: string } | null;
  readonly articles?: readonly { readonly id: string; readonly title: string }[];
}

export interface AlertCandidate {
  readonly dedupKey: string;
  readonly ruleId: string;
  readonly ruleRevision: number | null;
  readonly ruleName: string;
  readonly source: AlertSource;
  readonly severity: Severity;
  readonly title: string;
  readonly description: string;
  readonly eventTime: number | null;
  readonly indicatorKey: string;
  readonly entity: string;
  readonly eventId: string;
  readonly entities: readonly AlertEntity[];
  readonly evidence: readonly Record<string, unknown>[];
  readonly indicator: AlertIndicator | null;
  readonly customDetails: Readonly<Record<string, string>>;
  readonly tactics: readonly string[];
  readonly techniques: readonly string[];
  readonly runId: string | null;
}

export function dedupKey(ruleId: string, indicatorKey: string, entity: string, eventId: string): string {
  return createHash('sha256').update(`${ruleId}\u0000${indicatorKey}\u0000${entity}\u0000${eventId}`).digest('hex');
}

function timeText(v: unknown): string {
  const us = toMicros(v);
  return us === null ? '' : us.toString();
}

/** Columns that identify an event in Sentinel tables without a ReportId. */
const sentinelEventKeys: Readonly<Record<string, readonly string[]>> = {
  DnsEvents: ['TimeGenerated', 'Computer', 'ClientIP', 'Name'],
  CommonSecurityLog: ['TimeGenerated', 'DeviceVendor', 'DeviceProduct', 'ExtID'],
};

function stableHash(row: Readonly<Record<string, unknown>>): string {
  const keys = Object.keys(row).sort();
  const h = createHash('sha256');
  for (const k of keys) h.update(`${k}\u0000${valueText(row[k])}\u0001`);
  return h.digest('hex').slice(0, 32);
}

/**
 * The id of the event a row stands for. Defender rows: DeviceId, ReportId and Timestamp (ReportId is only
 * unique per device and time); DnsEvents / CommonSecurityLog: their identifying columns; otherwise a hash
 * of the whole row. `table` is the event table when known (NRT, retro-hunt, built-in TI-map rules).
 */
export function eventIdOf(table: string | null, row: Readonly<Record<string, unknown>>): string {
  const keys = table ? sentinelEventKeys[table] : undefined;
  if (keys && keys.every((k) => k in row)) {
    return `${table}:${keys.map((k) => (k === 'TimeGenerated' ? timeText(row[k]) : valueText(row[k]))).join('|')}`;
  }
  if (row.ReportId !== undefined && row.ReportId !== null && row.ReportId !== '') {
    return `${table ?? 'event'}:${valueText(row.DeviceId)}|${valueText(row.ReportId)}|${timeText(row.Timestamp ?? row.TimeGenerated)}`;
  }
  return `${table ?? 'row'}:${stableHash(row)}`;
}

const entityTypeName: Readonly<Record<string, string>> = {
  Account: 'account', Host: 'host', IP: 'ip', URL: 'url', FileHash: 'filehash', Mailbox: 'mailbox', Process: 'process', DNS: 'dns',
  File: 'file', MailMessage: 'mailMessage',
};

/** The entity a matched observable stands for (`TI_IndicatorKey` + `TI_Entity` columns of TI rows). */
function matchedEntity(row: Readonly<Record<string, unknown>>): AlertEntity | null {
  const key = valueText(row.TI_IndicatorKey);
  const value = valueText(row.TI_Entity);
  if (!key || !value) return null;
  switch (key.slice(0, key.indexOf(':'))) {
    case 'domain': return { Type: 'dns', DomainName: value };
    case 'ip': return { Type: 'ip', Address: value };
    case 'url': return { Type: 'url', Url: value };
    case 'file-hash': return { Type: 'filehash', Value: value, Algorithm: value.length === 64 ? 'SHA256' : value.length === 40 ? 'SHA1' : value.length === 32 ? 'MD5' : 'Unknown' };
    case 'email': return { Type: 'mailbox', MailboxPrimaryAddress: value };
    default: return null;
  }
}

export function entitiesOf(rule: RuleSpec, rows: readonly Readonly<Record<string, unknown>>[]): AlertEntity[] {
  const out: AlertEntity[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    const me = matchedEntity(row);
    if (me && !seen.has(JSON.stringify(me))) {
      seen.add(JSON.stringify(me));
      out.push(me);
    }
    for (const m of rule.entityMappings) {
      const e: Record<string, string> = { Type: entityTypeName[m.entityType] ?? m.entityType.toLowerCase() };
      let any = false;
      for (const f of m.fieldMappings) {
        const v = valueText(row[f.columnName]);
        if (v !== '') {
          e[f.identifier] = v;
          any = true;
        }
      }
      if (!any) continue;
      const id = JSON.stringify(e);
      if (seen.has(id)) continue;
      seen.add(id);
      out.push(e as AlertEntity);
    }
  }
  return out;
}

export function indicatorOf(key: string, v: IndicatorVersion): AlertIndicator {
  const i = key.indexOf(':');
  return {
    key, kind: key.slice(0, i), value: key.slice(i + 1), ids: v.info.ids, threatType: v.info.threatType, description: v.info.description,
    confidence: v.info.confidence, activityGroupNames: v.info.activityGroupNames, expiresAt: v.info.expiresAt,
  };
}

/** A scheduled-query result row's indicator, when the row carries the TI columns the built-in rules project. */
export function indicatorFromRow(row: Readonly<Record<string, unknown>>): AlertIndicator | null {
  const key = valueText(row.TI_IndicatorKey);
  const id = valueText(row.IndicatorId ?? row.Id);
  if (!key && !id) return null;
  const k = key || `id:${id}`;
  const i = k.indexOf(':');
  const conf = row.ConfidenceScore ?? row.Confidence;
  return {
    key: k, kind: k.slice(0, i), value: k.slice(i + 1), ids: id ? [id] : [], threatType: valueText(row.ThreatType),
    description: valueText(row.Description), confidence: conf === null || conf === undefined || conf === '' ? null : Number(conf),
    activityGroupNames: valueText(row.ActivityGroupNames), expiresAt: valueText(row.ExpirationDateTime ?? row.ValidUntil) || null,
  };
}

function severityOf(rule: RuleSpec, row: Readonly<Record<string, unknown>>): Severity {
  const col = rule.alertDetailsOverride?.alertSeverityColumnName;
  if (col) {
    const s = severities.find((x) => x.toLowerCase() === valueText(row[col]).toLowerCase());
    if (s) return s;
  }
  return rule.severity;
}

export interface BuildInput {
  readonly rule: RuleSpec;
  readonly revision: number | null;
  readonly source: AlertSource;
  readonly rows: readonly Readonly<Record<string, unknown>>[];
  readonly eventTable: string | null;
  readonly runId: string | null;
  /** For NRT / retro-hunt: the matched indicator and observed entity (scheduled rows carry them as TI_* columns). */
  readonly match?: { readonly indicator: AlertIndicator; readonly entity: string };
}

/** One alert from one or more rows (several rows: a `SingleAlert` rule's run). */
export function buildAlert(input: BuildInput): AlertCandidate {
  const { rule, rows } = input;
  const first = rows[0] ?? {};
  const indicator = input.match?.indicator ?? indicatorFromRow(first);
  const entity = input.match?.entity ?? valueText(first.TI_Entity);
  const primaryEntity = entity || (entitiesOf(rule, [first])[0] ? JSON.stringify(entitiesOf(rule, [first])[0]) : '');
  const eventId = rows.length === 1 ? eventIdOf(input.eventTable, first) : `set:${createHash('sha256').update(rows.map((r) => eventIdOf(input.eventTable, r)).sort().join('\n')).digest('hex').slice(0, 32)}`;
  const ado = rule.alertDetailsOverride;
  const title = ado?.alertDisplayNameFormat ? renderTemplate(ado.alertDisplayNameFormat, first) || rule.name : rule.name;
  const description = ado?.alertDescriptionFormat ? renderTemplate(ado.alertDescriptionFormat, first) : rule.description;
  const times = rows.map((r) => toMicros(r.Timestamp ?? r.TimeGenerated ?? r.timestamp)).filter((t): t is bigint => t !== null);
  const eventTime = times.length ? Number(times.reduce((a, b) => (a < b ? a : b)) / 1000n) : null;
  const entities = entitiesOf(rule, rows);
  const customDetails = Object.fromEntries(Object.entries(rule.customDetails).map(([k, col]) => [k, valueText(first[col])]));
  const tacticsCol = ado?.alertTacticsColumnName;
  const tactics = tacticsCol && valueText(first[tacticsCol]) ? valueText(first[tacticsCol]).split(/\s*,\s*/) : [...rule.tactics];
  return {
    dedupKey: dedupKey(rule.id, indicator?.key ?? '', primaryEntity, eventId),
    ruleId: rule.id, ruleRevision: input.revision, ruleName: rule.name, source: input.source, severity: severityOf(rule, first),
    title, description, eventTime, indicatorKey: indicator?.key ?? '', entity: primaryEntity, eventId, entities,
    evidence: rows.slice(0, 100).map((r) => ({ ...r })), indicator, customDetails, tactics, techniques: [...rule.techniques], runId: input.runId,
  };
}
