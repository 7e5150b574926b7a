/**
 * The portal's static route over real HTTP: index.html with revalidation and the portal CSP, immutable
 * hashed assets, SPA fallback for deep links, API paths keep their JSON 404, no path traversal, and a
 * clear page when the portal is not built. Uses a temp portal directory (QUARRY_PORTAL_DIR), not the build.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type ApiHarness } from '../api/harness.js';

describe('portal static route', () => {
  let h: ApiHarness;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'quarry-portal-files-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="root"></div><script type="module" src="/assets/index-abc123.js"></script>');
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log("portal")');
    writeFileSync(join(dir, 'secret.txt.html'), 'not served directly');
    process.env.QUARRY_PORTAL_DIR = dir;
    h = await startHarness();
  });
  afterAll(async () => {
    delete process.env.QUARRY_PORTAL_DIR;
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.html at / without credentials, revalidated, with the portal CSP', async () => {
    const r = await fetch(`${h.url}/`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/html/);
    expect(r.headers.get('cache-control')).toBe('no-cache');
    expect(r.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(r.headers.get('x-frame-options')).toBe('DENY');
    expect(await r.text()).toContain('<div id="root">');
    const again = await fetch(`${h.url}/`, { headers: { 'if-none-match': r.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('serves hashed assets as immutable and answers deep links with index.html', async () => {
    const a = await fetch(`${h.url}/assets/index-abc123.js`);
    expect(a.status).toBe(200);
    expect(a.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(a.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await a.text()).toBe('console.log("portal")');
    for (const path of ['/hunting', '/intel/explorer/dancevida.com', '/incidents/3']) {
      const r = await fetch(`${h.url}${path}`);
      expect(r.status, path).toBe(200);
      expect(await r.text()).toContain('<div id="root">');
    }
    expect((await fetch(`${h.url}/assets/missing-123.js`)).status).toBe(404);
    expect((await fetch(`${h.url}/favicon.png`)).status).toBe(404);
  });

  it('keeps API paths as JSON 404s and never leaves the portal directory', async () => {
    for (const path of ['/api/no-such-route', '/v1.0/security/nothing', '/taxii2/nope/x']) {
      const r = await fetch(`${h.url}${path}`);
      expect(r.status, path).toBe(404);
      expect((await r.json()).code).toBe('api/not-found');
    }
    for (const path of ['/assets/..%2f..%2fpackage.json', '/assets/..%2f..%2f..%2fetc%2fpasswd', '/..%2fpackage.json']) {
      const r = await fetch(`${h.url}${path}`);
      expect(r.status, path).toBe(404);
      const body = await r.text();
      expect(body, path).not.toContain('"name"');
      expect(body, path).not.toContain('root:');
    }
    // Protected API routes stay protected.
    expect((await fetch(`${h.url}/api/rules`)).status).toBe(401);
  });

  it('is not part of the API description', async () => {
    const doc = await (await fetch(`${h.url}/api/openapi.json`)).json() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths).filter((p) => p === '/' || p.startsWith('/assets') || p === '/{path}')).toEqual([]);
  });
});

describe('portal route without a built portal', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    process.env.QUARRY_PORTAL_DIR = mkdtempSync(join(tmpdir(), 'quarry-portal-empty-'));
    h = await startHarness();
  });
  afterAll(async () => {
    rmSync(process.env.QUARRY_PORTAL_DIR!, { recursive: true, force: true });
    delete process.env.QUARRY_PORTAL_DIR;
    await h?.close();
  });

  it('says how to build it', async () => {
    const r = await fetch(`${h.url}/hunting`);
    expect(r.status).toBe(503);
    expect(await r.text()).toContain('npm run build');
  });
});
