/**
 * Sign-in and self-service: `POST /api/auth/login` (public; rate limited), `POST /api/auth/logout`,
 * `GET /api/auth/me`, and a caller's own API tokens under `/api/auth/tokens` (any role may mint tokens
 * for itself, never above its own role). Administration of all users and tokens is in `auth-admin.ts`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { QuarryError } from '../../core/errors.js';
import { roles } from '../../auth/roles.js';
import { SESSION_COOKIE, SESSION_TTL_MS, createSession, endSession } from '../../auth/sessions.js';
import { createToken, getToken, listTokens, revokeToken } from '../../auth/tokens.js';
import { verifyLogin } from '../../auth/users.js';
import { principalOf } from '../plugins/auth.js';
import { parseWith } from '../plugins/validate.js';
import type { RouteDeps } from './index.js';

export const loginBody = z.strictObject({ username: z.string().min(1).max(64), password: z.string().min(1).max(1024) });
export const tokenBody = z.strictObject({
  name: z.string().min(1).max(100),
  role: z.enum(roles).optional(),
  scopes: z.array(z.string().max(60)).min(1).max(50).optional(),
  /** ISO 8601 duration from now (P90D) or an instant; absent = never. */
  expires: z.string().max(40).optional(),
});

function sessionCookie(request: FastifyRequest, value: string, maxAgeSeconds: number): string {
  const secure = request.protocol === 'https' ? '; Secure' : '';
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`;
}

function throttled(reply: FastifyReply, e: unknown): never {
  if (e instanceof QuarryError && e.code === 'auth/login-throttled') void reply.header('retry-after', String(e.details?.retryAfterSeconds ?? 60));
  throw e;
}

export function registerAuthRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const selfAuth = { role: 'reader', scope: 'auth' } as const;

  app.post('/api/auth/login', { config: { auth: 'public', openapi: { summary: 'Sign in: sets the session cookie, returns the CSRF token', tags: ['auth'], body: loginBody } } }, async (request, reply) => {
    const body = parseWith(loginBody, request.body, 'login');
    const throttle = request.server.quarryAuth.throttle;
    try {
      throttle.check(body.username, request.ip);
    } catch (e) {
      throttled(reply, e);
    }
    const user = await verifyLogin(deps.store, body.username, body.password);
    request.auditNote = { actor: body.username.slice(0, 64) };
    if (!user) {
      throttle.fail(body.username, request.ip);
      throw new QuarryError('auth/bad-credentials', 'wrong user name or password');
    }
    throttle.succeed(body.username);
    const s = await createSession(deps.store, user);
    void reply.header('set-cookie', sessionCookie(request, s.secret, Math.floor(SESSION_TTL_MS / 1000)));
    return { username: user.username, role: user.role, csrfToken: s.csrfToken, expiresAt: s.expiresAt.toISOString() };
  });

  app.post('/api/auth/logout', { config: { auth: selfAuth, openapi: { summary: 'End the portal session', tags: ['auth'] } } }, async (request, reply) => {
    const p = principalOf(request);
    if (p.sessionIdHash) await endSession(deps.store, p.sessionIdHash);
    void reply.header('set-cookie', sessionCookie(request, '', 0));
    return { ok: true };
  });

  app.get('/api/auth/me', { config: { auth: selfAuth, openapi: { summary: 'Who the caller is (role, credential, CSRF token for sessions)', tags: ['auth'] } } }, async (request) => {
    const p = principalOf(request);
    return {
      username: p.username, role: p.role, credential: p.kind, scopes: p.scopes,
      ...(p.tokenId ? { tokenId: p.tokenId } : {}), ...(p.csrfToken ? { csrfToken: p.csrfToken } : {}),
    };
  });

  app.get('/api/auth/tokens', { config: { auth: selfAuth, openapi: { summary: "The caller's API tokens (never their secrets)", tags: ['auth'] } } }, async (request) => ({
    tokens: await listTokens(deps.store, principalOf(request).username),
  }));

  app.post('/api/auth/tokens', { config: { auth: selfAuth, openapi: { summary: 'Create an API token for the caller; the secret is returned once', tags: ['auth'], body: tokenBody } } }, async (request, reply) => {
    const body = parseWith(tokenBody, request.body, 'token');
    const p = principalOf(request);
    const t = await createToken(deps.store, { username: p.username, name: body.name, ...(body.role ? { role: body.role } : { role: p.role }), ...(body.scopes ? { scopes: body.scopes } : {}), ...(body.expires ? { expires: body.expires } : {}) });
    request.auditNote = { details: { tokenId: t.id, role: t.role, scopes: t.scopes } };
    return reply.status(201).send(t);
  });

  app.delete<{ Params: { id: string } }>('/api/auth/tokens/:id', { config: { auth: selfAuth, openapi: { summary: 'Revoke one of the caller’s API tokens', tags: ['auth'] } } }, async (request) => {
    const p = principalOf(request);
    const t = await getToken(deps.store, request.params.id);
    if (!t || t.username.toLowerCase() !== p.username.toLowerCase()) throw new QuarryError('auth/unknown-token', `no API token '${request.params.id}' of yours`);
    const r = await revokeToken(deps.store, t.id);
    request.server.quarryAuth.invalidate();
    return r;
  });
}
