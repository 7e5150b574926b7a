/**
 * Which path takes an input. The DuckDB-native NDJSON path (`ndjson-fast.ts`) keeps every guarantee of the JS
 * pipeline and the same batch ids, so either may take any input: `QUARRY_INGEST_FAST=1` sends NDJSON into a
 * named table through it (files, watched folder, HTTP bodies), `QUARRY_INGEST_FAST=0` never. Unset, files
 * (CLI, watched folder) take it and HTTP bodies take the JS pipeline.
 *
 * Measured on the 2-core bench machine (docs/ingest.md): 2M DeviceNetworkEvents rows from a file at 30.5k
 * rows/s against 20.1k for the JS pipeline (consecutive runs; 17–34 % less wall time in same-moment runs of
 * 100k–300k rows). HTTP bodies of 5,000 lines are one small group each, whose fixed SQL cost (binding and
 * optimising the 48-column parse, 0.1–0.2 s) eats what DuckDB saves: 7.7k rows/s against 7.8k for the JS
 * pipeline in consecutive runs (2.9k against 4.4k under heavier load), so HTTP keeps the JS pipeline unless asked.
 */
import type { IngestFormat } from '../types.js';

export type IngestVia = 'file' | 'http';

/** Whether files take the DuckDB-native path when QUARRY_INGEST_FAST is unset (see the module comment). */
export const FILE_DEFAULT = true;

export function useFastPath(format: IngestFormat, table: string | undefined, via: IngestVia = 'file', env: NodeJS.ProcessEnv = process.env): boolean {
  if (format !== 'ndjson' || table === undefined) return false;
  const flag = env.QUARRY_INGEST_FAST;
  if (flag === '1') return true;
  if (flag === '0') return false;
  return via === 'file' && FILE_DEFAULT;
}
