/**
 * CORS is off by default: no Access-Control-* header is ever sent, so browsers keep other origins from
 * reading responses. Listing origins (`QUARRY_CORS_ORIGINS=https://a.example,https://b.example` or the
 * server option) allows exactly those, for bearer-token calls only — credentials (cookies) are never
 * allowed cross-origin, so the session cookie stays same-site.
 */
import type { FastifyInstance } from 'fastify';

export function corsOriginsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.QUARRY_CORS_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

export function installCors(app: FastifyInstance, origins: readonly string[]): void {
  if (origins.length === 0) return;
  const allowed = new Set(origins);
  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (!origin || !allowed.has(origin)) return;
    void reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
    if (request.method === 'OPTIONS' && request.headers['access-control-request-method']) {
      return reply
        .status(204)
        .header('access-control-allow-methods', 'GET, HEAD, POST, PUT, PATCH, DELETE')
        .header('access-control-allow-headers', 'authorization, content-type, client-request-id, x-request-id')
        .header('access-control-max-age', '600')
        .send();
    }
  });
}
