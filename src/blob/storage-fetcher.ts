/**
 * The `externaldata` fetcher Quarry runs queries with: a URL that points at this Quarry's own storage
 * (`<own origin>/storage/<container>/<blob>?<SAS>`) is read straight from disk — its signature, policy,
 * expiry, protocol and permission still checked as if it had arrived over HTTP from this server — and
 * every other URL goes to the guarded HTTP fetcher (size cap, timeout, redirects, SSRF guard).
 */
import { link } from 'node:fs/promises';
import path from 'node:path';
import { QuarryError } from '../core/errors.js';
import { defaultFetcher, describeSource, EXTERNAL_MAX_BYTES, type ExternalFetcher, type HttpFetchOptions } from '../hunt/externals.js';
import { openStorage, parseStoragePath, type Storage } from './storage.js';

export interface StorageFetcherOptions {
  readonly dataDir: string;
  /** Origins (`http://127.0.0.1:7070`) under which this Quarry serves `/storage/`. */
  readonly ownOrigins: readonly string[];
  readonly http?: HttpFetchOptions;
  readonly storage?: Storage;
  readonly now?: () => Date;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Origins equal, treating the loopback names as one host (a URL minted for 127.0.0.1 read as localhost). */
function originKey(u: URL): string {
  const host = LOOPBACK.has(u.hostname) ? 'loopback' : u.hostname.toLowerCase();
  const port = u.port || (u.protocol === 'https:' ? '443' : '80');
  return `${u.protocol}//${host}:${port}`;
}

/**
 * Origins a running server actually listens on (registered after `listen`, so `--port 0` works): URLs there are
 * this Quarry's own storage too.
 */
const listeningOrigins = new Set<string>();
export function registerListeningOrigin(url: string): void {
  listeningOrigins.add(originKey(new URL(url)));
}

export function storageFetcher(opts: StorageFetcherOptions): ExternalFetcher {
  const storage = opts.storage ?? openStorage(opts.dataDir);
  const configured = new Set(opts.ownOrigins.map((o) => originKey(new URL(o))));
  const own = { has: (k: string) => configured.has(k) || listeningOrigins.has(k) };
  const http = defaultFetcher(opts.http ?? {});
  const maxBytes = opts.http?.maxBytes ?? EXTERNAL_MAX_BYTES;
  return async (url, ctx) => {
    let u: URL | undefined;
    try {
      u = /^https?:\/\//i.test(url) ? new URL(url) : undefined;
    } catch {
      throw new QuarryError('hunt/externaldata-failed', `externaldata source '${describeSource(url)}' is not a valid URL`);
    }
    const target = u && own.has(originKey(u)) ? parseStoragePath(u.pathname) : undefined;
    if (!u || !target) return http(url, ctx);
    if (target.blob === undefined) {
      throw new QuarryError('hunt/externaldata-failed', `externaldata source ${describeSource(url)} names a container, not a blob`);
    }
    if (!u.searchParams.has('sig')) {
      throw new QuarryError('blob/authentication-failed', `externaldata source ${describeSource(url)} carries no signature: mint a signed URL for it`, {
        details: { azureCode: 'AuthenticationFailed', reason: 'no signature' },
      });
    }
    // The request would come from this server itself: loopback address, the URL's own scheme.
    await storage.authorize({
      container: target.container, blob: target.blob, permission: 'r', params: u.searchParams,
      protocol: u.protocol === 'https:' ? 'https' : 'http', clientIp: '127.0.0.1', ...(opts.now ? { now: opts.now() } : {}),
    });
    const meta = await storage.blobs.statBlob(target.container, target.blob);
    if (meta.size > maxBytes) {
      throw new QuarryError('core/too-large', `externaldata source ${describeSource(url)} is larger than the limit of ${maxBytes} bytes`);
    }
    // A hard link pins this version of the content for the query even if the blob is overwritten.
    const pinned = path.join(ctx.dir, `blob-${meta.etag.replace(/\W/g, '')}-${Math.random().toString(36).slice(2)}`);
    try {
      await link(storage.blobs.contentPath(meta), pinned);
      return pinned;
    } catch {
      return storage.blobs.contentPath(meta);
    }
  };
}

/** The fetcher for a configured install: own origins from the config and `QUARRY_PUBLIC_URL`, the env allow-list. */
export function externalFetcherFor(config: { dataDir: string; host: string; port: number }, settings: { publicUrl: string; allowHosts: readonly string[] }): ExternalFetcher {
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host.includes(':') ? `[${config.host}]` : config.host;
  return storageFetcher({
    dataDir: config.dataDir,
    ownOrigins: [settings.publicUrl, `http://${host}:${config.port}`],
    http: { allowHosts: settings.allowHosts },
  });
}
