/**
 * Hunting over HTTP:
 * - `POST /v1.0/security/runHuntingQuery` — Microsoft Graph: `{Query, Timespan?}` → `{schema:[{name,type}], results}`;
 * - `POST /api/advancedhunting/run` — the legacy Defender API: `{Query}` → `{Stats, Schema:[{Name,Type}], Results}`;
 * - `POST /api/hunt/run` — the portal: Kusto type names, render hint, stats, history;
 * - `GET /api/hunt/schema` — tables and columns for the editor;
 * - `GET /api/hunt/running`, `POST /api/hunt/running/:id/cancel` — running queries and explicit cancel.
 * All hunting routes need only the reader role (running a query changes nothing, so it is not audited).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { recordHistory } from '../../auth/hunt-library.js';
import { QuarryError } from '../../core/errors.js';
import { defaultFetcher, type ExternalFetcher } from '../../hunt/externals.js';
import { principalOf } from '../plugins/auth.js';
import type { RouteAuthRule } from '../plugins/route-auth.js';
import { parseWith } from '../plugins/validate.js';
import { executeHunt, apiLimits, portalLimits, RunningQueries } from './hunting-exec.js';
import { graphBody, legacyBody, portalBody } from './hunting-format.js';
import type { RouteDeps } from './index.js';
import { tableInfo } from './tables.js';

const QUERY_MAX = 100_000;
const HUNT_BODY_LIMIT = 1024 * 1024;
const huntAuth: RouteAuthRule = { role: 'reader', scope: 'hunt', audit: false };

const query = z.string().min(1, 'the query is empty').max(QUERY_MAX, `a query has at most ${QUERY_MAX} characters`);
const timespan = z.string().min(1).max(200);

export const graphHuntBody = z.strictObject({ Query: query, Timespan: timespan.optional() });
export const legacyHuntBody = z.strictObject({ Query: query });
export const portalHuntBody = z.strictObject({
  query,
  timespan: timespan.optional(),
  /** Fixed "now" for ago()/now() (ISO 8601), to make a hunt reproducible. */
  now: z.iso.datetime({ offset: true }).optional(),
});

/** Graph's property names are PascalCase in the docs and camelCase in older samples: accept both. */
function pascalKeys(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) out[k.length ? k[0]!.toUpperCase() + k.slice(1) : k] = v;
  return out;
}

export interface HuntingRouteOptions {
  /** The `externaldata` fetcher (the storage feature's signed-URL reader); default: runKql's own. */
  readonly fetchExternal?: ExternalFetcher;
}

/**
 * Over HTTP, `externaldata` may read only http(s) URLs (Quarry's signed storage URLs included): the
 * engine's default also reads local files, which would hand every reader the server's file system.
 */
export function httpOnlyFetcher(inner: ExternalFetcher): ExternalFetcher {
  return (url, ctx) => {
    if (!/^https?:\/\//i.test(url)) {
      throw new QuarryError('hunt/externaldata-failed', 'over the API, externaldata reads only http(s) URLs (for example a Quarry storage SAS URL), not local files', {
        hints: ['upload the file to Quarry storage and use its SAS URL'],
      });
    }
    return inner(url, ctx);
  };
}

export function registerHuntingRoutes(app: FastifyInstance, deps: RouteDeps, opts: HuntingRouteOptions = {}): void {
  const running = new RunningQueries();
  const exec = { store: deps.store, running, fetchExternal: httpOnlyFetcher(opts.fetchExternal ?? defaultFetcher()) };
  const routeOpts = (summary: string, body?: z.ZodType) => ({
    bodyLimit: HUNT_BODY_LIMIT,
    config: { auth: huntAuth, openapi: { summary, tags: ['hunt'], ...(body ? { body } : {}) } },
  });

  app.post('/v1.0/security/runHuntingQuery', routeOpts('Run an advanced hunting query (Microsoft Graph security: runHuntingQuery)', graphHuntBody), async (request, reply) => {
    const body = parseWith(graphHuntBody, pascalKeys(request.body), 'request body');
    const { result } = await executeHunt(exec, request, reply, { query: body.Query, timespan: body.Timespan }, apiLimits);
    const context = `${request.protocol}://${request.host}/v1.0/$metadata#microsoft.graph.security.huntingQueryResults`;
    return reply.type('application/json; charset=utf-8').send(graphBody(result, context));
  });

  app.post('/api/advancedhunting/run', routeOpts('Run an advanced hunting query (legacy Defender API)', legacyHuntBody), async (request, reply) => {
    const body = parseWith(legacyHuntBody, pascalKeys(request.body), 'request body');
    const { result, elapsedMs } = await executeHunt(exec, request, reply, { query: body.Query }, apiLimits);
    return reply.type('application/json; charset=utf-8').send(legacyBody(result, elapsedMs));
  });

  app.post('/api/hunt/run', routeOpts('Run a hunting query from the portal (Kusto types, render hint, history)', portalHuntBody), async (request, reply) => {
    const body = parseWith(portalHuntBody, request.body, 'request body');
    const p = principalOf(request);
    const t0 = performance.now();
    try {
      const { result, queryId } = await executeHunt(exec, request, reply, { query: body.query, timespan: body.timespan, now: body.now ? new Date(body.now) : undefined }, portalLimits);
      await recordHistory(deps.store, p.userId, { query: body.query, timespan: body.timespan, status: 'ok', rows: result.results.length, ms: performance.now() - t0 });
      return reply.type('application/json; charset=utf-8').send(portalBody(result, queryId));
    } catch (e) {
      const code = e instanceof QuarryError ? e.code : 'core/internal';
      if (code !== 'hunt/quota-exceeded') {
        await recordHistory(deps.store, p.userId, { query: body.query, timespan: body.timespan, status: 'error', ms: performance.now() - t0, errorCode: code }).catch(() => undefined);
      }
      throw e;
    }
  });

  app.get('/api/hunt/schema', { config: { auth: huntAuth, openapi: { summary: 'Tables and columns for the query editor', tags: ['hunt'] } } }, async () => ({
    tables: deps.catalog.listTables().map(tableInfo),
  }));

  app.get('/api/hunt/running', { config: { auth: huntAuth, openapi: { summary: "The caller's running queries (all, for admins)", tags: ['hunt'] } } }, async (request) => ({
    queries: running.list(principalOf(request)),
  }));

  app.post<{ Params: { id: string } }>(
    '/api/hunt/running/:id/cancel',
    { config: { auth: huntAuth, openapi: { summary: 'Cancel a running query by its id (client-request-id)', tags: ['hunt'] } } },
    async (request) => {
      running.cancel(principalOf(request), request.params.id);
      return { id: request.params.id, cancelled: true };
    },
  );
}
