/**
 * Creates every catalog table from its physical columns and adds the columns that later catalog versions
 * introduce (`ALTER TABLE … ADD COLUMN`). Never drops or retypes a column: data is not thrown away by a
 * catalog change; a type that differs is reported so an explicit migration can handle it.
 */
import type { ColumnDef } from '../catalog/types.js';
import { QuarryError } from '../core/errors.js';
import { duckdbTypeOf } from '../sql/dialects/duckdb/types.js';
import { quoteIdentifier } from '../sql/dialects/duckdb/literals.js';
import type { Store } from './store.js';

/** A table as stored: its name and physical columns (see `catalog/views.ts` `physicalColumns`). */
export interface PhysicalTable {
  readonly name: string;
  readonly columns: readonly ColumnDef[];
}

export interface CatalogSyncResult {
  readonly created: string[];
  readonly addedColumns: { table: string; column: string }[];
  /** Existing columns whose stored type differs from the catalog (left as they are). */
  readonly mismatched: { table: string; column: string; stored: string; expected: string }[];
}

export function createTableSql(t: PhysicalTable): string {
  const cols = t.columns.map((c) => `${quoteIdentifier(c.name)} ${duckdbTypeOf[c.type]}`);
  return `CREATE TABLE IF NOT EXISTS ${quoteIdentifier(t.name)} (${cols.join(', ')})`;
}

export async function syncCatalogTables(store: Pick<Store, 'query' | 'transaction'>, tables: readonly PhysicalTable[]): Promise<CatalogSyncResult> {
  const result: CatalogSyncResult = { created: [], addedColumns: [], mismatched: [] };
  try {
    const existing = await store.query(
      "SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE schema_name = 'main' AND database_name = current_database()",
    );
    const stored = new Map<string, Map<string, string>>();
    for (const [table, column, type] of existing.rows) {
      const cols = stored.get(String(table)) ?? new Map<string, string>();
      cols.set(String(column), String(type));
      stored.set(String(table), cols);
    }
    await store.transaction(async (tx) => {
      for (const t of tables) {
        const cols = stored.get(t.name);
        if (!cols) {
          await tx.exec(createTableSql(t));
          result.created.push(t.name);
          continue;
        }
        for (const c of t.columns) {
          const want = duckdbTypeOf[c.type];
          const have = cols.get(c.name);
          if (have === undefined) {
            await tx.exec(`ALTER TABLE ${quoteIdentifier(t.name)} ADD COLUMN ${quoteIdentifier(c.name)} ${want}`);
            result.addedColumns.push({ table: t.name, column: c.name });
          } else if (have.toUpperCase() !== want) {
            result.mismatched.push({ table: t.name, column: c.name, stored: have, expected: want });
          }
        }
      }
    });
  } catch (e) {
    if (e instanceof QuarryError && e.code === 'store/migration-failed') throw e;
    throw new QuarryError('store/migration-failed', `catalog sync failed: ${(e as Error).message}`, { cause: e });
  }
  return result;
}
