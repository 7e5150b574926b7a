/**
 * Shapes shared by the ingest pipeline: what a reader yields, what a batch commits, what a run reports.
 */

/** Input formats the pipeline reads. */
export const ingestFormats = ['ndjson', 'json', 'csv', 'm365d', 'sentinel', 'zeek'] as const;
export type IngestFormat = (typeof ingestFormats)[number];

export function isIngestFormat(s: string): s is IngestFormat {
  return (ingestFormats as readonly string[]).includes(s);
}

/**
 * One record read from an input, before validation. A reader that cannot make an object of the text
 * (bad JSON, wrong field count) still yields the record, with `error` set, so it is quarantined and counted.
 */
export interface SourceRecord {
  /** The parsed record (field → value), absent when the text could not be read. */
  readonly value?: Record<string, unknown>;
  /** Why the text could not be read as a record. */
  readonly error?: string;
  /** The record's text as it appeared in the input (for quarantine and the batch hash). */
  readonly raw: string;
  /** 1-based line where the record starts (in the decompressed input). */
  readonly line: number;
  /** Byte offset where the record starts (in the decompressed input). */
  readonly offset: number;
  /** Target table when the format routes records itself (Defender envelope, Zeek `#path`). */
  readonly table?: string;
}

/** A rejected record as stored in `_ingest_quarantine`. */
export interface QuarantineRow {
  readonly batch_id: string;
  readonly source: string;
  readonly format: string;
  readonly table_name: string | null;
  readonly line: number;
  readonly byte_offset: number;
  readonly reason: string;
  readonly raw: string;
  readonly quarantined_at: Date;
}

export interface TableCounts {
  accepted: number;
  rejected: number;
}

/** The outcome of one ingest run (a file, a request body, a dropped file). */
export interface IngestSummary {
  /** Records read from the input (lines for line formats, elements for JSON arrays, records for envelopes). */
  records: number;
  accepted: number;
  rejected: number;
  /** Records of batches already committed earlier (a retry or the same file again): skipped. */
  duplicate: number;
  batches: number;
  duplicateBatches: number;
  /** Per target table. */
  tables: Record<string, TableCounts>;
  batchIds: string[];
  /** The first few rejection reasons, for a quick look (all are in the quarantine table). */
  sampleReasons: string[];
  ms: number;
}

export interface IngestProgress {
  readonly records: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly duplicate: number;
  readonly bytes: number;
  readonly ms: number;
}
