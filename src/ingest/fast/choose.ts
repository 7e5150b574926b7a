/**
 * Which path takes an input. The DuckDB-native NDJSON path (`ndjson-fast.ts`) keeps every guarantee of the JS
 * pipeline and the same batch ids, so either may take any input. Measured on the 2 KB DeviceNetworkEvents
 * events of the ingest bench it is not faster than the JS path yet (DuckDB's JSON extraction of ~50 paths per
 * line costs about as much as JSON.parse + validation), so it is opt-in: `QUARRY_INGEST_FAST=1`.
 */
import type { IngestFormat } from '../types.js';

export function useFastPath(format: IngestFormat, table: string | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  return env.QUARRY_INGEST_FAST === '1' && format === 'ndjson' && table !== undefined;
}
