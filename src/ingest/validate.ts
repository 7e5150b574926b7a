/**
 * Validation of records against a catalog table: each field is coerced to its column's type, the time
 * column must hold a value, and fields that are not columns follow the table's policy — kept in
 * `AdditionalFields` when the table has that column, rejected otherwise. Defender tables also get the
 * columns their Sentinel view shows: `TimeGenerated` = `Timestamp` and `TenantId` when absent.
 */
import type { TableDef } from '../catalog/types.js';
import { physicalColumns } from '../catalog/views.js';
import { BadField, coerceByType, type Coerce } from './coerce.js';
import { isPlainObject, parseJsonExact } from './json-exact.js';

export type UnknownColumnPolicy = 'additional-fields' | 'reject';

export interface ValidatorOptions {
  /** Default: `additional-fields` when the table has an `AdditionalFields` column, else `reject`. */
  readonly unknownColumns?: UnknownColumnPolicy;
  /** `TenantId` for rows that do not carry one (Defender tables and tables with a TenantId column). */
  readonly tenantId?: string;
}

export type Validated = { readonly row: Record<string, unknown>; readonly time: bigint | null } | { readonly reason: string };

export type RowValidator = (value: Record<string, unknown>) => Validated;

/** The zero GUID: the workspace id of rows that arrive without one. */
export const DEFAULT_TENANT_ID = '00000000-0000-0000-0000-000000000000';

function mergeAdditional(existing: unknown, extra: Record<string, unknown>): unknown {
  if (existing === undefined || existing === null || existing === '') return extra;
  let base: unknown = existing;
  if (typeof existing === 'string') {
    try {
      base = parseJsonExact(existing);
    } catch {
      base = undefined;
    }
  }
  return isPlainObject(base) ? { ...base, ...extra } : { AdditionalFields: existing, ...extra };
}

export function tableValidator(def: TableDef, opts: ValidatorOptions = {}): RowValidator {
  const cols = physicalColumns(def);
  const coercers = new Map<string, Coerce>(cols.map((c) => [c.name, coerceByType[c.type]]));
  const byLower = new Map(cols.map((c) => [c.name.toLowerCase(), c.name]));
  const hasAdditional = coercers.has('AdditionalFields');
  const policy: UnknownColumnPolicy = opts.unknownColumns ?? (hasAdditional ? 'additional-fields' : 'reject');
  const timeColumn = def.timeColumn;
  const defender = def.origin === 'defender';
  const tenantId = coercers.has('TenantId') ? (opts.tenantId ?? DEFAULT_TENANT_ID) : undefined;
  const coerceTime = coercers.get('TimeGenerated');

  return (value) => {
    const row: Record<string, unknown> = {};
    let extra: Record<string, unknown> | undefined;
    for (const key in value) {
      const v = value[key];
      const coerce = coercers.get(key);
      if (coerce === undefined) {
        if (key === 'Type' && v === def.name) continue; // Log Analytics exports carry the constant Type
        if (policy === 'reject') {
          const near = byLower.get(key.toLowerCase());
          return { reason: `unknown column '${key}'${near ? ` (did you mean '${near}'? names are case-sensitive)` : ''}; '${def.name}' keeps no extra fields` };
        }
        (extra ??= {})[key] = v;
        continue;
      }
      if (v === undefined || v === null) continue;
      try {
        const c = coerce(v);
        if (c !== null) row[key] = c;
      } catch (e) {
        if (!(e instanceof BadField)) throw e;
        return { reason: `column '${key}': ${e.message}` };
      }
    }
    if (extra) row.AdditionalFields = mergeAdditional(row.AdditionalFields, extra);
    let time: bigint | null = null;
    if (timeColumn !== undefined) {
      const t = row[timeColumn];
      if (t === undefined) return { reason: `missing time column '${timeColumn}'` };
      time = t as bigint;
    }
    if (defender && row.TimeGenerated === undefined && time !== null && coerceTime) row.TimeGenerated = time;
    if (tenantId !== undefined && row.TenantId === undefined) row.TenantId = tenantId;
    return { row, time };
  };
}
