/**
 * The table catalog is data: tables, columns, KQL types, time column and entity columns.
 * Defender and Sentinel views of a table are derived from one definition (see `views.ts`).
 */

/** KQL scalar type names, as Kusto spells them. */
export const kqlScalarTypes = ['bool', 'datetime', 'decimal', 'dynamic', 'guid', 'int', 'long', 'real', 'string', 'timespan'] as const;
export type KqlScalarType = (typeof kqlScalarTypes)[number];

export function isKqlScalarType(s: string): s is KqlScalarType {
  return (kqlScalarTypes as readonly string[]).includes(s);
}

/** Kinds of entity a column can hold: used by NRT matching, alert entity mapping and the Explorer. */
export const entityKinds = [
  'ip', 'domain', 'url', 'host', 'account', 'upn', 'sid', 'email', 'file-hash', 'md5', 'sha1', 'sha256',
  'file-name', 'process', 'device-id', 'mailbox', 'command-line',
] as const;
export type EntityKind = (typeof entityKinds)[number];

export function isEntityKind(s: string): s is EntityKind {
  return (entityKinds as readonly string[]).includes(s);
}

export interface ColumnDef {
  readonly name: string;
  readonly type: KqlScalarType;
  readonly description?: string;
}

export interface EntityColumn {
  readonly column: string;
  readonly kind: EntityKind;
}

/**
 * Where a table comes from:
 * - `defender`: a Defender XDR advanced-hunting table (time column `Timestamp`); its Sentinel view adds
 *   `TenantId`, `TimeGenerated`, `SourceSystem` and `Type`.
 * - `sentinel`: a Log Analytics / Sentinel table (time column `TimeGenerated`, has `TenantId` and `Type`);
 *   it looks the same in both views.
 * - `quarry`: Quarry's own tables (explorer data sets, internal state); same in both views.
 */
export type TableOrigin = 'defender' | 'sentinel' | 'quarry';

export type TableCategory = 'event' | 'indicator' | 'alert' | 'explorer' | 'intel' | 'system';

export interface TableDef {
  readonly name: string;
  readonly origin: TableOrigin;
  readonly category: TableCategory;
  /** Columns in the published order for the table's own view (Defender order for `defender` tables). */
  readonly columns: readonly ColumnDef[];
  /** The column holding event time in the table's own view (`Timestamp` or `TimeGenerated`); absent for timeless tables. */
  readonly timeColumn?: string;
  readonly entityColumns?: readonly EntityColumn[];
  /**
   * `defender` tables only: columns the Sentinel (Azure Monitor) schema of the table has and the Defender
   * schema does not, e.g. `MachineGroup` on the Device* event tables. Stored; visible in the Sentinel view only.
   */
  readonly sentinelColumns?: readonly ColumnDef[];
  readonly description?: string;
  /** Where the schema was taken from (doc page). */
  readonly source?: string;
}

/** Which schema view a query binds against. */
export type SchemaView = 'defender' | 'sentinel';

/** A table as seen through a view: the column list a query sees and how each maps onto storage. */
export interface ViewTable {
  readonly name: string;
  readonly view: SchemaView;
  readonly columns: readonly ColumnDef[];
  readonly timeColumn?: string;
  /** For each view column, the physical column that holds it, or a constant (e.g. `Type`). */
  readonly mapping: Readonly<Record<string, { readonly physical: string } | { readonly constant: string }>>;
  readonly def: TableDef;
}
