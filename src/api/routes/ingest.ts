/**
 * Ingest over HTTP (logic in `src/ingest/`):
 * - `POST /api/ingest/:table` — NDJSON (`application/x-ndjson`), JSON array (`application/json`), CSV
 *   (`text/csv`), or `?format=ndjson|json|csv|sentinel|zeek` (Zeek: `&path=dns` when the body has no header);
 * - `POST /api/ingest/m365d` — Defender streaming envelopes, routed by category;
 * - `POST /api/ingest/sentinel/:stream` — the Logs Ingestion API body (JSON array) for stream `Custom-<Table>`;
 * - `GET /api/connectors` — the data connectors status.
 * A request body is one batch: committed in one transaction with its quarantined rows and batch record,
 * acknowledged only after the commit. `X-Batch-Id` (or `Idempotency-Key`) names the batch; without one the
 * content hash does, so a retried request is a no-op (`duplicate` counts its rows). A full queue answers 429
 * with `Retry-After` before the body is read. gzip bodies (`Content-Encoding: gzip` or gzip bytes) are read.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { QuarryError } from '../../core/errors.js';
import { useFastPath } from '../../ingest/fast/choose.js';
import { ingestNdjsonFastShared } from '../../ingest/fast/ndjson-fast.js';
import { bufferSource } from '../../ingest/input.js';
import { ingest } from '../../ingest/pipeline.js';
import { startIngestServices } from '../../ingest/services.js';
import { connectorStatus } from '../../ingest/status.js';
import { isIngestFormat, type IngestFormat } from '../../ingest/types.js';
import type { RouteDeps } from './index.js';

const ndjsonTypes = ['application/x-ndjson', 'application/ndjson', 'application/jsonl', 'application/x-jsonlines', 'application/json-seq'];
const accepted = [...ndjsonTypes, 'application/json', 'text/csv', 'text/plain', 'application/octet-stream', 'application/gzip', 'application/x-gzip'];
const BATCH_ID_RE = /^[A-Za-z0-9._:#/+=-]{1,200}$/;

function formatOf(request: FastifyRequest<{ Querystring: { format?: string } }>): IngestFormat {
  const given = request.query.format;
  if (given !== undefined) {
    if (!isIngestFormat(given)) throw new QuarryError('core/bad-argument', `format '${given}' is not one of ndjson, json, csv, m365d, sentinel, zeek`);
    return given;
  }
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (ndjsonTypes.includes(type)) return 'ndjson';
  if (type === 'text/csv') return 'csv';
  if (type === 'application/json') return 'json';
  throw new QuarryError('core/unsupported-media-type', `content type '${type || '(none)'}' does not say the format; add ?format=ndjson|json|csv|zeek`);
}

function batchIdOf(request: FastifyRequest): string | undefined {
  const v = request.headers['x-batch-id'] ?? request.headers['idempotency-key'];
  if (v === undefined) return undefined;
  const id = Array.isArray(v) ? v[0]! : v;
  if (!BATCH_ID_RE.test(id)) throw new QuarryError('api/bad-request', 'X-Batch-Id must be 1-200 characters of letters, digits and ._:#/+=-');
  return id;
}

export function registerIngestRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { store, catalog, logger } = deps;
  const services = startIngestServices(store, { catalog, logger });
  app.addHook('onClose', async () => services.stop());

  void app.register(async (scope) => {
    // Own parsers: bodies stay bytes and are read by the ingest readers (exact 64-bit integers, gzip, CSV).
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(accepted, { parseAs: 'buffer', bodyLimit: deps.config.bodyLimit }, (_req, body, done) => done(null, body));
    // Backpressure before the body is read.
    scope.addHook('onRequest', async (request, reply) => {
      if (request.method !== 'POST') return;
      const len = Number(request.headers['content-length'] ?? 0);
      try {
        // Released when the response is done or the connection dropped, whatever happened in between.
        reply.raw.once('close', services.queue.enter(Number.isFinite(len) ? len : 0));
      } catch (e) {
        void reply.header('Retry-After', String(services.queue.retryAfterSeconds));
        throw e;
      }
    });

    const run = async (request: FastifyRequest, format: IngestFormat, table: string | undefined, extra: { zeekPath?: string } = {}) => {
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const batchId = batchIdOf(request);
      const summary = await (useFastPath(format, table, 'http') ? ingestNdjsonFastShared : ingest)(store, bufferSource(body), {
        source: `http:${format}`,
        format,
        ...(table !== undefined ? { table } : {}),
        ...(extra.zeekPath ? { zeekPath: extra.zeekPath } : {}),
        ...(batchId !== undefined ? { batchId } : {}),
        batchRows: Infinity,
        catalog,
      });
      request.log.info({ table, format, accepted: summary.accepted, rejected: summary.rejected, duplicate: summary.duplicate }, 'ingest committed');
      const { batchIds, ms, ...rest } = summary;
      return { batchId: batchIds[0] ?? null, ...rest, ms: Math.round(ms) };
    };

    scope.post('/api/ingest/m365d', async (request) => run(request, 'm365d', undefined));
    scope.post<{ Params: { stream: string } }>('/api/ingest/sentinel/:stream', async (request) => run(request, 'sentinel', request.params.stream));
    scope.post<{ Params: { table: string }; Querystring: { format?: string; path?: string } }>('/api/ingest/:table', async (request) => {
      const format = formatOf(request);
      const table = format === 'zeek' || format === 'm365d' ? undefined : catalog.getTable(request.params.table).name;
      return run(request, format, table, request.query.path ? { zeekPath: request.query.path } : {});
    });
  });

  // Readers may see the status; a scoped token needs the ingest scope (the URL's own area would be 'connectors').
  app.get('/api/connectors', { config: { auth: { role: 'reader', scope: 'ingest' } } }, async () => ({ connectors: await connectorStatus(store) }));
}
