/**
 * TAXII 2.1 endpoints under `/taxii2/` (logic in `src/intel/taxii/server.ts`): discovery, the `api` root,
 * collections, objects, object by id, versions and manifest. Responses and errors use the TAXII media type;
 * errors are TAXII error messages `{title, description, http_status, error_code}`. An Accept header without a
 * TAXII 2.1 (or wildcard) media type gets 406.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { QuarryError } from '../../core/errors.js';
import { errorCodes } from '../../core/error-codes.js';
import type { Store } from '../../store/store.js';
import {
  apiRootInfo, API_ROOT, dateAddedHeaders, discovery, envelope, getCollection, listCollections, manifest,
  publicCollection, queryCollection, TAXII_MEDIA_TYPE, versionsResource, type ObjectQuery,
} from '../../intel/taxii/server.js';

type Query = Record<string, string | string[] | undefined>;

function list(q: Query, key: string): string[] | undefined {
  const v = q[key];
  if (v === undefined) return undefined;
  return (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
}

function one(q: Query, key: string): string | undefined {
  const v = q[key];
  return Array.isArray(v) ? v[v.length - 1] : v;
}

function objectQuery(q: Query, defaults: Partial<ObjectQuery> = {}): ObjectQuery {
  const limit = one(q, 'limit');
  const n = limit === undefined ? undefined : Number(limit);
  if (limit !== undefined && (!Number.isInteger(n) || n! < 1)) throw new QuarryError('api/bad-request', `limit must be a positive whole number, got '${limit}'`);
  const out: Record<string, unknown> = { ...defaults };
  const set = (k: string, v: unknown) => {
    if (v !== undefined) out[k] = v;
  };
  set('addedAfter', one(q, 'added_after'));
  set('limit', n);
  set('next', one(q, 'next'));
  set('ids', list(q, 'match[id]'));
  set('types', list(q, 'match[type]'));
  set('versions', list(q, 'match[version]'));
  set('specVersions', list(q, 'match[spec_version]'));
  return out as ObjectQuery;
}

function acceptable(req: FastifyRequest): boolean {
  const accept = req.headers.accept;
  if (!accept) return true;
  return accept.split(',').some((part) => {
    const m = part.trim().split(';').map((s) => s.trim().toLowerCase());
    const type = m[0];
    const version = m.find((x) => x.startsWith('version='));
    if (type === '*/*' || type === 'application/*') return true;
    return type === 'application/taxii+json' && (!version || version === 'version=2.1');
  });
}

function send(reply: FastifyReply, body: unknown, headers: Record<string, string> = {}, status = 200): FastifyReply {
  for (const [k, v] of Object.entries(headers)) void reply.header(k, v);
  return reply.code(status).header('content-type', TAXII_MEDIA_TYPE).send(Buffer.from(JSON.stringify(body)));
}

export function registerTaxiiRoutes(app: FastifyInstance, store: Store, opts: { maxContentLength?: number } = {}): void {
  void app.register(async (scope) => {
    scope.setErrorHandler((err, _req, reply) => {
      const code = err instanceof QuarryError ? err.code : undefined;
      const status = code ? errorCodes[code].status : typeof (err as { statusCode?: number }).statusCode === 'number' ? (err as { statusCode: number }).statusCode : 500;
      const title = status === 404 ? 'Not Found' : status === 406 ? 'Not Acceptable' : status === 403 ? 'Forbidden' : status === 401 ? 'Unauthorized' : status < 500 ? 'Bad Request' : 'Internal Error';
      void send(reply, { title, description: (err as Error).message, http_status: String(status), ...(code ? { error_code: code } : {}) }, {}, status);
    });
    scope.setNotFoundHandler((req, reply) => {
      void send(reply, { title: 'Not Found', description: `no TAXII resource at ${req.url}`, http_status: '404' }, {}, 404);
    });
    scope.addHook('onRequest', async (req) => {
      if (!acceptable(req)) {
        throw new QuarryError('intel/taxii-not-acceptable', `Accept '${req.headers.accept}' names no TAXII 2.1 media type; send Accept: ${TAXII_MEDIA_TYPE}`);
      }
    });
    const base = (req: FastifyRequest) => `${req.protocol}://${req.headers.host ?? 'localhost'}`;
    const root = `/${API_ROOT}`;

    scope.get('/', async (req, reply) => send(reply, discovery(base(req))));
    scope.get(`${root}/`, async (_req, reply) => send(reply, apiRootInfo(opts.maxContentLength ?? 10 * 1024 * 1024)));
    scope.get(`${root}/collections/`, async (_req, reply) => send(reply, { collections: (await listCollections(store)).map(publicCollection) }));
    scope.get<{ Params: { cid: string } }>(`${root}/collections/:cid/`, async (req, reply) =>
      send(reply, publicCollection(await getCollection(store, req.params.cid))));
    scope.get<{ Params: { cid: string }; Querystring: Query }>(`${root}/collections/:cid/objects/`, async (req, reply) => {
      const page = await queryCollection(store, await getCollection(store, req.params.cid), objectQuery(req.query), true);
      return send(reply, envelope(page), dateAddedHeaders(page.rows));
    });
    scope.get<{ Params: { cid: string; oid: string }; Querystring: Query }>(`${root}/collections/:cid/objects/:oid/`, async (req, reply) => {
      const page = await queryCollection(store, await getCollection(store, req.params.cid), { ...objectQuery(req.query), ids: [req.params.oid] }, true);
      if (page.rows.length === 0 && !req.query.next) throw new QuarryError('intel/not-found', `no object '${req.params.oid}' in collection '${req.params.cid}'`);
      return send(reply, envelope(page), dateAddedHeaders(page.rows));
    });
    scope.get<{ Params: { cid: string; oid: string }; Querystring: Query }>(`${root}/collections/:cid/objects/:oid/versions/`, async (req, reply) => {
      const q = objectQuery(req.query, { versions: ['all'] });
      const page = await queryCollection(store, await getCollection(store, req.params.cid), { ...q, ids: [req.params.oid], versions: ['all'] }, false);
      if (page.rows.length === 0 && !req.query.next) throw new QuarryError('intel/not-found', `no object '${req.params.oid}' in collection '${req.params.cid}'`);
      return send(reply, versionsResource(page), dateAddedHeaders(page.rows));
    });
    scope.get<{ Params: { cid: string }; Querystring: Query }>(`${root}/collections/:cid/manifest/`, async (req, reply) => {
      const page = await queryCollection(store, await getCollection(store, req.params.cid), objectQuery(req.query), false);
      return send(reply, manifest(page), dateAddedHeaders(page.rows));
    });
  }, { prefix: '/taxii2' });
}
