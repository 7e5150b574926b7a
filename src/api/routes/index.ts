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
import { registerStorageRoutes } from './storage.js';
import { registerStorageAdminRoutes } from './storage-admin.js';
import { registerOpenApiRoutes } from './openapi.js';
import { registerAuthRoutes } from './auth.js';
import { registerAuthAdminRoutes } from './auth-admin.js';
import { registerHuntingRoutes } from './hunting.js';
import { storageSettings } from '../../blob/settings.js';
import { externalFetcherFor } from '../../blob/storage-fetcher.js';
import { registerHuntingLibraryRoutes } from './hunting-library.js';
import { registerDetectRoutes } from './detect.js';
import { registerIntelRoutes } from './intel.js';
import { registerTaxiiRoutes } from './taxii.js';
import { registerExplorerRoutes } from './explorer.js';
import { registerGraphHostRoutes } from './graph-hosts.js';
import { registerPortalRoutes } from './portal.js';
import { registerGraphIntelRoutes } from './graph-intel.js';

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
  (app, d) => registerIngestRoutes(app, d),
  (app, d) => registerStorageRoutes(app, d),
  (app, d) => registerStorageAdminRoutes(app, d),
  (app) => registerOpenApiRoutes(app),
  (app, d) => registerAuthRoutes(app, d),
  (app, d) => registerAuthAdminRoutes(app, d),
  // externaldata reads Quarry's own signed storage URLs from disk (signature enforced), others via the guarded fetcher.
  (app, d) => registerHuntingRoutes(app, d, { fetchExternal: externalFetcherFor(d.config, storageSettings(d.config)) }),
  (app, d) => registerHuntingLibraryRoutes(app, d),
  (app, d) => registerDetectRoutes(app, d),
  (app, d) => registerIntelRoutes(app, d.store),
  (app, d) => registerTaxiiRoutes(app, d.store, { maxContentLength: d.config.bodyLimit }),
  (app, d) => registerExplorerRoutes(app, d.store),
  (app, d) => registerGraphHostRoutes(app, d.store),
  (app) => registerPortalRoutes(app),
  (app, d) => registerGraphIntelRoutes(app, d.store),
];
