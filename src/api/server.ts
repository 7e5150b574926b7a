/**
 * The HTTP server (Fastify): `buildServer` assembles routes, error shapes, request ids and security headers
 * without listening (tests use `inject` or `listen({port: 0})`); `startServer` listens and reports the URL.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { processCatalog, type Catalog } from '../catalog/catalog.js';
import type { QuarryConfig } from '../core/config.js';
import type { Logger } from '../core/log.js';
import type { Store } from '../store/store.js';
import { installErrorHandlers } from './error-handler.js';
import type { AuthOptions } from './plugins/auth.js';
import { installPlugins } from './plugins/index.js';
import { childLoggerFactory } from './plugins/log-redaction.js';
import { routeModules } from './routes/index.js';
import { registerListeningOrigin } from '../blob/storage-fetcher.js';
import { installSecurityHeaders } from './security-headers.js';

export interface ServerDeps {
  readonly store: Store;
  readonly config: QuarryConfig;
  readonly logger: Logger;
  readonly catalog?: Catalog;
  /** Access-control tuning (login throttle, hunting quota); defaults suit production. */
  readonly auth?: AuthOptions;
  /** Origins allowed cross-origin (bearer only); default QUARRY_CORS_ORIGINS, else CORS is off. */
  readonly corsOrigins?: readonly string[];
}

const REQUEST_ID_RE = /^[A-Za-z0-9._:-]{1,128}$/;

export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const catalog = deps.catalog ?? processCatalog();
  const app = Fastify({
    // pino 10 and Fastify's bundled logger typings differ only nominally.
    loggerInstance: deps.logger as unknown as FastifyBaseLogger,
    bodyLimit: deps.config.bodyLimit,
    // A caller's request id is kept when it looks like one; otherwise a fresh UUID.
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID_RE.test(given) ? given : randomUUID();
    },
    return503OnClosing: true,
    // A client gets 60 s to send its whole request; request logs never show SAS signatures or tokens.
    requestTimeout: 60_000,
    childLoggerFactory,
    forceCloseConnections: 'idle',
  });
  installErrorHandlers(app);
  installSecurityHeaders(app);
  installPlugins(app, { store: deps.store, auth: deps.auth, corsOrigins: deps.corsOrigins });
  for (const mount of routeModules) await mount(app, { store: deps.store, catalog, config: deps.config, logger: deps.logger });
  await app.ready();
  return app;
}

export interface RunningServer {
  readonly app: FastifyInstance;
  /** `http://host:port` actually bound (port 0 resolved). */
  readonly url: string;
  /** Stops accepting, waits for in-flight requests, then resolves (the store stays open). */
  close(): Promise<void>;
}

export async function startServer(deps: ServerDeps): Promise<RunningServer> {
  const app = await buildServer(deps);
  await app.listen({ host: deps.config.host, port: deps.config.port });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : deps.config.port;
  const host = deps.config.host.includes(':') ? `[${deps.config.host}]` : deps.config.host;
  const url = `http://${host}:${port}`;
  // Signed URLs that point at this server are read from disk by externaldata, whatever port was chosen.
  registerListeningOrigin(url);
  return { app, url, close: () => app.close() };
}
