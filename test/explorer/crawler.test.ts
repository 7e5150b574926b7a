/**
 * The crawler against a local test site: several hostnames served from 127.0.0.1 (HTTP and HTTPS with a
 * self-signed certificate generated here by openssl), an HTTP redirect, a JS redirect, a script, an iframe,
 * an image, a stylesheet, an XHR, a GA id, a cookie, a server header, a generator tag. Real Chromium.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate, createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectCrawl, type CrawlPageResult } from '../../src/explorer/crawler/crawl.js';
import { robotsAllows } from '../../src/explorer/crawler/net.js';
import type { Store } from '../../src/store/store.js';
import { removeTempStores, rows, tempStore } from './helpers.js';

const chromium = process.env['QUARRY_CHROMIUM'] ?? '/usr/bin/chromium';
const skip = fs.existsSync(chromium) ? null : `${chromium} not installed (apt-get install -y chromium)`;
if (skip) console.warn(`skipping crawler tests: ${skip}`);

const H = (name: string) => `${name}.quarry.test`;
const hosts = ['start', 'landing', 'final', 'scripts', 'images', 'styles', 'api', 'links', 'secure', 'private'].map(H);

describe.skipIf(skip !== null)('crawler on a local multi-host site', () => {
  let httpServer: http.Server;
  let httpsServer: https.Server;
  let P = 0;
  let S = 0;
  let certPem = '';
  let store: Store;
  let pages: CrawlPageResult[];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quarry-crawl-test-'));

  beforeAll(async () => {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'),
      '-days', '30', '-subj', `/CN=${H('secure')}/O=Quarry Test`, '-addext', `subjectAltName=DNS:${H('secure')}`,
    ], { stdio: 'ignore' });
    certPem = fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8');
    httpServer = http.createServer((req, res) => {
      const host = (req.headers.host ?? '').split(':')[0];
      const url = req.url ?? '/';
      const html = (body: string, headers: Record<string, string> = {}) => {
        res.writeHead(200, { 'content-type': 'text/html', ...headers });
        res.end(body);
      };
      if (url === '/robots.txt') {
        if (host === H('private')) return void res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nDisallow: /secret\n');
        return void res.writeHead(404).end();
      }
      if (host === H('start')) return void res.writeHead(302, { location: `http://${H('landing')}:${P}/` }).end();
      if (host === H('landing')) return html(`<html><head><title>moving</title></head><body><script>location.replace('http://${H('final')}:${P}/')</script></body></html>`);
      if (host === H('final') && url === '/') {
        return html(
          `<!doctype html><html><head><title>Quarry test page</title>
           <meta name="generator" content="WordPress 6.4.2">
           <link rel="stylesheet" href="http://${H('styles')}:${P}/site.css">
           <script>window.dataLayer=[];function gtag(){dataLayer.push(arguments)};gtag('config','UA-12345678-1');</script>
           <script src="http://${H('scripts')}:${P}/app.js"></script></head>
           <body><img src="http://${H('images')}:${P}/logo.png"><iframe src="https://${H('secure')}:${S}/frame.html"></iframe>
           <a href="http://${H('links')}:${P}/about">about</a></body></html>`,
          { server: 'nginx/1.18.0', 'set-cookie': 'sessionid=abc123; Path=/; HttpOnly' },
        );
      }
      if (host === H('scripts')) {
        res.writeHead(200, { 'content-type': 'application/javascript' });
        return void res.end(`fetch('http://${H('api')}:${P}/data.json').then(r => r.text());`);
      }
      if (host === H('styles')) return void res.writeHead(200, { 'content-type': 'text/css' }).end('body { color: #333 }');
      if (host === H('images')) {
        const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
        return void res.writeHead(200, { 'content-type': 'image/png' }).end(png);
      }
      if (host === H('api')) return void res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' }).end('{}');
      return html('<html><body>ok</body></html>');
    });
    httpsServer = https.createServer({ key: fs.readFileSync(path.join(dir, 'key.pem')), cert: certPem }, (req, res) => {
      if (req.url === '/robots.txt') return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>frame</body></html>');
    });
    await new Promise<void>((r) => httpServer.listen(0, '127.0.0.1', r));
    await new Promise<void>((r) => httpsServer.listen(0, '127.0.0.1', r));
    P = (httpServer.address() as AddressInfo).port;
    S = (httpsServer.address() as AddressInfo).port;
    store = await tempStore();
    const resolve = Object.fromEntries(hosts.map((h) => [h, '127.0.0.1']));
    const at = new Date('2024-06-01T12:00:00Z');
    const r = await collectCrawl(store, [`http://${H('start')}:${P}/`, `http://${H('private')}:${P}/secret/page`], { resolve, now: at, timeoutMs: 15_000 });
    pages = r.pages;
  }, 90_000);

  afterAll(async () => {
    await store?.close();
    httpServer?.close();
    httpsServer?.close();
    removeTempStores();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('yields exactly the expected host pairs with causes', async () => {
    expect(pages[0]!.error).toBeUndefined();
    const got = await rows(store, 'SELECT ParentHost, ChildHost, Cause FROM ExplorerHostPairs ORDER BY ParentHost, ChildHost, Cause');
    const expected = [
      [H('final'), H('api'), 'xmlhttprequest'],
      [H('final'), H('images'), 'img.src'],
      [H('final'), H('links'), 'a.href'],
      [H('final'), H('scripts'), 'script.src'],
      [H('final'), H('secure'), 'iframe.src'],
      [H('final'), H('styles'), 'link.href'],
      [H('landing'), H('final'), 'finalRedirect'],
      [H('start'), H('landing'), 'redirect'],
    ].map(([p, c, k]) => ({ ParentHost: p, ChildHost: c, Cause: k }));
    expect(got).toEqual(expected);
  });

  it('finds exactly the GA tracker, the cookie, the components, the DOM title', async () => {
    expect(await rows(store, 'SELECT Host, TrackerType, Value FROM ExplorerTrackers')).toEqual([
      { Host: H('final'), TrackerType: 'GoogleAnalyticsID', Value: 'UA-12345678-1' },
    ]);
    expect(await rows(store, 'SELECT Host, CookieName, CookieDomain FROM ExplorerCookies')).toEqual([
      { Host: H('final'), CookieName: 'sessionid', CookieDomain: H('final') },
    ]);
    expect(await rows(store, 'SELECT Host, Category, Name, Version FROM ExplorerComponents ORDER BY Category')).toEqual([
      { Host: H('final'), Category: 'CMS', Name: 'WordPress', Version: '6.4.2' },
      { Host: H('final'), Category: 'Server', Name: 'nginx', Version: '1.18.0' },
    ]);
    const crawl = await rows(store, 'SELECT FinalHost, Title, Status FROM ExplorerCrawls WHERE Host = $1', [H('start')]);
    expect(crawl).toEqual([{ FinalHost: H('final'), Title: 'Quarry test page', Status: 200 }]);
  });

  it('records the self-signed certificate of the HTTPS host with its port', async () => {
    const x = new X509Certificate(certPem);
    const sha1 = createHash('sha1').update(x.raw).digest('hex');
    expect(await rows(store, 'SELECT Fingerprint, SubjectCommonName, SelfSigned, SubjectOrganization FROM ExplorerCertificates')).toEqual([
      { Fingerprint: sha1, SubjectCommonName: H('secure'), SelfSigned: true, SubjectOrganization: 'Quarry Test' },
    ]);
    expect(await rows(store, 'SELECT Host, Fingerprint, Port FROM ExplorerHostCertificates')).toEqual([{ Host: H('secure'), Fingerprint: sha1, Port: S }]);
  });

  it('honours robots.txt', () => {
    expect(pages[1]!.error).toBe('disallowed by robots.txt');
    expect(robotsAllows('User-agent: *\nDisallow: /a\nAllow: /a/b\n', '/a/b/c')).toBe(true);
    expect(robotsAllows('User-agent: *\nDisallow: /a\n', '/a/x')).toBe(false);
    expect(robotsAllows('User-agent: other\nDisallow: /\n', '/x')).toBe(true);
  });
});
