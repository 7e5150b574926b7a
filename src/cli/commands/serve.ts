/**
 * `quarry serve [--host 127.0.0.1] [--port 7070] [--demo] [--store clickhouse://user:pass@host:8123/db]`: owns
 * the data directory, serves the HTTP API and prints one line with the URL once listening. `--store` (env
 * QUARRY_STORE) keeps event and explorer tables in ClickHouse (docs/clickhouse.md). SIGINT/SIGTERM: stop accepting, finish in-flight requests,
 * checkpoint and close the store, exit 0.
 */
import type { Command } from 'commander';
import { startServer } from '../../api/server.js';
import { createLogger } from '../../core/log.js';
import { startDetection } from '../../app/detection-wiring.js';
import { openQuarryStore } from '../../app/open-store.js';
import { processCatalog } from '../../catalog/catalog.js';
import { warmBinder } from '../../kql/bind.js';
import { demoAdminBanner, ensureDemoAdmin } from '../../auth/bootstrap.js';
import { configFor } from '../global-options.js';
import { loadDemoOnce } from '../load-demo.js';

interface ServeOptions {
  host?: string;
  port?: string;
  demo?: boolean;
  store?: string;
}

/** Resolves with the first SIGINT/SIGTERM; a second signal during shutdown exits at once. */
function nextSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let seen = false;
    const handler = (sig: NodeJS.Signals) => {
      if (seen) process.exit(130);
      seen = true;
      resolve(sig);
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
  });
}

export function register(program: Command): void {
  program
    .command('serve')
    .description('run the Quarry server (HTTP API) on the data directory')
    .option('--host <host>', 'interface to listen on (env QUARRY_HOST)')
    .option('--port <port>', 'TCP port, 0 for any free port (env QUARRY_PORT)')
    .option('--demo', 'load the generated demo data set on first start')
    .option('--store <url>', 'keep event and explorer tables in ClickHouse: clickhouse://user:pass@host:8123/db (env QUARRY_STORE)')
    .action(async (opts: ServeOptions, cmd: Command) => {
      const config = configFor(cmd, { host: opts.host, port: opts.port });
      const logger = createLogger(config.logLevel);
      const signal = nextSignal();
      const eventsStore = opts.store ?? process.env.QUARRY_STORE;
      const store = await openQuarryStore(config.dataDir, { logger, ...(eventsStore ? { eventsStore } : {}) });
      let running;
      let detection: { stop(): Promise<void> } | undefined;
      try {
        detection = await startDetection(store, config, logger);
        running = await startServer({ store, config, logger });
      } catch (e) {
        await detection?.stop().catch(() => undefined);
        await store.close();
        throw e;
      }
      const where = eventsStore && /^clickhouses?:/i.test(eventsStore) ? `; events: ${eventsStore.replace(/\/\/[^@/]*@/, '//')}` : '';
      process.stdout.write(`Quarry listening on ${running.url} (data: ${config.dataDir}${where})\n`);
      // Warm the KQL parser and binder in the background so the first hunting query does not pay ~1.5 s.
      setImmediate(() => {
        try {
          warmBinder(processCatalog());
        } catch (e) {
          logger.warn({ err: e }, 'KQL warm-up failed');
        }
      });
      if (opts.demo) {
        // A demo install gets an admin whose password is printed once (only when no user exists yet).
        const creds = await ensureDemoAdmin(store);
        if (creds) process.stdout.write(demoAdminBanner(creds, running.url));
      }
      logger.info({ url: running.url, dataDir: config.dataDir }, 'listening');
      // Demo data loads after the server is up, so /healthz answers at once on a fresh directory.
      const demo = opts.demo ? loadDemoOnce(store, logger) : Promise.resolve(undefined);
      const sig = await signal;
      logger.info({ signal: sig }, 'shutting down');
      // Whatever happens below, do not hang forever.
      setTimeout(() => {
        logger.error('shutdown took longer than 20 s; exiting');
        process.exit(1);
      }, 20_000).unref();
      await running.close();
      await detection?.stop().catch((e: unknown) => logger.error({ err: e }, 'stopping detection failed'));
      await demo.catch(() => undefined);
      await store.close();
      logger.info('stopped');
      process.exitCode = 0;
    });
}
