/**
 * Fetching `externaldata` sources to local files before a query runs. Local paths and `file:` URLs are
 * read in place; `http(s)` URLs are downloaded with a size cap, a timeout, limited redirects and a guard
 * against private, loopback and link-local targets (unless an allow-list names them). Each URL is fetched
 * once per query. The storage feature supplies its own fetcher for Quarry's signed URLs.
 */
import { lookup } from 'node:dns/promises';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { QuarryError } from '../core/errors.js';
import { redactUrl } from '../core/log.js';
import type { Rel } from '../plan/ir.js';

export interface FetchContext {
  /** A private temp directory for this query's downloads. */
  readonly dir: string;
  readonly signal?: AbortSignal;
}

/** Returns the local path holding the URL's content. */
export type ExternalFetcher = (url: string, ctx: FetchContext) => Promise<string>;

export interface HttpFetchOptions {
  readonly maxBytes?: number;
  readonly timeoutMs?: number;
  readonly maxRedirects?: number;
  /** Hosts (names or IPs) allowed even though they resolve to private/loopback addresses. */
  readonly allowHosts?: readonly string[];
}

export const EXTERNAL_MAX_BYTES = 100 * 1024 * 1024;

export async function resolveExternals(
  rels: readonly Extract<Rel, { op: 'external' }>[],
  fetcher: ExternalFetcher | undefined,
  signal?: AbortSignal,
): Promise<{ filesFor: (rel: Extract<Rel, { op: 'external' }>) => string[]; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'quarry-ext-'));
  const fetch = fetcher ?? defaultFetcher();
  const byUrl = new Map<string, string>();
  const ctx: FetchContext = signal ? { dir, signal } : { dir };
  try {
    for (const rel of rels) {
      for (const url of rel.urls) {
        if (!byUrl.has(url)) byUrl.set(url, await fetch(url, ctx));
      }
    }
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  // Rels are matched by their URL lists (the plan is re-compiled, so objects differ).
  return {
    filesFor: (rel) => rel.urls.map((u) => byUrl.get(u) ?? u),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

export function defaultFetcher(opts: HttpFetchOptions = {}): ExternalFetcher {
  return async (url, ctx) => {
    if (/^https?:\/\//i.test(url)) return httpFetch(url, ctx, opts);
    const local = url.startsWith('file:') ? fileURLToPath(url) : url;
    if (!path.isAbsolute(local)) {
      throw new QuarryError('hunt/externaldata-failed', `externaldata source '${redactUrl(url)}' is neither an http(s) URL nor an absolute file path`);
    }
    try {
      const st = await stat(local);
      if (st.size > (opts.maxBytes ?? EXTERNAL_MAX_BYTES)) throw new QuarryError('core/too-large', `externaldata file is larger than ${opts.maxBytes ?? EXTERNAL_MAX_BYTES} bytes`);
    } catch (e) {
      if (e instanceof QuarryError) throw e;
      throw new QuarryError('hunt/externaldata-failed', `externaldata file '${local}' cannot be read`);
    }
    return local;
  };
}

function isBlockedAddress(ip: string): boolean {
  if (isIP(ip) === 4) {
    const [a, b] = ip.split('.').map(Number) as [number, number];
    return a === 10 || a === 127 || a === 0 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || a >= 224;
  }
  const l = ip.toLowerCase();
  return l === '::1' || l === '::' || l.startsWith('fe80') || l.startsWith('fc') || l.startsWith('fd') || l.startsWith('::ffff:127.') || l.startsWith('::ffff:10.') || l.startsWith('::ffff:169.254.') || l.startsWith('::ffff:192.168.');
}

async function checkTarget(u: URL, allowHosts: readonly string[]): Promise<void> {
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (allowHosts.includes(host)) return;
  const addrs = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  for (const a of addrs) {
    if (isBlockedAddress(a)) {
      throw new QuarryError('hunt/externaldata-failed', `externaldata refuses ${u.protocol}//${u.host}: it resolves to a private, loopback or link-local address (${a}); an operator can allow it explicitly`);
    }
  }
}

async function httpFetch(url: string, ctx: FetchContext, opts: HttpFetchOptions): Promise<string> {
  const maxBytes = opts.maxBytes ?? EXTERNAL_MAX_BYTES;
  const maxRedirects = opts.maxRedirects ?? 3;
  const timeout = AbortSignal.timeout(opts.timeoutMs ?? 60_000);
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, timeout]) : timeout;
  let current = new URL(url);
  for (let hop = 0; ; hop++) {
    await checkTarget(current, opts.allowHosts ?? []);
    let res: Response;
    try {
      res = await fetch(current, { redirect: 'manual', signal });
    } catch (e) {
      throw new QuarryError('hunt/externaldata-failed', `externaldata could not fetch ${redactUrl(current.href)}: ${(e as Error).message}`);
    }
    if (res.status >= 300 && res.status < 400 && res.headers.get('location')) {
      if (hop >= maxRedirects) throw new QuarryError('hunt/externaldata-failed', `externaldata: too many redirects from ${redactUrl(url)}`);
      current = new URL(res.headers.get('location')!, current);
      continue;
    }
    if (!res.ok || !res.body) {
      throw new QuarryError('hunt/externaldata-failed', `externaldata: ${redactUrl(current.href)} answered HTTP ${res.status}`);
    }
    const declared = Number(res.headers.get('content-length') ?? '0');
    if (declared > maxBytes) throw new QuarryError('core/too-large', `externaldata source is larger than ${maxBytes} bytes`);
    const file = path.join(ctx.dir, `src-${Math.random().toString(36).slice(2)}`);
    const out = createWriteStream(file);
    let total = 0;
    const reader = res.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.byteLength;
        if (total > maxBytes) throw new QuarryError('core/too-large', `externaldata source is larger than ${maxBytes} bytes`);
        if (!out.write(value)) await new Promise<void>((r) => out.once("drain", () => r()));
      }
    } finally {
      await new Promise<void>((r) => out.end(r));
    }
    return file;
  }
}
