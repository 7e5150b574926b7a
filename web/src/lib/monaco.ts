/**
 * Monaco with `@kusto/monaco-kusto` (highlighting, completion, diagnostics from the official Kusto
 * language service, running in a web worker). Loaded lazily by the hunting page so other pages stay light.
 * The schema comes from `GET /api/hunt/schema` and is handed to the Kusto worker as one database.
 */
import * as monaco from 'monaco-editor/esm/vs/editor/editor.api';
import 'monaco-editor/esm/vs/editor/edcore.main';
import EditorWorker from 'monaco-editor/esm/vs/editor/editor.worker?worker';
import KustoWorker from '@kusto/monaco-kusto/release/esm/kusto.worker?worker';
import { getKustoWorker } from '@kusto/monaco-kusto';
import type { EngineSchema } from '@kusto/monaco-kusto';

declare global {
  interface Window {
    MonacoEnvironment?: monaco.Environment;
  }
}

self.MonacoEnvironment = {
  getWorker(_id: string, label: string) {
    return label === 'kusto' ? new KustoWorker() : new EditorWorker();
  },
};

export { monaco };

export interface SchemaTable {
  readonly name: string;
  readonly description?: string;
  readonly columns: readonly { name: string; type: string; description?: string }[];
}

export async function setKustoSchema(model: monaco.editor.ITextModel, tables: readonly SchemaTable[]): Promise<void> {
  const database = {
    name: 'Quarry',
    tables: tables.map((t) => ({ name: t.name, docstring: t.description, columns: t.columns.map((c) => ({ name: c.name, type: c.type, docstring: c.description })) })),
    functions: [],
    entityGroups: [],
    majorVersion: 1,
    minorVersion: 0,
  };
  const schema: EngineSchema = { clusterType: 'Engine', cluster: { connectionString: 'https://quarry', databases: [database] }, database };
  const accessor = await getKustoWorker();
  const worker = await accessor(model.uri);
  await worker.setSchema(schema);
}
