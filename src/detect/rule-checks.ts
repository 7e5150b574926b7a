/**
 * Rule validation on save/import: the query compiles, the columns the rule refers to (entity mappings,
 * custom details, `{{Column}}` placeholders) are in its result, Sentinel's limits hold, and Defender
 * custom detections return `Timestamp`, `ReportId` and an entity column (and, when continuous/NRT, read
 * one table without joins, unions, externaldata or comments).
 */
import { QuarryError } from '../core/errors.js';
import { compileKql } from '../hunt/compile.js';
import { defenderEntityColumns, defenderLookback, defenderNrtTables, type RuleSpec } from './rule-types.js';
import { placeholders } from './templates.js';

function bad(rule: RuleSpec, message: string, hints?: string[]): QuarryError {
  return new QuarryError('detect/bad-rule', `rule '${rule.name}': ${message}`, { ...(hints ? { hints } : {}), details: { ruleId: rule.id } });
}

const MIN = 60_000;
const DAY = 86_400_000;

/** Throws `detect/bad-rule` (or the compiler's `kql/*` error) when the rule cannot be saved; returns its result columns. */
export function checkRule(rule: RuleSpec): string[] {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(rule.id)) throw bad(rule, `id '${rule.id}' must be 1–128 letters, digits, '.', '_' or '-'`);
  if (rule.name.trim() === '') throw bad(rule, 'the name is empty');
  if (rule.kind === 'ThreatIntelligence') return [];
  if (rule.kind === 'Scheduled') {
    if (rule.frequencyMs < 5 * MIN || rule.frequencyMs > 14 * DAY) throw bad(rule, 'queryFrequency must be between 5 minutes and 14 days');
    if (rule.periodMs < 5 * MIN || rule.periodMs > 14 * DAY) throw bad(rule, 'queryPeriod must be between 5 minutes and 14 days');
  }
  if (rule.kind === 'CustomDetection' && rule.frequencyMs !== 0 && !defenderLookback.has(rule.frequencyMs)) {
    throw bad(rule, 'a custom detection runs every 1h, 3h, 12h or 24h (or continuously)', ['set queryFrequency to PT1H, PT3H, PT12H or PT24H']);
  }
  if (!Number.isFinite(rule.triggerThreshold) || rule.triggerThreshold < 0) throw bad(rule, 'triggerThreshold must be a number ≥ 0');
  if (rule.entityMappings.length > 10) throw bad(rule, 'at most 10 entity mappings are allowed');
  for (const e of rule.entityMappings) if (e.fieldMappings.length > 3) throw bad(rule, `the ${e.entityType} mapping has more than 3 identifiers`);
  if (Object.keys(rule.customDetails).length > 20) throw bad(rule, 'at most 20 custom details are allowed');

  const nrtLike = rule.kind === 'NRT' || (rule.kind === 'CustomDetection' && rule.frequencyMs === 0);
  if (nrtLike && rule.kind === 'CustomDetection') {
    const text = rule.query;
    if (/\/\//.test(text)) throw bad(rule, 'a continuous (NRT) custom detection may not contain comments');
    if (/\b(join|union|externaldata|lookup)\b/i.test(text)) throw bad(rule, 'a continuous (NRT) custom detection may not use join, union, lookup or externaldata');
  }

  const compiled = compileKql(rule.query, { view: rule.view, now: new Date(0) });
  const cols = compiled.schema.map((c) => c.name);
  const have = new Set(cols);
  const need = (col: string, what: string) => {
    if (!have.has(col)) throw bad(rule, `${what} refers to column '${col}', which the query does not return`, [`the query returns: ${cols.slice(0, 30).join(', ')}`]);
  };
  for (const e of rule.entityMappings) for (const f of e.fieldMappings) need(f.columnName, `the ${e.entityType}.${f.identifier} entity mapping`);
  for (const [name, col] of Object.entries(rule.customDetails)) need(col, `custom detail '${name}'`);
  const ado = rule.alertDetailsOverride;
  for (const [field, fmt] of [['alertDisplayNameFormat', ado?.alertDisplayNameFormat], ['alertDescriptionFormat', ado?.alertDescriptionFormat]] as const) {
    if (!fmt) continue;
    const ps = placeholders(fmt);
    if (field === 'alertDisplayNameFormat' && ps.length > 3) throw bad(rule, 'alertDisplayNameFormat may use at most 3 {{Column}} placeholders');
    for (const p of ps) need(p, field);
  }
  if (ado?.alertSeverityColumnName) need(ado.alertSeverityColumnName, 'alertSeverityColumnName');

  if (rule.kind === 'CustomDetection') {
    need('Timestamp', 'a custom detection (required column)');
    need('ReportId', 'a custom detection (required column)');
    if (!defenderEntityColumns.some((c) => have.has(c))) {
      throw bad(rule, 'a custom detection must return at least one entity column', [`one of: ${defenderEntityColumns.join(', ')}`]);
    }
    if (nrtLike) {
      const tables = new Set<string>();
      const walk = (x: unknown): void => {
        if (!x || typeof x !== 'object') return;
        if ((x as { op?: string }).op === 'scan') tables.add((x as { table: string }).table);
        for (const v of Array.isArray(x) ? x : Object.values(x)) walk(v);
      };
      walk(compiled.plan);
      if (tables.size !== 1) throw bad(rule, `a continuous (NRT) custom detection reads exactly one table, this one reads ${tables.size}`);
      const t = [...tables][0]!;
      if (!(defenderNrtTables as readonly string[]).includes(t)) throw bad(rule, `table '${t}' is not available to continuous (NRT) custom detections`);
    }
  }
  return cols;
}
