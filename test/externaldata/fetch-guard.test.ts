/**
 * The guarded HTTP fetcher against real servers on 127.0.0.1: private targets refused unless allowed,
 * redirects re-checked (169.254.169.254, file:), size cap with and without Content-Length, timeout,
 * and no query string (SAS token) in any error message. Nothing is left in the query's temp dir.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultFetcher, describeSource, isBlockedAddress, type FetchContext } from '../../src/hunt/externals.js';
import { QuarryError } from '../../src/core/errors.js';

let server: http.Server;
let base: string;
const ctxDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quarry-fetch-'));
const ctx: FetchContext = { dir: ctxDir };
const SECRET = 'sv=2022-11-02&sig=c2VjcmV0LXNpZ25hdHVyZQ%3D%3D';

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const u = new URL(req.url!, 'http://x');
    if (u.pathname === '/ok.csv') return void res.end('a,b\n1,2\n');
    if (u.pathname === '/to-metadata') return void res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
    if (u.pathname === '/to-file') return void res.writeHead(302, { location: 'file:///etc/passwd' }).end();
    if (u.pathname === '/to-ok') return void res.writeHead(301, { location: '/ok.csv' }).end();
    if (u.pathname === '/loop') return void res.writeHead(302, { location: '/loop' }).end();
    if (u.pathname === '/big-declared') {
      res.writeHead(200, { 'content-length': String(5000) });
      return void res.end(Buffer.alloc(5000, 97));
    }
    if (u.pathname === '/big-chunked') {
      res.writeHead(200);
      let n = 0;
      const t = setInterval(() => {
        if (n++ > 20 || res.destroyed) {
          clearInterval(t);
          res.end();
        } else res.write(Buffer.alloc(512, 98));
      }, 1);
      return;
    }
    if (u.pathname === '/slow') return void setTimeout(() => res.end('late'), 2000);
    if (u.pathname === '/missing') return void res.writeHead(404).end();
    res.writeHead(500).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  fs.rmSync(ctxDir, { recursive: true, force: true });
});

async function refusal(p: Promise<unknown>): Promise<QuarryError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(QuarryError);
    const q = e as QuarryError;
    expect(q.message).not.toContain('c2VjcmV0');
    expect(JSON.stringify(q.toJSON())).not.toContain('sig=');
    return q;
  }
  throw new Error('expected a refusal');
}

describe('guarded externaldata fetch', () => {
  it('classifies private, loopback, link-local and mapped addresses', () => {
    for (const a of ['127.0.0.1', '10.2.3.4', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:a9fe:a9fe', '64:ff9b::a00:1']) {
      expect(isBlockedAddress(a), a).toBe(true);
    }
    for (const a of ['8.8.8.8', '203.0.113.77', '2606:4700::1111', '172.32.0.1']) expect(isBlockedAddress(a), a).toBe(false);
  });

  it('refuses a URL to a private or loopback address unless the operator allows it', async () => {
    const f = defaultFetcher();
    const e = await refusal(f(`${base}/ok.csv?${SECRET}`, ctx));
    expect(e.code).toBe('hunt/externaldata-blocked');
    expect(e.message).toMatch(/private, loopback or link-local address \(127\.0\.0\.1\)/);
    expect((await refusal(f(`http://10.0.0.1/x.csv?${SECRET}`, ctx))).code).toBe('hunt/externaldata-blocked');
    expect((await refusal(f(`http://[::1]:1/x.csv`, ctx))).code).toBe('hunt/externaldata-blocked');
    // A name that resolves to loopback is refused at lookup time.
    const local = await refusal(f(`http://localhost:${new URL(base).port}/ok.csv?${SECRET}`, ctx));
    expect(local.code).toBe('hunt/externaldata-blocked');
    const allowed = defaultFetcher({ allowHosts: ['127.0.0.0/8'] });
    expect(fs.readFileSync(await allowed(`${base}/ok.csv?${SECRET}`, ctx), 'utf8')).toBe('a,b\n1,2\n');
  });

  it('re-checks every redirect: 169.254.169.254 and file: are refused, a same-host redirect is followed', async () => {
    const f = defaultFetcher({ allowHosts: ['127.0.0.1'] });
    const meta = await refusal(f(`${base}/to-metadata?${SECRET}`, ctx));
    expect(meta.code).toBe('hunt/externaldata-blocked');
    expect(meta.message).toContain('169.254.169.254');
    expect((await refusal(f(`${base}/to-file`, ctx))).message).toMatch(/redirects to a file: URL/);
    expect(fs.readFileSync(await f(`${base}/to-ok`, ctx), 'utf8')).toBe('a,b\n1,2\n');
    expect((await refusal(f(`${base}/loop?${SECRET}`, ctx))).message).toMatch(/more than 3 redirects/);
  });

  it('caps the size (declared or streamed) and leaves no partial file', async () => {
    const f = defaultFetcher({ allowHosts: ['127.0.0.1'], maxBytes: 4096 });
    const before = fs.readdirSync(ctxDir).length;
    expect((await refusal(f(`${base}/big-declared?${SECRET}`, ctx))).code).toBe('core/too-large');
    const chunked = await refusal(f(`${base}/big-chunked?${SECRET}`, ctx));
    expect(chunked.code).toBe('core/too-large');
    expect(chunked.message).toMatch(/larger than the limit of 4096 bytes/);
    expect(fs.readdirSync(ctxDir).length).toBe(before);
  });

  it('times out, reports HTTP errors, and never shows the query string', async () => {
    const f = defaultFetcher({ allowHosts: ['127.0.0.1'], timeoutMs: 300 });
    const slow = await refusal(f(`${base}/slow?${SECRET}`, ctx));
    expect(slow.message).toMatch(/within 300 ms/);
    const missing = await refusal(f(`${base}/missing?${SECRET}`, ctx));
    expect(missing.message).toMatch(/answered HTTP 404/);
    expect(missing.message).toContain('/missing?…');
    expect(describeSource(`https://h.example/c/b.csv?${SECRET}`)).toBe('https://h.example/c/b.csv?…');
  });

  it('refuses relative paths and other schemes', async () => {
    const f = defaultFetcher();
    expect((await refusal(f('relative/file.csv', ctx))).code).toBe('hunt/externaldata-failed');
    expect((await refusal(f('ftp://example.com/x.csv', ctx))).message).toMatch(/only http\(s\) URLs and local files/);
  });
});
