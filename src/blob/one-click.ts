/**
 * "Hunt with this CSV": store an uploaded CSV (an Explorer export or any CSV), mint a read-only signed
 * URL for it, and return the `externaldata` snippet that reads it with the right column list.
 */
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { QuarryError } from '../core/errors.js';
import type { BlobMeta } from './blob-store.js';
import { externaldataSnippet, type ExternaldataSnippet } from './externaldata-snippet.js';
import type { Storage } from './storage.js';

export const HUNT_CONTAINER = 'hunting';
export const DEFAULT_SHARE_MS = 24 * 3_600_000;
export const MAX_SHARE_MS = 365 * 24 * 3_600_000;
const HEAD_BYTES = 256 * 1024;

export interface ShareCsvOptions {
  readonly container?: string;
  /** Blob name; default `upload-<timestamp>.csv`. */
  readonly name?: string;
  readonly maxBytes: number;
  readonly baseUrl: string;
  /** How long the URL stays valid (default 24 h, at most a year). */
  readonly validForMs?: number;
  readonly httpsOnly?: boolean;
  readonly now?: Date;
}

export interface SharedCsv extends ExternaldataSnippet {
  readonly url: string;
  readonly expiry: string;
  readonly blob: BlobMeta;
}

export async function shareCsvForHunting(storage: Storage, body: Readable | AsyncIterable<Uint8Array> | string, opts: ShareCsvOptions): Promise<SharedCsv> {
  const container = opts.container ?? HUNT_CONTAINER;
  const now = opts.now ?? new Date();
  const name = opts.name ?? `upload-${now.toISOString().replace(/[:.]/g, '-')}.csv`;
  const validFor = opts.validForMs ?? DEFAULT_SHARE_MS;
  if (!(validFor > 0 && validFor <= MAX_SHARE_MS)) throw new QuarryError('core/bad-argument', 'the URL must be valid for more than 0 and at most 365 days');
  await storage.blobs.createContainer(container, { ifMissing: true });
  const meta = await storage.blobs.putBlob(container, name, body, { contentType: 'text/csv', maxBytes: opts.maxBytes });
  const head = await readHead(storage.blobs.contentPath(meta));
  if (head.text.trim() === '') {
    await storage.blobs.deleteBlob(container, name);
    throw new QuarryError('api/bad-request', 'the uploaded CSV is empty; nothing was kept');
  }
  const expiry = new Date(now.getTime() + validFor);
  const url = await storage.mintUrl(opts.baseUrl, { container, blob: name, permissions: 'r', expiry, ...(opts.httpsOnly ? { httpsOnly: true } : {}) });
  const snippet = externaldataSnippet(head.text, url, { complete: head.complete });
  return { ...snippet, url, expiry: expiry.toISOString(), blob: meta };
}

async function readHead(file: string): Promise<{ text: string; complete: boolean }> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, 0);
    return { text: buf.subarray(0, bytesRead).toString('utf8'), complete: bytesRead < HEAD_BYTES };
  } finally {
    await fh.close();
  }
}
