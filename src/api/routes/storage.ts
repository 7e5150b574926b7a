/**
 * The storage data plane, shaped like Azure Blob Storage: `PUT|GET|HEAD|DELETE /storage/{container}/{blob}`
 * (bodies streamed, never buffered), `PUT|GET|DELETE /storage/{container}` (create, list, delete), and
 * `POST /api/storage/externaldata` (upload a CSV, get its signed URL and a KQL snippet).
 *
 * A request with `sig` in its query is authorized by the signed URL alone (expiry, policy, protocol,
 * IP, permission); one without is an account-level request, which the API's authentication must guard.
 * Routes that accept a signed URL declare `auth: 'sas'` (the access-control hook lets a request with
 * `sig` through for the route to verify); their own log lines redact the URL (`redactUrl`).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { QuarryError } from '../../core/errors.js';
import { redactUrl } from '../../core/log.js';
import { parseIsoDuration } from '../../core/time.js';
import { shareCsvForHunting } from '../../blob/one-click.js';
import type { Permission } from '../../blob/sas-permissions.js';
import { storageSettings } from '../../blob/settings.js';
import { openStorage, type Storage } from '../../blob/storage.js';
import type { BlobMeta } from '../../blob/blob-store.js';
import type { RouteDeps } from './index.js';

type Req = FastifyRequest<{ Params: { container: string; '*'?: string }; Querystring: Record<string, string> }>;

function queryOf(request: FastifyRequest): URLSearchParams {
  const i = request.url.indexOf('?');
  return new URLSearchParams(i >= 0 ? request.url.slice(i + 1) : '');
}

/** Account-level access (no signature): allowed here; the API's authentication layer decides who may. */
async function authorize(storage: Storage, request: FastifyRequest, container: string, blob: string | undefined, permission: Permission): Promise<void> {
  const params = queryOf(request);
  if (!params.has('sig')) return;
  try {
    await storage.authorize({
      container, ...(blob !== undefined ? { blob } : {}), permission, params,
      protocol: request.protocol === 'https' ? 'https' : 'http', clientIp: request.ip,
    });
  } catch (e) {
    if (e instanceof QuarryError) {
      request.log.warn({ code: e.code, reason: e.details?.reason, method: request.method, url: redactUrl(request.url), ip: request.ip }, 'signed URL refused');
    }
    throw e;
  }
}

function refuseSas(request: FastifyRequest, what: string): void {
  if (queryOf(request).has('sig')) {
    throw new QuarryError('blob/permission-mismatch', `a signed URL cannot ${what}; use an account-level request`, {
      details: { azureCode: 'AuthorizationPermissionMismatch', reason: `signed URLs cannot ${what}` },
    });
  }
}

function metaJson(m: BlobMeta) {
  return { container: m.container, name: m.name, size: m.size, contentType: m.contentType, md5: m.md5, etag: m.etag, created: m.created, lastModified: m.lastModified };
}

function setBlobHeaders(reply: FastifyReply, m: BlobMeta): void {
  void reply
    .header('etag', m.etag)
    .header('last-modified', new Date(m.lastModified).toUTCString())
    .header('content-md5', m.md5)
    .header('x-ms-blob-type', 'BlockBlob')
    .header('x-ms-creation-time', new Date(m.created).toUTCString());
}

function validForMs(v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  try {
    return Number(parseIsoDuration(v) / 1000n);
  } catch {
    throw new QuarryError('api/bad-request', `validFor '${v}' is not an ISO 8601 duration such as PT8H or P7D`);
  }
}

export function registerStorageRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const storage = openStorage(deps.config.dataDir);
  const settings = storageSettings(deps.config);
  const baseUrlOf = (request: FastifyRequest) => process.env.QUARRY_PUBLIC_URL ? settings.publicUrl : `${request.protocol}://${request.host}`;

  void app.register(async (scope) => {
    // Bodies stay unread streams: uploads are written to disk chunk by chunk under the size cap.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    // A signed URL is the credential for the data plane; without one the caller needs API credentials.
    const sas = { config: { auth: 'sas' as const } };

    scope.put('/storage/:container', async (request: Req, reply) => {
      refuseSas(request, 'create containers');
      const r = await storage.blobs.createContainer(request.params.container);
      request.log.info({ container: request.params.container }, 'container created');
      return reply.status(201).send({ container: request.params.container, created: r.created });
    });

    scope.get('/storage/:container', sas, async (request: Req) => {
      const { container } = request.params;
      await authorize(storage, request, container, undefined, 'l');
      const blobs = await storage.blobs.listBlobs(container, request.query.prefix ?? '');
      return { container, blobs: blobs.map(metaJson) };
    });

    scope.delete('/storage/:container', async (request: Req, reply) => {
      refuseSas(request, 'delete containers');
      await storage.blobs.deleteContainer(request.params.container);
      request.log.info({ container: request.params.container }, 'container deleted');
      return reply.status(202).send({ container: request.params.container, deleted: true });
    });

    scope.put('/storage/:container/*', sas, async (request: Req, reply) => {
      const { container } = request.params;
      const blob = request.params['*'] ?? '';
      await authorize(storage, request, container, blob, 'w');
      const declared = Number(request.headers['content-length'] ?? NaN);
      if (declared > settings.maxBlobBytes) {
        // Refused before reading a byte; the connection is closed so the client stops sending.
        void reply.header('connection', 'close');
        throw new QuarryError('core/too-large', `blob '${blob}' (${declared} bytes) is larger than the limit of ${settings.maxBlobBytes} bytes; nothing was stored`, {
          details: { azureCode: 'RequestBodyTooLarge', maxBytes: settings.maxBlobBytes },
        });
      }
      const type = request.headers['x-ms-blob-content-type'] ?? request.headers['content-type'];
      let meta: BlobMeta;
      try {
        meta = await storage.blobs.putBlob(container, blob, request.raw, { maxBytes: settings.maxBlobBytes, ...(typeof type === 'string' ? { contentType: type } : {}) });
      } catch (e) {
        void reply.header('connection', 'close');
        throw e;
      }
      request.log.info({ container, blob, size: meta.size, url: redactUrl(request.url) }, 'blob stored');
      setBlobHeaders(reply, meta);
      return reply.status(201).send(metaJson(meta));
    });

    scope.get('/storage/:container/*', sas, async (request: Req, reply) => {
      const { container } = request.params;
      const blob = request.params['*'] ?? '';
      await authorize(storage, request, container, blob, 'r');
      const { meta, stream } = await storage.blobs.openBlob(container, blob);
      setBlobHeaders(reply, meta);
      if (request.headers['if-none-match'] === meta.etag) {
        stream.destroy();
        return reply.status(304).send();
      }
      // Never rendered as a page of this origin: a stored HTML file cannot script the portal.
      void reply
        .header('content-type', meta.contentType)
        .header('content-length', meta.size)
        .header('content-disposition', 'attachment')
        .header('content-security-policy', 'sandbox; default-src \'none\'')
        .header('cache-control', 'private, no-cache');
      return reply.send(stream);
    });

    scope.delete('/storage/:container/*', sas, async (request: Req, reply) => {
      const { container } = request.params;
      const blob = request.params['*'] ?? '';
      await authorize(storage, request, container, blob, 'd');
      await storage.blobs.deleteBlob(container, blob);
      request.log.info({ container, blob }, 'blob deleted');
      return reply.status(202).send({ container, name: blob, deleted: true });
    });

    /** One click: the body is the CSV; query `name`, `container`, `validFor` (ISO duration), `httpsOnly`. */
    scope.post('/api/storage/externaldata', async (request: FastifyRequest<{ Querystring: Record<string, string> }>, reply) => {
      const q = request.query;
      const declared = Number(request.headers['content-length'] ?? NaN);
      if (declared > settings.maxBlobBytes) {
        void reply.header('connection', 'close');
        throw new QuarryError('core/too-large', `the CSV (${declared} bytes) is larger than the limit of ${settings.maxBlobBytes} bytes; nothing was stored`);
      }
      const ms = validForMs(q.validFor);
      const shared = await shareCsvForHunting(storage, request.raw, {
        maxBytes: settings.maxBlobBytes, baseUrl: baseUrlOf(request),
        ...(q.container ? { container: q.container } : {}), ...(q.name ? { name: q.name } : {}),
        ...(ms !== undefined ? { validForMs: ms } : {}), ...(q.httpsOnly === 'true' ? { httpsOnly: true } : {}),
      });
      request.log.info({ container: shared.blob.container, blob: shared.blob.name, size: shared.blob.size, layout: shared.layout }, 'CSV shared for hunting');
      return reply.status(201).send({ ...shared, blob: metaJson(shared.blob) });
    });
  });
}
