/**
 * The crawler: loads URLs in headless Chromium as a "virtual user" and turns what it saw into Explorer
 * observations — host pairs with causes, trackers, components, cookies, the TLS certificate of each HTTPS
 * host, DOM title — merged idempotently into the data sets.
 *
 * Politeness: at most `perHostConcurrency` pages of one host at a time (and `concurrency` overall), a page
 * timeout, an optional robots.txt check, caps on bodies scanned and requests recorded per page.
 * `resolve` maps hostnames to addresses (like curl's `--resolve`): the browser gets them as
 * `--host-resolver-rules`, the crawler's own TLS and robots.txt requests use them too.
 */
import { X509Certificate } from 'node:crypto';
import { QuarryError } from '../../core/errors.js';
import type { Store } from '../../store/store.js';
import { certificateRow } from '../certificates.js';
import { datasets } from '../datasets.js';
import { hostOfUrl } from '../hostnames.js';
import { mergeMany, type MergeResult } from '../merge.js';
import { subdomainRowsFrom } from '../subdomains.js';
import { launchChromium, type CdpBrowser } from './cdp-pipe.js';
import { hostPairsOf, type HostPair } from './causes.js';
import { observePage, type PageObservation } from './crawl-page.js';
import { fetchCertificate, fetchText, robotsAllows, type HostMap } from './net.js';
import { componentsFromHeaders, componentsFromHtml, findTrackers, type Component } from './rules.js';

export interface CrawlOptions {
  /** hostname → address; when given, only these hosts are contacted by the crawler's own requests. */
  readonly resolve?: HostMap;
  readonly timeoutMs?: number;
  readonly settleMs?: number;
  readonly concurrency?: number;
  readonly perHostConcurrency?: number;
  /** Check robots.txt before loading a page (default true). */
  readonly robots?: boolean;
  readonly maxBodyBytes?: number;
  readonly maxRequestsPerPage?: number;
  readonly executable?: string;
  /** Observation time (default now). */
  readonly now?: Date;
}

export interface CrawledCertificate {
  readonly host: string;
  readonly port: number;
  readonly raw: Buffer;
  readonly protocol: string;
}

export interface CrawlPageResult {
  readonly url: string;
  readonly finalUrl: string;
  readonly status: number;
  readonly title: string;
  readonly pairs: readonly HostPair[];
  readonly trackers: readonly { host: string; type: string; value: string }[];
  readonly components: readonly ({ host: string } & Component)[];
  readonly cookies: readonly { host: string; name: string; domain: string }[];
  readonly certificates: readonly CrawledCertificate[];
  readonly requests: number;
  readonly error?: string;
}

function cookieOf(header: string, host: string): { name: string; domain: string } | undefined {
  const [first, ...attrs] = header.split(';');
  const eq = first?.indexOf('=') ?? -1;
  if (!first || eq <= 0) return undefined;
  const name = first.slice(0, eq).trim();
  let domain = host;
  for (const a of attrs) {
    const m = /^\s*domain\s*=\s*\.?(.+?)\s*$/i.exec(a);
    if (m) domain = m[1]!.toLowerCase();
  }
  return { name, domain };
}

function summarise(page: PageObservation): Omit<CrawlPageResult, 'certificates'> {
  const finalHost = hostOfUrl(page.finalUrl);
  const trackers = new Map<string, { host: string; type: string; value: string }>();
  for (const text of [page.html, ...page.bodies.map((b) => b.text)]) {
    for (const t of findTrackers(text)) trackers.set(`${t.type} ${t.value}`, { host: finalHost, ...t });
  }
  const components = new Map<string, { host: string } & Component>();
  const addC = (host: string, c: Component) => host && components.set(`${host} ${c.category} ${c.name} ${c.version}`, { host, ...c });
  for (const r of page.responses) for (const c of componentsFromHeaders(r.headers)) addC(hostOfUrl(r.url), c);
  const scripts = page.requests.filter((r) => r.type === 'Script').map((r) => r.url);
  for (const c of componentsFromHtml(page.html, scripts)) addC(finalHost, c);
  const cookies = new Map<string, { host: string; name: string; domain: string }>();
  for (const sc of page.setCookies) {
    const host = hostOfUrl(sc.url);
    const c = cookieOf(sc.header, host);
    if (c && host) cookies.set(`${host} ${c.name} ${c.domain}`, { host, ...c });
  }
  for (const c of page.cookies) {
    const domain = c.domain.replace(/^\./, '');
    if (![...cookies.values()].some((x) => x.name === c.name && x.domain === domain)) cookies.set(`${finalHost} ${c.name} ${domain}`, { host: finalHost, name: c.name, domain });
  }
  return {
    url: page.url, finalUrl: page.finalUrl, status: page.status, title: page.title, pairs: hostPairsOf(page),
    trackers: [...trackers.values()], components: [...components.values()], cookies: [...cookies.values()], requests: page.requests.length,
  };
}

/** Runs `tasks` with an overall and a per-key concurrency limit. */
async function pool<T, R>(items: readonly T[], key: (t: T) => string, overall: number, perKey: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  const active = new Map<string, number>();
  const waiting = items.map((item, i) => ({ item, i }));
  let running = 0;
  return new Promise((resolve, reject) => {
    const pump = () => {
      if (waiting.length === 0 && running === 0) return resolve(results);
      for (let j = 0; j < waiting.length && running < overall; ) {
        const w = waiting[j]!;
        const k = key(w.item);
        if ((active.get(k) ?? 0) >= perKey) {
          j++;
          continue;
        }
        waiting.splice(j, 1);
        running++;
        active.set(k, (active.get(k) ?? 0) + 1);
        fn(w.item)
          .then((r) => (results[w.i] = r))
          .catch(reject)
          .finally(() => {
            running--;
            active.set(k, (active.get(k) ?? 1) - 1);
            pump();
          });
      }
    };
    pump();
  });
}

export async function crawl(urls: readonly string[], opts: CrawlOptions = {}): Promise<CrawlPageResult[]> {
  for (const u of urls) if (!/^https?:\/\//i.test(u)) throw new QuarryError('explorer/bad-input', `'${u}' is not an http(s) URL`);
  const map = opts.resolve;
  const rules = map ? Object.entries(map).map(([h, a]) => `MAP ${h} ${a}`).join(',') : undefined;
  const browser: CdpBrowser = await launchChromium({
    ...(opts.executable ? { executable: opts.executable } : {}),
    args: [
      '--ignore-certificate-errors', '--disable-site-isolation-trials', '--disable-features=IsolateOrigins,site-per-process',
      ...(rules ? [`--host-resolver-rules=${rules}`] : []),
    ],
  });
  const limits = {
    timeoutMs: opts.timeoutMs ?? 20_000, settleMs: opts.settleMs ?? 400,
    maxBodyBytes: opts.maxBodyBytes ?? 2 * 1024 * 1024, maxRequests: opts.maxRequestsPerPage ?? 1000,
  };
  const certs = new Map<string, Promise<CrawledCertificate | undefined>>();
  const certOf = (host: string, port: number) => {
    const k = `${host}:${port}`;
    if (!certs.has(k)) certs.set(k, fetchCertificate(host, port, map, limits.timeoutMs).catch(() => undefined));
    return certs.get(k)!;
  };
  try {
    return await pool(urls, (u) => hostOfUrl(u), opts.concurrency ?? 2, opts.perHostConcurrency ?? 1, async (url) => {
      const empty = { url, finalUrl: url, status: 0, title: '', pairs: [], trackers: [], components: [], cookies: [], certificates: [], requests: 0 };
      if (opts.robots !== false) {
        const u = new URL(url);
        const robots = await fetchText(`${u.origin}/robots.txt`, map, limits.timeoutMs, 512 * 1024).catch(() => undefined);
        if (robots && robots.status === 200 && !robotsAllows(robots.body, u.pathname + u.search)) return { ...empty, error: 'disallowed by robots.txt' };
      }
      let page: PageObservation;
      try {
        page = await observePage(browser, url, limits);
      } catch (e) {
        return { ...empty, error: (e as Error).message };
      }
      const s = summarise(page);
      const origins = new Set<string>();
      for (const r of page.responses) {
        const u = new URL(r.url);
        if (u.protocol === 'https:') origins.add(`${u.hostname}|${u.port || '443'}`);
      }
      const got = await Promise.all([...origins].map((o) => certOf(o.split('|')[0]!, Number(o.split('|')[1]))));
      return { ...s, certificates: got.filter((c): c is CrawledCertificate => c !== undefined) };
    });
  } finally {
    await browser.close();
  }
}

/** Crawl results → data set rows (one batch per crawl). */
export function crawlRows(results: readonly CrawlPageResult[], at: Date): Parameters<typeof mergeMany>[1] {
  const seen = { FirstSeen: at, LastSeen: at, SeenCount: 1, Source: 'crawler' };
  const ok = results.filter((r) => !r.error);
  const certRows: Record<string, unknown>[] = [];
  const hostCertRows: Record<string, unknown>[] = [];
  for (const r of ok) {
    for (const c of r.certificates) {
      const row = certificateRow(new X509Certificate(c.raw), c.protocol, at, 'crawler');
      certRows.push(row);
      hostCertRows.push({ Host: c.host, Fingerprint: row['Fingerprint'], Port: c.port, ...seen });
    }
  }
  const hosts = ok.flatMap((r) => [hostOfUrl(r.url), hostOfUrl(r.finalUrl), ...r.pairs.flatMap((p) => [p.parent, p.child])]);
  return [
    { spec: datasets.hostPairs, rows: ok.flatMap((r) => r.pairs.map((p) => ({ ParentHost: p.parent, ChildHost: p.child, Cause: p.cause, ...seen }))) },
    { spec: datasets.trackers, rows: ok.flatMap((r) => r.trackers.map((t) => ({ Host: t.host, TrackerType: t.type, Value: t.value, ...seen }))) },
    { spec: datasets.components, rows: ok.flatMap((r) => r.components.map((c) => ({ Host: c.host, Category: c.category, Name: c.name, Version: c.version, ...seen }))) },
    { spec: datasets.cookies, rows: ok.flatMap((r) => r.cookies.map((c) => ({ Host: c.host, CookieName: c.name, CookieDomain: c.domain, ...seen }))) },
    { spec: datasets.certificates, rows: certRows },
    { spec: datasets.hostCertificates, rows: hostCertRows },
    {
      spec: datasets.crawls,
      rows: results.map((r) => ({
        Url: r.url, Host: hostOfUrl(r.url), FinalUrl: r.finalUrl, FinalHost: hostOfUrl(r.finalUrl), Status: r.status,
        Title: r.error ? `error: ${r.error}` : r.title, CrawledAt: at, Requests: r.requests,
      })),
    },
    { spec: datasets.subdomains, rows: subdomainRowsFrom([...new Set(hosts)].map((h) => ({ host: h, first: BigInt(at.getTime()) * 1000n, last: BigInt(at.getTime()) * 1000n })), 'crawler') },
  ];
}

export async function collectCrawl(store: Store, urls: readonly string[], opts: CrawlOptions = {}): Promise<{ pages: CrawlPageResult[]; merged: MergeResult[] }> {
  const pages = await crawl(urls, opts);
  const merged = await mergeMany(store, crawlRows(pages, opts.now ?? new Date()));
  return { pages, merged };
}
