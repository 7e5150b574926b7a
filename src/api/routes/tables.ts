/** `GET /api/tables` (and `/api/tables/:name`): the table catalog as data. */
import type { FastifyInstance } from 'fastify';
import type { Catalog } from '../../catalog/catalog.js';
import type { TableDef } from '../../catalog/types.js';

export interface TableInfo {
  name: string;
  origin: TableDef['origin'];
  category: TableDef['category'];
  description?: string;
  timeColumn?: string;
  columns: { name: string; type: string; description?: string }[];
  entityColumns: { column: string; kind: string }[];
}

export function tableInfo(def: TableDef): TableInfo {
  return {
    name: def.name,
    origin: def.origin,
    category: def.category,
    ...(def.description ? { description: def.description } : {}),
    ...(def.timeColumn ? { timeColumn: def.timeColumn } : {}),
    columns: def.columns.map((c) => ({ name: c.name, type: c.type, ...(c.description ? { description: c.description } : {}) })),
    entityColumns: (def.entityColumns ?? []).map((e) => ({ column: e.column, kind: e.kind })),
  };
}

export function registerTableRoutes(app: FastifyInstance, catalog: Catalog): void {
  app.get('/api/tables', async () => ({ tables: catalog.listTables().map(tableInfo) }));
  app.get<{ Params: { name: string } }>('/api/tables/:name', async (request) => tableInfo(catalog.getTable(request.params.name)));
}
