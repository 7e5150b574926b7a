/**
 * Fetching `externaldata` sources to local files before a query runs. Local paths and `file:` URLs are
 * read in place; `http(s)` URLs are downloaded with a size cap, a timeout, a limited number of redirects
 * (each one checked again) and a guard against private, loopback and link-local targets unless an
 * operator allow-list names them. The guard runs both before connecting and inside the connection's DNS
 * lookup, so a name that resolves differently the second time (DNS rebinding) is still refused.
 * Each URL is fetched once per query. Errors and logs never show a URL's query string (SAS tokens live
 * there) — see `describeSource`. The storage feature supplies its own fetcher for Quarry's signed URLs.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { QuarryError } from '../core/errors.js';
import type { Rel } from '../plan/ir.js';

export interface FetchContext {
  /** A private temp directory for this query's downloads (removed after the query). */
  readonly dir: string;
  readonly signal?: AbortSignal;
}

/** Returns the local path holding the URL's content. */
export type ExternalFetcher = (url: string, ctx: FetchContext) => Promise<string>;

export interface HttpFetchOptions {
  readonly maxBytes?: number;
  readonly timeoutMs?: number;
  readonly maxRedirects?: number;
  /**
   * Operator allow-list: host names, IP addresses or CIDR ranges that may be fetched although they are
   * private, loopback or link-local.
   */
  readonly allowHosts?: readonly string[];
}

export const EXTERNAL_MAX_BYTES = 100 * 1024 * 1024;
export const EXTERNAL_TIMEOUT_MS = 60_000;
export const EXTERNAL_MAX_REDIRECTS = 3;

/** A URL as it may appear in errors and logs: scheme, host and path only (the query may hold a SAS token). */
export function describeSource(url: string): string {
  if (!/^[a-z][a-z0-9+.-]*:/i.test(url)) return url;
  try {
    const u = new URL(url);
    if (u.protocol === 'file:') return u.pathname;
    return `${u.protocol}//${u.host}${u.pathname}${u.search ? '?…' : ''}`;
  } catch {
    return url.replace(/[?#].*$/, '?…');
  }
}

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
      for (const [i, url] of rel.urls.entries()) {
        if (byUrl.has(url)) continue;
        try {
          byUrl.set(url, await fetch(url, ctx));
        } catch (e) {
          // An obfuscated literal (h"…") must not leak through the error: keep only the code.
          if (!rel.obfuscated?.[i]) throw e;
          const code = e instanceof QuarryError ? e.code : 'hunt/externaldata-failed';
          throw new QuarryError(code, `externaldata could not read an obfuscated source (source ${i + 1} of the list)`);
        }
      }
    }
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  // Rels are matched by their URL lists (the plan is re-compiled, so objects differ).
  return {
    filesFor: (rel) => rel.urls.map((u) => {
      const f = byUrl.get(u);
      if (f === undefined) throw new QuarryError('hunt/externaldata-failed', `externaldata source ${describeSource(u)} was not fetched`);
      return f;
    }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Reads local files in place and fetches http(s) URLs through the guard. */
export function defaultFetcher(opts: HttpFetchOptions = {}): ExternalFetcher {
  return async (url, ctx) => {
    if (/^https?:\/\//i.test(url)) return httpFetch(url, ctx, opts);
    if (/^[a-z][a-z0-9+.-]+:/i.test(url) && !url.startsWith('file:')) {
      throw new QuarryError('hunt/externaldata-failed', `externaldata source '${describeSource(url)}': only http(s) URLs and local files can be read`);
    }
    const local = url.startsWith('file:') ? fileURLToPath(url) : url;
    if (!path.isAbsolute(local)) {
      throw new QuarryError('hunt/externaldata-failed', `externaldata source '${describeSource(url)}' is neither an http(s) URL nor an absolute file path`);
    }
    const max = opts.maxBytes ?? EXTERNAL_MAX_BYTES;
    let size: number;
    try {
      size = (await stat(local)).size;
    } catch {
      throw new QuarryError('hunt/externaldata-failed', `externaldata file '${local}' cannot be read`);
    }
    if (size > max) throw tooLarge(url, max);
    return local;
  };
}

function tooLarge(url: string, max: number): QuarryError {
  return new QuarryError('core/too-large', `externaldata source ${describeSource(url)} is larger than the limit of ${max} bytes`, { details: { maxBytes: max } });
}

/** Loopback, private, link-local, shared, multicast and reserved ranges (IPv4-mapped IPv6 included). */
const blocked = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
  // NAT64 and 6to4 embed an IPv4 address that could be private.
  ['64:ff9b::', 96], ['2002::', 16], ['100::', 64],
] as const) blocked.addSubnet(net, bits, 'ipv6');

export function isBlockedAddress(ip: string): boolean {
  const fam = isIP(ip);
  if (fam === 0) return true;
  return blocked.check(ip, fam === 4 ? 'ipv4' : 'ipv6');
}

interface Allow {
  readonly names: Set<string>;
  readonly list: BlockList;
}

function allowOf(entries: readonly string[]): Allow {
  const names = new Set<string>();
  const list = new BlockList();
  for (const raw of entries) {
    const e = raw.trim().toLowerCase().replace(/^\[|\]$/g, '');
    if (!e) continue;
    const [addr, bits] = e.split('/') as [string, string | undefined];
    const fam = isIP(addr);
    if (fam && bits !== undefined) list.addSubnet(addr, Number(bits), fam === 4 ? 'ipv4' : 'ipv6');
    else if (fam) list.addAddress(addr, fam === 4 ? 'ipv4' : 'ipv6');
    else names.add(e);
  }
  return { names, list };
}

function addressAllowed(ip: string, allow: Allow): boolean {
  const fam = isIP(ip);
  return fam !== 0 && (!isBlockedAddress(ip) || allow.list.check(ip, fam === 4 ? 'ipv4' : 'ipv6'));
}

function refused(u: URL, addr: string): QuarryError {
  return new QuarryError('hunt/externaldata-blocked',
    `externaldata refuses ${u.protocol}//${u.host}: it resolves to a private, loopback or link-local address (${addr})`, {
      hints: ['an operator can allow the host with QUARRY_EXTERNALDATA_ALLOW_HOSTS (names, IPs or CIDR ranges)'],
    });
}

/** A DNS lookup for the connection that refuses blocked addresses (called for names, not IP literals). */
function guardedLookup(u: URL, allow: Allow, onRefused: (e: QuarryError) => void) {
  return (hostname: string, options: object, callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '');
      const bad = addresses.find((a) => !addressAllowed(a.address, allow));
      if (bad) {
        const e = refused(u, bad.address);
        onRefused(e);
        return callback(Object.assign(new Error(e.message), { code: 'EQUARRYBLOCKED' }), '');
      }
      if ((options as { all?: boolean }).all) return callback(null, addresses);
      return callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

function checkLiteral(u: URL, allow: Allow): void {
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && !addressAllowed(host, allow)) throw refused(u, host);
}

async function httpFetch(url: string, ctx: FetchContext, opts: HttpFetchOptions): Promise<string> {
  const maxBytes = opts.maxBytes ?? EXTERNAL_MAX_BYTES;
  const maxRedirects = opts.maxRedirects ?? EXTERNAL_MAX_REDIRECTS;
  const timeout = AbortSignal.timeout(opts.timeoutMs ?? EXTERNAL_TIMEOUT_MS);
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, timeout]) : timeout;
  const allow = allowOf(opts.allowHosts ?? []);
  let current = new URL(url);
  for (let hop = 0; ; hop++) {
    if (current.protocol !== 'http:' && current.protocol !== 'https:') {
      throw new QuarryError('hunt/externaldata-failed', `externaldata: ${describeSource(url)} redirects to a ${current.protocol} URL, which is not followed`);
    }
    const nameAllowed = allow.names.has(current.hostname.toLowerCase());
    if (!nameAllowed) checkLiteral(current, allow);
    let blockedErr: QuarryError | undefined;
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const mod = current.protocol === 'https:' ? https : http;
      const req = mod.get(current, {
        signal,
        headers: { 'user-agent': 'Quarry-externaldata', accept: '*/*' },
        ...(nameAllowed ? {} : { lookup: guardedLookup(current, allow, (e) => (blockedErr = e)) as never }),
      }, resolve);
      req.on('error', reject);
    }).catch((e: Error) => {
      if (blockedErr) throw blockedErr;
      const why = timeout.aborted ? `no answer within ${opts.timeoutMs ?? EXTERNAL_TIMEOUT_MS} ms` : ctx.signal?.aborted ? 'the query was cancelled' : e.message;
      throw new QuarryError('hunt/externaldata-failed', `externaldata could not fetch ${describeSource(current.href)}: ${why}`);
    });
    const status = res.statusCode ?? 0;
    const location = res.headers.location;
    if (status >= 300 && status < 400 && location) {
      res.resume();
      if (hop >= maxRedirects) throw new QuarryError('hunt/externaldata-failed', `externaldata: more than ${maxRedirects} redirects from ${describeSource(url)}`);
      current = new URL(location, current);
      continue;
    }
    if (status < 200 || status >= 300) {
      res.resume();
      throw new QuarryError('hunt/externaldata-failed', `externaldata: ${describeSource(current.href)} answered HTTP ${status}`, { details: { status } });
    }
    const declared = Number(res.headers['content-length'] ?? '0');
    if (declared > maxBytes) {
      res.destroy();
      throw tooLarge(url, maxBytes);
    }
    const file = path.join(ctx.dir, `src-${Math.random().toString(36).slice(2)}`);
    let total = 0;
    const cap = new Transform({
      transform(chunk: Buffer, _enc, done) {
        total += chunk.byteLength;
        if (total > maxBytes) done(tooLarge(url, maxBytes));
        else done(null, chunk);
      },
    });
    try {
      await pipeline(res, cap, createWriteStream(file), { signal });
    } catch (e) {
      await rm(file, { force: true });
      if (e instanceof QuarryError) throw e;
      const why = timeout.aborted ? `no complete answer within ${opts.timeoutMs ?? EXTERNAL_TIMEOUT_MS} ms` : (e as Error).message;
      throw new QuarryError('hunt/externaldata-failed', `externaldata could not read ${describeSource(current.href)}: ${why}`);
    }
    return file;
  }
}
