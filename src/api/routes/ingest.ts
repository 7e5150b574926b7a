/**
 * `POST /api/ingest/:table`: a minimal, honest ingest. The body is NDJSON (`application/x-ndjson`) or a JSON
 * array of objects (`application/json`); all rows are appended in one transaction and `{accepted}` is sent
 * only after the commit. Any bad row refuses the whole body (`store/bad-row` names it). The full pipeline
 * (formats, quarantine, idempotency) belongs to `src/ingest/` later.
 */
import type { FastifyInstance } from 'fastify';
import type { Catalog } from '../../catalog/catalog.js';
import { QuarryError } from '../../core/errors.js';
import type { Store } from '../../store/store.js';
import { parseJsonExact } from '../exact-json.js';

const ndjsonTypes = ['application/x-ndjson', 'application/ndjson', 'application/jsonl', 'application/x-jsonlines'];

function parseNdjson(text: string): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = parseJsonExact(line);
    } catch (e) {
      throw new QuarryError('ingest/bad-format', `line ${i + 1} is not valid JSON: ${(e as Error).message}`, { details: { line: i + 1 } });
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new QuarryError('ingest/bad-format', `line ${i + 1} is not a JSON object`, { details: { line: i + 1 } });
    }
    rows.push(value as Record<string, unknown>);
  }
  return rows;
}

function parseJsonRows(text: string): Record<string, unknown>[] {
  if (text.trim() === '') return [];
  let value: unknown;
  try {
    value = parseJsonExact(text);
  } catch (e) {
    throw new QuarryError('ingest/bad-format', `the body is not valid JSON: ${(e as Error).message}`);
  }
  const rows = Array.isArray(value) ? value : [value];
  rows.forEach((r, i) => {
    if (r === null || typeof r !== 'object' || Array.isArray(r)) {
      throw new QuarryError('ingest/bad-format', `element ${i} of the body is not a JSON object`, { details: { row: i } });
    }
  });
  return rows as Record<string, unknown>[];
}

export function registerIngestRoutes(app: FastifyInstance, store: Store, catalog: Catalog, bodyLimit: number): void {
  // Own parsers in an encapsulated scope: the raw text is parsed here so integers beyond 2^53 stay exact.
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(['application/json', ...ndjsonTypes], { parseAs: 'string', bodyLimit }, (_req, body, done) => {
      done(null, body);
    });
    scope.post<{ Params: { table: string }; Body: string }>('/api/ingest/:table', async (request) => {
      const def = catalog.getTable(request.params.table);
      const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      const text = typeof request.body === 'string' ? request.body : '';
      const rows = ndjsonTypes.includes(type) ? parseNdjson(text) : parseJsonRows(text);
      const accepted = await store.append(def.name, rows);
      request.log.info({ table: def.name, accepted }, 'ingest committed');
      return { accepted };
    });
  });
}
