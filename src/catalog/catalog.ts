/**
 * The table catalog: a name → definition registry with Kusto's case-sensitive lookup and a helpful
 * error for unknown names. Pure data and functions (no I/O). Later features (explorer data sets, alerts,
 * incidents) add their tables with `register`.
 */
import { QuarryError } from '../core/errors.js';
import { nearestName } from './suggest.js';
import { builtinTables } from './tables/index.js';
import type { SchemaView, TableDef, ViewTable } from './types.js';
import { validateTableDef } from './validate-table.js';
import { viewTable } from './views.js';

export interface Catalog {
  /** The table of exactly this name; throws `catalog/unknown-table` (with a suggestion) otherwise. */
  getTable(name: string): TableDef;
  tryGetTable(name: string): TableDef | undefined;
  hasTable(name: string): boolean;
  /** All tables in registration order. */
  listTables(): readonly TableDef[];
  /** Adds a table; throws `catalog/duplicate-table` or a validation error (`catalog/bad-*`). */
  register(def: TableDef): void;
  /** The table as seen through a schema view (see `views.ts`). */
  getView(name: string, view: SchemaView): ViewTable;
}

function freezeDef(def: TableDef): TableDef {
  for (const c of def.columns) Object.freeze(c);
  Object.freeze(def.columns);
  if (def.entityColumns) {
    for (const e of def.entityColumns) Object.freeze(e);
    Object.freeze(def.entityColumns);
  }
  return Object.freeze(def);
}

/** A catalog holding `tables` (validated); empty by default. */
export function createCatalog(tables: Iterable<TableDef> = []): Catalog {
  const byName = new Map<string, TableDef>();

  const catalog: Catalog = {
    getTable(name) {
      const def = byName.get(name);
      if (def) return def;
      const suggestion = nearestName(name, byName.keys());
      const message = suggestion
        ? `Unknown table '${name}'. Did you mean '${suggestion}'?`
        : `Unknown table '${name}'. Table names are case-sensitive; run listTables() (or \`quarry check\`) to see the tables available.`;
      throw new QuarryError('catalog/unknown-table', message, {
        ...(suggestion ? { hints: [`Did you mean '${suggestion}'?`] } : {}),
        details: { table: name, ...(suggestion ? { suggestion } : {}) },
      });
    },
    tryGetTable(name) {
      return byName.get(name);
    },
    hasTable(name) {
      return byName.has(name);
    },
    listTables() {
      return [...byName.values()];
    },
    register(def) {
      validateTableDef(def);
      if (byName.has(def.name)) {
        throw new QuarryError('catalog/duplicate-table', `A table named '${def.name}' is already registered; pick another name or remove the existing one first.`, {
          details: { table: def.name },
        });
      }
      byName.set(def.name, freezeDef(def));
    },
    getView(name, view) {
      return viewTable(catalog.getTable(name), view);
    },
  };

  for (const t of tables) catalog.register(t);
  return catalog;
}

/** A new catalog holding every built-in Defender and Sentinel table. Each call returns a fresh registry. */
export function defaultCatalog(): Catalog {
  return createCatalog(builtinTables);
}

let shared: Catalog | undefined;
/**
 * The process-wide catalog: built-in tables plus those later features register (explorer data sets,
 * alerts, incidents). Queries, the store and the API all use this one unless given another.
 */
export function processCatalog(): Catalog {
  shared ??= defaultCatalog();
  return shared;
}
