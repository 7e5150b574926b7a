/**
 * Composition of detection with the rest of a running server: the detection service reads `externaldata`
 * through the storage-aware fetcher (Quarry's own SAS URLs from disk), its near-real-time matcher listens to
 * committed ingest batches, and its scheduler runs. Call before the HTTP routes take traffic, so the detection
 * instance every route shares is this one.
 */
import type { QuarryConfig } from '../core/config.js';
import type { Logger } from '../core/log.js';
import { storageSettings } from '../blob/settings.js';
import { externalFetcherFor } from '../blob/storage-fetcher.js';
import { detectionFor } from '../detect/instance.js';
import { onBatchCommitted } from '../ingest/listeners.js';
import type { Store } from '../store/store.js';

export async function startDetection(store: Store, config: QuarryConfig, logger: Logger, opts: { schedulerIntervalMs?: number } = {}): Promise<{ stop(): Promise<void> }> {
  const detection = await detectionFor(store, { logger, fetchExternal: externalFetcherFor(config, storageSettings(config)) });
  const unlisten = onBatchCommitted(
    store,
    (table, rows) => detection.onBatchCommitted(table, rows as Record<string, unknown>[]),
    (table) => detection.wantsRows(table),
  );
  detection.scheduler.start(opts.schedulerIntervalMs);
  return {
    async stop() {
      unlisten();
      await detection.scheduler.stop();
    },
  };
}
