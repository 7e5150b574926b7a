/**
 * Which path takes an input. The DuckDB-native NDJSON path (`ndjson-fast.ts`) keeps every guarantee of the JS
 * pipeline and the same batch ids, so either may take any input: NDJSON into a named table takes it by
 * default (files: CLI and watched folder; HTTP bodies: combined with the other bodies that wait while a commit
 * runs). `QUARRY_INGEST_FAST=0` keeps everything on the JS pipeline.
 *
 * Measured on the 2-core bench machine (docs/ingest.md), back to back: 400k DeviceNetworkEvents rows over HTTP
 * (8 senders, 5,000-line bodies) 27.7k rows/s DuckDB-native with combined commits against 23.4k for the JS
 * pipeline; one commit per body (no combining) was slower than the JS pipeline (14.7k against 19.3k), because
 * the parse statement has a fixed cost and runs on one thread for a small group.
 */
import type { IngestFormat } from '../types.js';

export type IngestVia = 'file' | 'http';

export function useFastPath(format: IngestFormat, table: string | undefined, _via: IngestVia = 'file', env: NodeJS.ProcessEnv = process.env): boolean {
  if (format !== 'ndjson' || table === undefined) return false;
  return env.QUARRY_INGEST_FAST !== '0';
}
