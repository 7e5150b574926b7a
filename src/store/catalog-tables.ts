/**
 * The physical tables of a catalog, as the catalog sync creates them.
 */
import { processCatalog, type Catalog } from '../catalog/catalog.js';
import { physicalColumns } from '../catalog/views.js';
import type { PhysicalTable } from './catalog-sync.js';

export function physicalTables(catalog: Catalog): PhysicalTable[] {
  return catalog.listTables().map((def) => ({ name: def.name, columns: physicalColumns(def) }));
}

export function defaultPhysicalTables(): PhysicalTable[] {
  return physicalTables(processCatalog());
}
