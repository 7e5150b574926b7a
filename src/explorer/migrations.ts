/**
 * Explorer's own (not KQL-visible) tables, versions 400–499:
 * - `_explorer_batches`: the ledger of merged observation batches. A batch is identified by a content hash
 *   (or a collector-chosen id), so merging the same collected data twice changes nothing.
 * - `_explorer_watermarks`: per store-table collector, the last event time already turned into edges, so a
 *   re-run over DnsEvents/DeviceEvents/IdentityQueryEvents only adds new events.
 */
import type { Migration } from '../store/migrations.js';

export const explorerMigrations: readonly Migration[] = [
  {
    version: 400,
    name: 'explorer-ledger',
    up: [
      `CREATE TABLE IF NOT EXISTS _explorer_batches (batch_id VARCHAR PRIMARY KEY, dataset VARCHAR NOT NULL,
         rows BIGINT NOT NULL, merged_at TIMESTAMP NOT NULL DEFAULT current_timestamp)`,
      `CREATE TABLE IF NOT EXISTS _explorer_watermarks (source VARCHAR PRIMARY KEY, watermark TIMESTAMP NOT NULL,
         updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp)`,
    ],
  },
];
