/**
 * Backpressure for HTTP ingest: a bounded number of requests may be admitted (reading, validating or
 * waiting for their commit) and a bounded number of body bytes may be held. When either bound is reached a
 * new request is refused at once with `ingest/queue-full` (HTTP 429 + `Retry-After`), before its body is
 * read, so a flood of senders cannot exhaust memory and each sender knows to back off and retry.
 */
import { QuarryError } from '../core/errors.js';

export interface IngestQueueOptions {
  /** Requests admitted at once (default 32). */
  readonly maxRequests?: number;
  /** Declared body bytes admitted at once (default 512 MiB). */
  readonly maxBytes?: number;
  /** Seconds a refused sender should wait (default 1). */
  readonly retryAfterSeconds?: number;
}

export interface IngestQueue {
  /** Admits a request of `bytes` (its Content-Length, 0 when unknown) or throws `ingest/queue-full`. */
  enter(bytes: number): () => void;
  readonly stats: () => { requests: number; bytes: number; refused: number };
  readonly retryAfterSeconds: number;
}

export function createIngestQueue(opts: IngestQueueOptions = {}): IngestQueue {
  const maxRequests = opts.maxRequests ?? 32;
  const maxBytes = opts.maxBytes ?? 512 * 2 ** 20;
  const retryAfterSeconds = opts.retryAfterSeconds ?? 1;
  let requests = 0;
  let bytes = 0;
  let refused = 0;
  return {
    retryAfterSeconds,
    stats: () => ({ requests, bytes, refused }),
    enter(size) {
      if (requests >= maxRequests || (requests > 0 && bytes + size > maxBytes)) {
        refused++;
        throw new QuarryError('ingest/queue-full', `the ingest queue is full (${requests} requests, ${bytes} bytes pending); retry after ${retryAfterSeconds} s`, {
          details: { retryAfterSeconds },
        });
      }
      requests++;
      bytes += size;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        requests--;
        bytes -= size;
      };
    },
  };
}
