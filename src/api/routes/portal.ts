/**
 * Serves the built web portal (`dist/web`, made by `vite build web` in `npm run build`) at `/`:
 * hashed files under `/assets/` are immutable (cached a year), `index.html` is revalidated on every load,
 * and any other GET that is not an API path answers `index.html` (SPA fallback), so deep links such as
 * `/intel/explorer/dancevida.com` work after a reload. The routes are public — the portal's pages hold no
 * data; every API call it makes is checked as usual — and hidden from the OpenAPI document (static files,
 * not API operations). Paths under the API prefixes never fall back: they keep the API's JSON 404.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const STATIC_FILE = /\.(js|mjs|css|map|png|jpe?g|gif|svg|ico|webp|woff2?|ttf|txt|json|webmanifest)$/i;
/** First path segments of the portal's client-side pages (web/src routes). */
const PAGE_ROOTS = new Set(['', 'intel', 'hunting', 'incidents', 'alerts', 'rules', 'connectors', 'settings', 'storage', 'login', 'explorer']);

const API_PREFIXES = ['/api/', '/api', '/v1.0/', '/storage/', '/taxii2', '/healthz'];

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/**
 * The portal's policy: the API default (`default-src 'self'`) plus what the editor needs — Monaco adds
 * `<style>` elements and inline styles, and the Kusto language service (Bridge.NET) evaluates code in its
 * worker; article images may be `data:` URLs. Scripts still come only from this origin.
 */
export const PORTAL_CSP = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/** Where the built portal is: `QUARRY_PORTAL_DIR`, else `dist/web` next to the compiled server (or from `src/`). */
export function portalDir(): string {
  if (process.env.QUARRY_PORTAL_DIR) return resolve(process.env.QUARRY_PORTAL_DIR);
  const here = fileURLToPath(new URL('.', import.meta.url));
  const candidates = [resolve(here, '../../web'), resolve(here, '../../../dist/web')];
  return candidates.find((d) => existsSync(join(d, 'index.html'))) ?? candidates[0]!;
}

function isApiPath(path: string): boolean {
  return API_PREFIXES.some((p) => path === p || path.startsWith(p.endsWith('/') ? p : `${p}/`));
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Quarry</title>
<body style="font-family:system-ui;margin:3rem;max-width:40rem"><h1>Quarry</h1>
<p>The web portal is not built in this installation. Run <code>npm run build</code> (or <code>npm ci</code>), then restart
<code>quarry serve</code>. The HTTP API is available under <a href="/api/docs">/api/docs</a>.</p></body>`;

async function sendFile(request: FastifyRequest, reply: FastifyReply, file: string, cache: string): Promise<FastifyReply> {
  const st = statSync(file);
  const etag = `W/"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`;
  void reply.header('cache-control', cache).header('etag', etag).header('content-security-policy', PORTAL_CSP);
  void reply.header('last-modified', st.mtime.toUTCString());
  if (request.headers['if-none-match'] === etag) return reply.status(304).send();
  void reply.type(MIME[extname(file).toLowerCase()] ?? 'application/octet-stream').header('content-length', st.size);
  return reply.send(createReadStream(file));
}

export function registerPortalRoutes(app: FastifyInstance): void {
  const dir = portalDir();
  const config = { auth: 'public' as const, openapi: { hide: true } };

  /** A file inside the portal directory, or undefined (missing, a directory, or outside it). */
  const fileFor = (rel: string): string | undefined => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(rel);
    } catch {
      return undefined;
    }
    const abs = resolve(dir, `.${sep}${decoded}`);
    if (!abs.startsWith(dir + sep)) return undefined;
    try {
      return statSync(abs).isFile() ? abs : undefined;
    } catch {
      return undefined;
    }
  };

  const notFound = (request: FastifyRequest, reply: FastifyReply) =>
    reply.status(404).type('application/json; charset=utf-8').send({ code: 'api/not-found', message: `no route for ${request.method} ${request.url.split('?')[0]}` });

  const index = async (request: FastifyRequest, reply: FastifyReply) => {
    const file = join(dir, 'index.html');
    if (!existsSync(file)) return reply.status(503).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(NOT_BUILT);
    return sendFile(request, reply, file, 'no-cache');
  };

  app.get('/', { config }, index);

  app.get<{ Params: { '*': string } }>('/assets/*', { config }, async (request, reply) => {
    const file = fileFor(`assets/${request.params['*']}`);
    if (!file) return notFound(request, reply);
    // Names carry a content hash: a new build makes new names, so the old ones can be cached for good.
    return sendFile(request, reply, file, 'public, max-age=31536000, immutable');
  });

  app.get<{ Params: { '*': string } }>('/*', { config }, async (request, reply) => {
    const path = request.url.split('?')[0]!;
    if (isApiPath(path)) return notFound(request, reply);
    const file = request.params['*'] && !request.params['*'].endsWith('.html') ? fileFor(request.params['*']) : undefined;
    if (file) return sendFile(request, reply, file, 'public, max-age=3600');
    // A missing static file is a genuine 404, not a page (artifact pages such as /intel/explorer/x.com are pages).
    if (STATIC_FILE.test(path)) return notFound(request, reply);
    // Only the portal's own pages fall back to index.html; anything else (e.g. a normalised `../` path) is a 404.
    if (!PAGE_ROOTS.has(path.split('/')[1] ?? '')) return notFound(request, reply);
    return index(request, reply);
  });
}
