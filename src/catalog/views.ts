/**
 * One table definition, three shapes:
 * - the physical layout the store creates (`physicalColumns`);
 * - the Defender XDR view (advanced hunting: `Timestamp`, no workspace columns);
 * - the Sentinel / Log Analytics view (`TenantId`, `TimeGenerated`, `SourceSystem`, `Type` and the table's
 *   `sentinelColumns` added, columns in the order the Azure Monitor table reference publishes them).
 * Queries bind against a view; `mapping` tells the planner which stored column (or constant) feeds each
 * view column, so one stored row serves both dialects of the same hunting query.
 */
import type { ColumnDef, SchemaView, TableDef, ViewTable } from './types.js';

/**
 * Columns Sentinel adds to a Defender table it receives through the Microsoft 365 Defender connector.
 * They are stored; `Type` is not (it is always the table name).
 */
export const sentinelAddedColumns: readonly ColumnDef[] = [
  { name: 'TenantId', type: 'string', description: 'Log Analytics workspace id (Sentinel view).' },
  { name: 'TimeGenerated', type: 'datetime', description: 'Event time in the Sentinel view; ingest sets it to Timestamp.' },
  { name: 'SourceSystem', type: 'string', description: 'Type of agent the event was collected by (Sentinel view).' },
];

/** The `Type` column every Log Analytics table has: a constant holding the table name. */
export const typeColumn: ColumnDef = { name: 'Type', type: 'string', description: 'The name of the table.' };

/** What the store creates for a table, in order. */
export function physicalColumns(def: TableDef): ColumnDef[] {
  if (def.origin === 'defender') {
    const own = new Set(def.columns.map((c) => c.name));
    // A few Defender tables (IdentityInfo) already document TenantId/SourceSystem: store them once.
    return [...def.columns, ...sentinelAddedColumns.filter((c) => !own.has(c.name)), ...(def.sentinelColumns ?? [])];
  }
  return def.columns.filter((c) => c.name !== 'Type');
}

/**
 * Orders column names as the Azure Monitor table reference lists them: alphabetically, case-insensitive,
 * by UTF-16 code unit (so `Client_IPAddress` sorts before `ClientAppId`, as published).
 */
export function azureMonitorOrder(a: ColumnDef, b: ColumnDef): number {
  const x = a.name.toLowerCase();
  const y = b.name.toLowerCase();
  if (x !== y) return x < y ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function physical(name: string): { readonly physical: string } {
  return { physical: name };
}

function sameInBothViews(def: TableDef, view: SchemaView): ViewTable {
  const mapping: Record<string, { physical: string } | { constant: string }> = {};
  for (const c of def.columns) mapping[c.name] = c.name === 'Type' ? { constant: def.name } : physical(c.name);
  return { name: def.name, view, columns: def.columns, ...(def.timeColumn ? { timeColumn: def.timeColumn } : {}), mapping, def };
}

function defenderView(def: TableDef): ViewTable {
  const mapping: Record<string, { physical: string }> = {};
  for (const c of def.columns) mapping[c.name] = physical(c.name);
  return { name: def.name, view: 'defender', columns: def.columns, ...(def.timeColumn ? { timeColumn: def.timeColumn } : {}), mapping, def };
}

function sentinelViewOfDefender(def: TableDef): ViewTable {
  // A Defender column named `Type` (IdentityInfo's identity type) is shadowed by Log Analytics' `Type`.
  const own = def.columns.filter((c) => c.name !== 'Type');
  const ownNames = new Set(own.map((c) => c.name));
  const added = sentinelAddedColumns.filter((c) => !ownNames.has(c.name));
  const columns = [...own, ...added, ...(def.sentinelColumns ?? []), typeColumn].sort(azureMonitorOrder);
  const mapping: Record<string, { physical: string } | { constant: string }> = {};
  for (const c of columns) mapping[c.name] = c.name === 'Type' ? { constant: def.name } : physical(c.name);
  return { name: def.name, view: 'sentinel', columns, timeColumn: 'TimeGenerated', mapping, def };
}

/** The table as a query sees it in the given schema view. */
export function viewTable(def: TableDef, view: SchemaView): ViewTable {
  if (def.origin !== 'defender') return sameInBothViews(def, view);
  return view === 'defender' ? defenderView(def) : sentinelViewOfDefender(def);
}
