/**
 * Every route module of the HTTP API, one line each. A route module exports a function
 * `(app: FastifyInstance, deps: RouteDeps) => void | Promise<void>`; add it here to mount it.
 */
import type { FastifyInstance } from 'fastify';
import type { Catalog } from '../../catalog/catalog.js';
import type { QuarryConfig } from '../../core/config.js';
import type { Logger } from '../../core/log.js';
import type { Store } from '../../store/store.js';
import { registerHealthRoutes } from './health.js';
import { registerIngestRoutes } from './ingest.js';
import { registerTableRoutes } from './tables.js';

export interface RouteDeps {
  readonly store: Store;
  readonly catalog: Catalog;
  readonly config: QuarryConfig;
  readonly logger: Logger;
}

export type RouteModule = (app: FastifyInstance, deps: RouteDeps) => void | Promise<void>;

export const routeModules: readonly RouteModule[] = [
  (app, d) => registerHealthRoutes(app, d.store),
  (app, d) => registerTableRoutes(app, d.catalog),
  (app, d) => registerIngestRoutes(app, d.store, d.catalog, d.config.bodyLimit),
];
