/** Public surface of the table catalog. */
export * from './types.js';
export { createCatalog, defaultCatalog, processCatalog, type Catalog } from './catalog.js';
export { physicalColumns, viewTable, sentinelAddedColumns, typeColumn, azureMonitorOrder } from './views.js';
export { validateTableDef } from './validate-table.js';
export { nearestName } from './suggest.js';
export { builtinTables } from './tables/index.js';
