/**
 * Ingesting files: the format from the flag or the file name, the table from the flag or the file name,
 * and the file streamed through the pipeline.
 */
import path from 'node:path';
import { processCatalog, type Catalog } from '../catalog/catalog.js';
import { QuarryError } from '../core/errors.js';
import type { Store } from '../store/store.js';
import { useFastPath } from './fast/choose.js';
import { ingestNdjsonFast } from './fast/ndjson-fast.js';
import { fileSource } from './input.js';
import { ingest, type IngestOptions } from './pipeline.js';
import { isIngestFormat, type IngestFormat, type IngestSummary } from './types.js';

/** The format a file name suggests: `.ndjson`/`.jsonl` → ndjson, `.json` → json, `.csv` → csv, `.log` → zeek (also `.gz`). */
export function formatOfFile(file: string): IngestFormat | undefined {
  const name = path.basename(file).toLowerCase().replace(/\.gz$/, '');
  if (name.endsWith('.ndjson') || name.endsWith('.jsonl')) return 'ndjson';
  if (name.endsWith('.json')) return 'json';
  if (name.endsWith('.csv')) return 'csv';
  if (name.endsWith('.log')) return 'zeek';
  return undefined;
}

/** `DeviceNetworkEvents.2024-05-01.ndjson` → `DeviceNetworkEvents` when that is a catalog table. */
export function tableOfFile(file: string, catalog: Catalog = processCatalog()): string | undefined {
  const first = path.basename(file).split('.')[0] ?? '';
  return catalog.hasTable(first) ? first : undefined;
}

export interface FileIngestOptions extends Omit<IngestOptions, 'format' | 'table'> {
  readonly format?: string;
  readonly table?: string;
}

export async function ingestFile(store: Store, file: string, opts: FileIngestOptions): Promise<IngestSummary> {
  const format = opts.format ?? formatOfFile(file);
  if (format === undefined) {
    throw new QuarryError('core/bad-argument', `cannot tell the format of '${path.basename(file)}' from its name`, {
      hints: ['pass --format ndjson|json|csv|m365d|sentinel|zeek'],
    });
  }
  if (!isIngestFormat(format)) throw new QuarryError('core/bad-argument', `unknown format '${format}'; use ndjson, json, csv, m365d, sentinel or zeek`);
  const table = opts.table ?? (format === 'm365d' || format === 'zeek' ? undefined : tableOfFile(file, opts.catalog));
  const o = { ...opts, format, ...(table !== undefined ? { table } : {}) };
  return useFastPath(format, table) ? ingestNdjsonFast(store, fileSource(file), o) : ingest(store, fileSource(file), o);
}
