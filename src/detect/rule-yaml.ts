/**
 * Rules ⇄ Sentinel analytic-rule YAML. Reading accepts Sentinel's field names (`queryFrequency: 1h`,
 * `queryPeriod: 14d`, `triggerOperator: gt`, `relevantTechniques`, `entityMappings`, `customDetails`,
 * `alertDetailsOverride`, `eventGroupingSettings`, `suppressionDuration`, `suppressionEnabled`) plus
 * Defender-style ISO durations (`PT1H`, `P30D`) and two Quarry fields: `view` and `tiMap`.
 * Writing produces the same shape, so an exported rule imports back unchanged.
 */
import { QuarryError } from '../core/errors.js';
import { parseIsoDuration } from '../core/time.js';
import {
  defenderLookback, entityTypes, ruleKinds, severities, triggerOperators, type EntityMapping, type EntityType,
  type IndicatorKind, type RuleSpec, type TiMapSpec,
} from './rule-types.js';
import { parseYaml, stringifyYaml, type YamlValue } from './yaml.js';

type Obj = { [k: string]: YamlValue };

function bad(message: string, hints?: string[]): QuarryError {
  return new QuarryError('detect/bad-rule', message, hints ? { hints } : {});
}

/** `5m`, `1h`, `14d`, `30s` (Sentinel / KQL timespans) or ISO 8601 (`PT1H`, `P30D`) → milliseconds. */
export function parseDurationMs(v: YamlValue | undefined, field: string): number {
  const s = String(v ?? '').trim();
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/i.exec(s);
  if (m) {
    const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2]!.toLowerCase() as 'ms' | 's' | 'm' | 'h' | 'd'];
    return Math.round(Number(m[1]) * unit);
  }
  if (/^P/i.test(s)) {
    try {
      return Number(parseIsoDuration(s) / 1000n);
    } catch {
      /* fall through to the error below */
    }
  }
  throw bad(`${field}: '${s}' is not a duration`, ['use 5m, 1h, 14d (Sentinel) or PT1H, P30D (ISO 8601)']);
}

/** Milliseconds → the Sentinel form (`1h`, `14d`, `5m`). */
export function formatDurationMs(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${ms / 1000}s`;
}

function str(o: Obj, key: string, dflt?: string): string {
  const v = o[key];
  if (v === undefined || v === null) {
    if (dflt !== undefined) return dflt;
    throw bad(`the rule has no '${key}'`);
  }
  if (typeof v === 'object') throw bad(`'${key}' must be text`);
  return String(v);
}

function strList(o: Obj, key: string): string[] {
  const v = o[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw bad(`'${key}' must be a list`);
  return v.map((x) => String(x));
}

function oneOf<T extends string>(v: string, allowed: readonly T[], field: string): T {
  const hit = allowed.find((a) => a.toLowerCase() === v.toLowerCase());
  if (!hit) throw bad(`${field}: '${v}' is not one of ${allowed.join(', ')}`);
  return hit;
}

function entityMappingsOf(v: YamlValue | undefined): EntityMapping[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw bad("'entityMappings' must be a list");
  return v.map((e, i) => {
    if (!e || typeof e !== 'object' || Array.isArray(e)) throw bad(`entityMappings[${i}] must be a mapping`);
    const entityType = oneOf(str(e, 'entityType'), entityTypes, `entityMappings[${i}].entityType`) as EntityType;
    const fm = e.fieldMappings;
    if (!Array.isArray(fm) || fm.length === 0) throw bad(`entityMappings[${i}] (${entityType}) needs fieldMappings`);
    return {
      entityType,
      fieldMappings: fm.map((f, j) => {
        if (!f || typeof f !== 'object' || Array.isArray(f)) throw bad(`entityMappings[${i}].fieldMappings[${j}] must be a mapping`);
        return { identifier: str(f, 'identifier'), columnName: str(f, 'columnName') };
      }),
    };
  });
}

function tiMapOf(v: YamlValue | undefined): TiMapSpec | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw bad("'tiMap' must be a mapping");
  const kinds: readonly IndicatorKind[] = ['domain', 'ip', 'url', 'file-hash', 'email'];
  return { indicatorKind: oneOf(str(v, 'indicatorKind'), kinds, 'tiMap.indicatorKind'), table: str(v, 'table'), columns: strList(v, 'columns') };
}

/** A rule from a parsed YAML document (Sentinel analytic-rule shape). Validation of the query happens in `checkRule`. */
export function ruleFromYamlObject(doc: YamlValue, opts: { builtIn?: boolean } = {}): RuleSpec {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw bad('a rule file must hold a mapping at the top level');
  const o = doc as Obj;
  const kind = oneOf(str(o, 'kind', 'Scheduled'), ruleKinds, 'kind');
  const frequencyMs = kind === 'NRT' || kind === 'ThreatIntelligence' ? 0 : parseDurationMs(o.queryFrequency ?? '1h', 'queryFrequency');
  let periodMs: number;
  if (o.queryPeriod !== undefined && o.queryPeriod !== null) periodMs = parseDurationMs(o.queryPeriod, 'queryPeriod');
  else if (kind === 'CustomDetection') periodMs = defenderLookback.get(frequencyMs) ?? 30 * 86_400_000;
  else periodMs = Math.max(frequencyMs, 300_000);
  const ado = o.alertDetailsOverride;
  const grouping = o.eventGroupingSettings;
  const aggregation = grouping && typeof grouping === 'object' && !Array.isArray(grouping) && grouping.aggregationKind
    ? oneOf(String(grouping.aggregationKind), ['SingleAlert', 'AlertPerResult'] as const, 'eventGroupingSettings.aggregationKind')
    : 'SingleAlert';
  const custom = o.customDetails;
  if (custom !== undefined && custom !== null && (typeof custom !== 'object' || Array.isArray(custom))) throw bad("'customDetails' must be a mapping");
  const viewText = str(o, 'view', kind === 'CustomDetection' ? 'defender' : 'sentinel');
  const tiMap = tiMapOf(o.tiMap);
  return {
    id: str(o, 'id'),
    name: str(o, 'name'),
    description: str(o, 'description', '').trim(),
    version: str(o, 'version', '1.0.0'),
    kind,
    enabled: o.enabled === undefined ? true : o.enabled === true,
    severity: oneOf(str(o, 'severity', 'Medium'), severities, 'severity'),
    query: str(o, 'query', kind === 'ThreatIntelligence' ? '' : undefined).replace(/\s+$/, ''),
    frequencyMs,
    periodMs,
    triggerOperator: oneOf(str(o, 'triggerOperator', 'gt'), triggerOperators, 'triggerOperator'),
    triggerThreshold: Number(o.triggerThreshold ?? 0),
    tactics: strList(o, 'tactics'),
    techniques: strList(o, 'relevantTechniques'),
    entityMappings: entityMappingsOf(o.entityMappings),
    customDetails: Object.fromEntries(Object.entries((custom ?? {}) as Obj).map(([k, v]) => [k, String(v)])),
    ...(ado && typeof ado === 'object' && !Array.isArray(ado)
      ? { alertDetailsOverride: Object.fromEntries(Object.entries(ado).filter(([, v]) => v !== null).map(([k, v]) => [k, String(v)])) }
      : {}),
    aggregation,
    suppressionEnabled: o.suppressionEnabled === true,
    suppressionMs: o.suppressionDuration ? parseDurationMs(o.suppressionDuration, 'suppressionDuration') : 5 * 3_600_000,
    view: viewText === 'defender' ? 'defender' : 'sentinel',
    ...(tiMap ? { tiMap } : {}),
    ...(opts.builtIn ? { builtIn: true } : {}),
  };
}

export function ruleFromYaml(text: string, opts: { builtIn?: boolean } = {}): RuleSpec {
  return ruleFromYamlObject(parseYaml(text), opts);
}

/** The rule as a Sentinel analytic-rule YAML document (with Quarry's `enabled`, `view`, `tiMap`). */
export function ruleToYaml(r: RuleSpec): string {
  const doc: Obj = {
    id: r.id,
    name: r.name,
    description: r.description,
    severity: r.severity,
    kind: r.kind,
    enabled: r.enabled,
    ...(r.kind === 'NRT' || r.kind === 'ThreatIntelligence' ? {} : { queryFrequency: formatDurationMs(r.frequencyMs), queryPeriod: formatDurationMs(r.periodMs) }),
    triggerOperator: r.triggerOperator,
    triggerThreshold: r.triggerThreshold,
    tactics: [...r.tactics],
    relevantTechniques: [...r.techniques],
    ...(r.query ? { query: `${r.query}\n` } : {}),
    entityMappings: r.entityMappings.map((e) => ({
      entityType: e.entityType,
      fieldMappings: e.fieldMappings.map((f) => ({ identifier: f.identifier, columnName: f.columnName })),
    })),
    ...(Object.keys(r.customDetails).length ? { customDetails: { ...r.customDetails } } : {}),
    ...(r.alertDetailsOverride ? { alertDetailsOverride: { ...r.alertDetailsOverride } as Obj } : {}),
    eventGroupingSettings: { aggregationKind: r.aggregation },
    suppressionEnabled: r.suppressionEnabled,
    suppressionDuration: formatDurationMs(r.suppressionMs),
    view: r.view,
    ...(r.tiMap ? { tiMap: { indicatorKind: r.tiMap.indicatorKind, table: r.tiMap.table, columns: [...r.tiMap.columns] } } : {}),
    version: r.version,
  };
  return stringifyYaml(doc);
}
