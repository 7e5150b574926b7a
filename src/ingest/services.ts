/**
 * Background work of ingest in a server process: the retention sweep and, when configured, the watched
 * folder. Configured from the environment until the config feature grows ingest settings:
 * `QUARRY_RETENTION_INTERVAL_MS` (default 1 h; 0 disables), `QUARRY_INGEST_WATCH_DIR` (a folder to watch),
 * `QUARRY_INGEST_WATCH_TABLE` / `QUARRY_INGEST_WATCH_FORMAT` (else from file names),
 * `QUARRY_INGEST_QUEUE` (requests admitted at once, default 32).
 */
import type { Catalog } from '../catalog/catalog.js';
import type { Logger } from '../core/log.js';
import type { Store } from '../store/store.js';
import { createIngestQueue, type IngestQueue } from './queue.js';
import { startRetentionJob } from './retention.js';
import { watchFolder } from './watch-folder.js';

export interface IngestServices {
  readonly queue: IngestQueue;
  stop(): Promise<void>;
}

function envInt(env: NodeJS.ProcessEnv, name: string, dflt: number): number {
  const v = env[name];
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  return Number.isInteger(n) && n >= 0 ? n : dflt;
}

export function startIngestServices(store: Store, opts: { catalog: Catalog; logger: Logger; env?: NodeJS.ProcessEnv }): IngestServices {
  const env = opts.env ?? process.env;
  const queue = createIngestQueue({ maxRequests: Math.max(1, envInt(env, 'QUARRY_INGEST_QUEUE', 32)) });
  const interval = envInt(env, 'QUARRY_RETENTION_INTERVAL_MS', 3_600_000);
  const retention = interval > 0 ? startRetentionJob(store, { intervalMs: interval, catalog: opts.catalog, logger: opts.logger }) : undefined;
  const dir = env.QUARRY_INGEST_WATCH_DIR;
  const watcher = dir
    ? watchFolder(store, {
        dir,
        ...(env.QUARRY_INGEST_WATCH_TABLE ? { table: env.QUARRY_INGEST_WATCH_TABLE } : {}),
        ...(env.QUARRY_INGEST_WATCH_FORMAT ? { format: env.QUARRY_INGEST_WATCH_FORMAT } : {}),
        catalog: opts.catalog,
        logger: opts.logger,
      })
    : undefined;
  return {
    queue,
    async stop() {
      retention?.stop();
      await watcher?.stop();
    },
  };
}
