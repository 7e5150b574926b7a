/**
 * TAXII 2.1 client connector: polls one collection's `objects/` endpoint and writes what it gets into the
 * intel store. Every version is requested (`match[version]=all`) so a mirror is exact. The cursor — the
 * last `X-TAXII-Date-Added-Last` fully written, plus the server's `next` token while a poll is under way — is
 * saved in `intel_taxii_cursors` after every page, so an interrupted poll (server restart, crash) resumes
 * where it stopped and re-reading a page is harmless (unchanged objects are counted, not duplicated).
 */
import { QuarryError } from '../../core/errors.js';
import type { Store } from '../../store/store.js';
import { writeObjects } from '../object-store.js';
import { TAXII_MEDIA_TYPE } from './server.js';

export interface PollOptions {
  /** Cursor name (one per feed). */
  readonly name: string;
  /** Collection URL, e.g. `http://127.0.0.1:7070/taxii2/api/collections/<id>/`. */
  readonly collectionUrl: string;
  readonly limit?: number;
  readonly headers?: Record<string, string>;
  readonly signal?: AbortSignal;
  /** Stop after this many pages (tests and rate limiting); the saved cursor lets the next poll continue. */
  readonly maxPages?: number;
}

export interface PollResult {
  pages: number;
  objects: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** True when the collection has nothing more right now. */
  complete: boolean;
  cursor: Cursor;
}

export interface Cursor {
  readonly addedAfter: string | null;
  readonly next: string | null;
}

export async function readCursor(store: Pick<Store, 'query'>, name: string): Promise<Cursor> {
  const r = await store.query('SELECT added_after, next FROM intel_taxii_cursors WHERE name = $1', { params: [name] });
  const row = r.rows[0];
  return { addedAfter: (row?.[0] as string | null) ?? null, next: (row?.[1] as string | null) ?? null };
}

async function saveCursor(store: Pick<Store, 'exec'>, name: string, url: string, c: Cursor): Promise<void> {
  await store.exec(
    `INSERT INTO intel_taxii_cursors VALUES ($1, $2, $3, $4, now()::TIMESTAMP)
     ON CONFLICT (name) DO UPDATE SET url = excluded.url, added_after = excluded.added_after, next = excluded.next, updated_at = excluded.updated_at`,
    [name, url, c.addedAfter, c.next],
  );
}

async function getPage(url: string, opts: PollOptions): Promise<{ body: { more?: boolean; next?: string; objects?: unknown[] }; last: string | null }> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: TAXII_MEDIA_TYPE, ...opts.headers }, ...(opts.signal ? { signal: opts.signal } : {}) });
  } catch (e) {
    throw new QuarryError('intel/taxii-error', `cannot reach TAXII server at ${url}: ${(e as Error).message}`, { cause: e });
  }
  const text = await res.text();
  if (!res.ok) {
    let detail = text.slice(0, 300);
    try {
      const err = JSON.parse(text) as { title?: string; description?: string };
      detail = [err.title, err.description].filter(Boolean).join(': ');
    } catch {
      /* not a TAXII error body */
    }
    throw new QuarryError('intel/taxii-error', `TAXII server answered ${res.status} for ${url}: ${detail}`, { details: { status: res.status } });
  }
  const type = res.headers.get('content-type') ?? '';
  if (!type.startsWith('application/taxii+json')) throw new QuarryError('intel/taxii-error', `TAXII server sent '${type}', expected ${TAXII_MEDIA_TYPE}`);
  let body: { more?: boolean; next?: string; objects?: unknown[] };
  try {
    body = JSON.parse(text) as typeof body;
  } catch (e) {
    throw new QuarryError('intel/taxii-error', `TAXII envelope is not JSON: ${(e as Error).message}`);
  }
  return { body, last: res.headers.get('x-taxii-date-added-last') };
}

/** One poll: pages through everything added since the saved cursor. */
export async function pollCollection(store: Pick<Store, 'query' | 'exec' | 'transaction'>, opts: PollOptions): Promise<PollResult> {
  const base = opts.collectionUrl.endsWith('/') ? opts.collectionUrl : `${opts.collectionUrl}/`;
  let cursor = await readCursor(store, opts.name);
  const result: PollResult = { pages: 0, objects: 0, created: 0, updated: 0, unchanged: 0, rejected: 0, complete: false, cursor };
  for (;;) {
    if (opts.maxPages !== undefined && result.pages >= opts.maxPages) break;
    const u = new URL('objects/', base);
    u.searchParams.set('match[version]', 'all');
    u.searchParams.set('limit', String(opts.limit ?? 1000));
    if (cursor.addedAfter) u.searchParams.set('added_after', cursor.addedAfter);
    if (cursor.next) u.searchParams.set('next', cursor.next);
    const { body, last } = await getPage(u.toString(), opts);
    const objects = Array.isArray(body.objects) ? body.objects : [];
    const w = await writeObjects(store, objects, { source: `taxii:${opts.name}`, method: 'taxii' });
    result.pages++;
    result.objects += objects.length;
    result.created += w.created;
    result.updated += w.updated;
    result.unchanged += w.unchanged;
    result.rejected += w.rejected;
    const more = body.more === true && typeof body.next === 'string';
    // with paging under way, keep added_after fixed and carry `next`; when done, move added_after forward
    cursor = more ? { addedAfter: cursor.addedAfter, next: body.next! } : { addedAfter: last ?? cursor.addedAfter, next: null };
    await saveCursor(store, opts.name, base, cursor);
    if (!more) {
      result.complete = true;
      break;
    }
  }
  result.cursor = cursor;
  return result;
}

/** Polls on a schedule until stopped; errors are reported to `onError` and the next tick retries. */
export function startTaxiiPolling(
  store: Pick<Store, 'query' | 'exec' | 'transaction'>,
  opts: PollOptions & { intervalMs: number; onPoll?: (r: PollResult) => void; onError?: (e: unknown) => void },
): { stop(): void } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = async () => {
    if (stopped) return;
    try {
      opts.onPoll?.(await pollCollection(store, opts));
    } catch (e) {
      opts.onError?.(e);
    }
    if (!stopped) timer = setTimeout(() => void tick(), opts.intervalMs);
  };
  timer = setTimeout(() => void tick(), 0);
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
