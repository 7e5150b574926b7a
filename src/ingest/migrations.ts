/**
 * Ingest's own tables (not KQL-visible), versions 100–199:
 * - `_ingest_batches`: one row per committed batch, written in the same transaction as the batch's rows,
 *   so a retried batch (same id) is recognised and skipped — at-least-once senders get exactly-once rows.
 * - `_ingest_quarantine`: every rejected row with its reason, source, line/offset and raw text.
 * - `_ingest_errors`: the last failure per source and table (a whole input refused, a commit failing),
 *   for the data-connectors status.
 * - `_ingest_retention`: per-table retention overrides (days); tables without a row use the default.
 */
import type { Migration } from '../store/migrations.js';

export const ingestMigrations: readonly Migration[] = [
  {
    version: 100,
    name: 'ingest-batches-quarantine',
    up: [
      `CREATE TABLE IF NOT EXISTS _ingest_batches (
        batch_id VARCHAR PRIMARY KEY,
        source VARCHAR NOT NULL,
        format VARCHAR NOT NULL,
        tables VARCHAR NOT NULL,
        accepted BIGINT NOT NULL,
        rejected BIGINT NOT NULL,
        min_event_time TIMESTAMP,
        max_event_time TIMESTAMP,
        committed_at TIMESTAMP NOT NULL
      )`,
      `CREATE TABLE IF NOT EXISTS _ingest_batch_tables (
        batch_id VARCHAR NOT NULL,
        source VARCHAR NOT NULL,
        table_name VARCHAR NOT NULL,
        accepted BIGINT NOT NULL,
        rejected BIGINT NOT NULL,
        max_event_time TIMESTAMP,
        committed_at TIMESTAMP NOT NULL
      )`,
      `CREATE TABLE IF NOT EXISTS _ingest_quarantine (
        batch_id VARCHAR NOT NULL,
        source VARCHAR NOT NULL,
        format VARCHAR NOT NULL,
        table_name VARCHAR,
        line BIGINT,
        byte_offset BIGINT,
        reason VARCHAR NOT NULL,
        raw VARCHAR,
        quarantined_at TIMESTAMP NOT NULL
      )`,
      `CREATE TABLE IF NOT EXISTS _ingest_errors (
        source VARCHAR NOT NULL,
        table_name VARCHAR NOT NULL,
        message VARCHAR NOT NULL,
        failed_at TIMESTAMP NOT NULL,
        PRIMARY KEY (source, table_name)
      )`,
      `CREATE TABLE IF NOT EXISTS _ingest_retention (
        table_name VARCHAR PRIMARY KEY,
        days INTEGER NOT NULL
      )`,
    ],
  },
];
