/**
 * Checks a table definition before it enters a catalog. Built-in tables pass through the same checks as
 * tables registered later (explorer data sets, alerts, incidents), so a bad definition fails at startup
 * with a message naming the table and column rather than as a store or binder error later.
 */
import { QuarryError } from '../core/errors.js';
import { isEntityKind, isKqlScalarType, type TableCategory, type TableDef, type TableOrigin } from './types.js';
import { physicalColumns, sentinelAddedColumns } from './views.js';

const origins: readonly TableOrigin[] = ['defender', 'sentinel', 'quarry'];
const categories: readonly TableCategory[] = ['event', 'indicator', 'alert', 'explorer', 'intel', 'system'];
const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

function bad(def: { name?: unknown }, message: string): QuarryError {
  return new QuarryError('catalog/bad-table', `table '${String(def.name)}': ${message}`);
}

export function validateTableDef(def: TableDef): void {
  if (typeof def.name !== 'string' || !identifier.test(def.name)) {
    throw new QuarryError('catalog/bad-table', `'${String(def.name)}' is not a valid table name (letters, digits, '_'; not starting with a digit)`);
  }
  if (!origins.includes(def.origin)) throw bad(def, `origin '${String(def.origin)}' is not one of ${origins.join(', ')}`);
  if (!categories.includes(def.category)) throw bad(def, `category '${String(def.category)}' is not one of ${categories.join(', ')}`);
  if (!Array.isArray(def.columns) || def.columns.length === 0) throw bad(def, 'has no columns');

  if (def.sentinelColumns !== undefined && def.origin !== 'defender') {
    throw bad(def, "only Defender tables have 'sentinelColumns' (a Sentinel table lists all its columns in 'columns')");
  }
  const byName = new Map<string, string>();
  for (const c of [...def.columns, ...(def.sentinelColumns ?? [])]) {
    if (typeof c.name !== 'string' || !identifier.test(c.name)) {
      throw new QuarryError('catalog/bad-column', `table '${def.name}': '${String(c.name)}' is not a valid column name`);
    }
    if (!isKqlScalarType(String(c.type))) {
      throw new QuarryError('catalog/bad-type', `table '${def.name}': column '${c.name}' has type '${String(c.type)}', which is not a KQL scalar type`);
    }
    // The store (DuckDB) folds identifier case, so names differing only in case would collide there.
    const key = c.name.toLowerCase();
    const clash = byName.get(key);
    if (clash !== undefined) {
      throw new QuarryError('catalog/bad-column', `table '${def.name}': column '${c.name}' duplicates '${clash}' (column names must differ beyond letter case)`);
    }
    byName.set(key, c.name);
  }

  if (def.origin === 'defender') {
    for (const added of sentinelAddedColumns) {
      const own = def.columns.find((c) => c.name === added.name);
      if (own && own.type !== added.type) {
        throw bad(def, `column '${added.name}' must be ${added.type}: Sentinel adds it to Defender tables with that type`);
      }
      if (def.sentinelColumns?.some((c) => c.name === added.name || c.name === 'Type')) {
        throw bad(def, `'sentinelColumns' must not list '${added.name}' or 'Type': the Sentinel view adds them itself`);
      }
    }
  } else if (def.origin === 'sentinel') {
    const type = def.columns.find((c) => c.name === 'Type');
    if (!type || type.type !== 'string') throw bad(def, "a Sentinel table needs a string 'Type' column (the table name)");
  }

  if (def.timeColumn !== undefined) {
    const t = def.columns.find((c) => c.name === def.timeColumn);
    if (!t) throw bad(def, `time column '${def.timeColumn}' is not one of its columns`);
    if (t.type !== 'datetime') throw bad(def, `time column '${def.timeColumn}' is ${t.type}, not datetime`);
  }

  const physical = new Set(physicalColumns(def).map((c) => c.name));
  const seen = new Set<string>();
  for (const e of def.entityColumns ?? []) {
    if (!isEntityKind(String(e.kind))) throw bad(def, `entity column '${e.column}' has unknown kind '${String(e.kind)}'`);
    if (!physical.has(e.column)) {
      throw bad(def, `entity column '${e.column}' is not one of its stored columns`);
    }
    const key = `${e.column}\u0000${e.kind}`;
    if (seen.has(key)) throw bad(def, `entity column '${e.column}' is listed twice as '${e.kind}'`);
    seen.add(key);
  }
}
