/**
 * Installs the cross-cutting plugins, in order, before any route module mounts (hooks and `onRoute`
 * only see routes registered after them): CORS (off unless origins are listed), the OpenAPI registry,
 * access control, the audit log and Graph-shaped errors on `/v1.0/…`.
 */
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../store/store.js';
import { createOpenApiRegistry, type OpenApiRegistry } from '../openapi.js';
import { installAudit } from './audit.js';
import { createAuthRuntime, installAuth, type AuthOptions } from './auth.js';
import { corsOriginsFromEnv, installCors } from './cors.js';
import { installGraphErrors } from './graph-errors.js';

declare module 'fastify' {
  interface FastifyInstance {
    quarryOpenApi: OpenApiRegistry;
  }
}

export interface PluginOptions {
  readonly store: Store;
  readonly auth?: AuthOptions | undefined;
  /** Origins allowed to call the API cross-origin (bearer only); default from QUARRY_CORS_ORIGINS, else none. */
  readonly corsOrigins?: readonly string[] | undefined;
}

export function installPlugins(app: FastifyInstance, opts: PluginOptions): void {
  installCors(app, opts.corsOrigins ?? corsOriginsFromEnv());
  app.decorate('quarryOpenApi', createOpenApiRegistry(app));
  installAuth(app, createAuthRuntime(opts.store, opts.auth));
  installAudit(app, opts.store);
  installGraphErrors(app);
}
