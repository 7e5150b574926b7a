/**
 * Test helper: binds KQL text against the catalog with the official Kusto language service and returns
 * the name-resolution errors (unknown table, unknown column or name). Lives under test/ because only
 * `src/kql/` may touch Bridge objects in product code.
 */
import { createRequire } from 'node:module';
import type { Catalog } from '../../src/catalog/catalog.js';
import type { SchemaView } from '../../src/catalog/types.js';

const require = createRequire(import.meta.url);
require('@kusto/language-service-next/bridge.js');
require('@kusto/language-service-next/Kusto.Language.Bridge.js');

const K = (globalThis as any).Kusto.Language;

export interface NameError {
  readonly code: string;
  readonly message: string;
}

/** A Kusto global state whose default database holds every catalog table as seen through `view`. */
export function globalStateFor(catalog: Catalog, view: SchemaView): unknown {
  const tables = catalog.listTables().map((def) => {
    const v = catalog.getView(def.name, view);
    const schema = `(${v.columns.map((c) => `['${c.name}']:${c.type}`).join(', ')})`;
    return new K.Symbols.TableSymbol.$ctor7(def.name, schema, null);
  });
  const db = new K.Symbols.DatabaseSymbol.ctor('quarry', tables);
  return K.GlobalState.Default.WithDatabase(db);
}

/** Errors KS204 (unknown table/function) and KS142 (unknown column/name) found when binding `text`. */
export function nameErrors(text: string, globals: unknown): NameError[] {
  const code = K.KustoCode.ParseAndAnalyze(text, globals);
  const diags = code.GetDiagnostics();
  const out: NameError[] = [];
  for (let i = 0; i < diags.Count; i++) {
    const d = diags.getItem(i);
    if (d.Code === 'KS204' || d.Code === 'KS142') out.push({ code: String(d.Code), message: String(d.Message) });
  }
  return out;
}
