/**
 * The global access-control hook. Every route is covered by default: at registration `onRoute` validates
 * the route's `config.auth` (see `route-auth.ts`); on each request `onRequest` (before the body is even
 * read) authenticates the caller — `Authorization: Bearer qtk_…` API token or the `quarry_session`
 * cookie — then checks the role, the token's scopes and, for cookie-authenticated writes, the CSRF header.
 * The principal is left on `request.principal` for handlers and the audit log.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { QuarryError } from '../../core/errors.js';
import type { Store } from '../../store/store.js';
import { LoginThrottle, type ThrottleOptions, defaultThrottle } from '../../auth/login-throttle.js';
import { HuntQuota, type QuotaOptions, defaultQuota } from '../../auth/quota.js';
import { roleAtLeast, type Role } from '../../auth/roles.js';
import { scopesAllow } from '../../auth/scopes.js';
import { CSRF_HEADER, SESSION_COOKIE, csrfMatches, findSession, readCookie } from '../../auth/sessions.js';
import { touchToken, verifyToken, type VerifiedToken } from '../../auth/tokens.js';
import { isSafeMethod, resolveRouteAuth, validateRouteAuth, type ResolvedAuth } from './route-auth.js';

export interface Principal {
  readonly kind: 'token' | 'session';
  readonly userId: string;
  readonly username: string;
  readonly role: Role;
  readonly scopes: readonly string[];
  readonly tokenId?: string;
  readonly sessionIdHash?: string;
  readonly csrfToken?: string;
  /** Key for per-caller quotas: the token id, or the user for sessions. */
  readonly quotaKey: string;
}

export interface AuthOptions {
  readonly throttle?: Partial<ThrottleOptions>;
  readonly quota?: Partial<QuotaOptions>;
  /** Lifetime of the in-process token verification cache, ms (revocations through the API clear it). */
  readonly tokenCacheMs?: number;
}

export interface AuthRuntime {
  readonly store: Store;
  readonly throttle: LoginThrottle;
  readonly quota: HuntQuota;
  /** Forgets cached token checks (after a revocation, role change or user deletion). */
  invalidate(): void;
  authenticate(request: FastifyRequest): Promise<Principal | undefined>;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyInstance {
    quarryAuth: AuthRuntime;
  }
}

export function createAuthRuntime(store: Store, opts: AuthOptions = {}): AuthRuntime {
  const cacheMs = opts.tokenCacheMs ?? 10_000;
  const cache = new Map<string, { v: VerifiedToken; until: number }>();
  const touched = new Map<string, number>();

  async function fromToken(bearer: string): Promise<Principal> {
    const now = Date.now();
    let hit = cache.get(bearer);
    if (!hit || hit.until < now || (hit.v.expiresAt && hit.v.expiresAt.getTime() <= now)) {
      cache.delete(bearer);
      const v = await verifyToken(store, bearer);
      hit = { v, until: now + cacheMs };
      if (cache.size > 10_000) cache.clear();
      cache.set(bearer, hit);
    }
    const v = hit.v;
    // last_used_at is advisory: written at most once a minute per token, never blocking the request.
    if ((touched.get(v.tokenId) ?? 0) < now - 60_000) {
      touched.set(v.tokenId, now);
      touchToken(store, v.tokenId).catch(() => undefined);
    }
    return { kind: 'token', userId: v.user.id, username: v.user.username, role: v.role, scopes: v.scopes, tokenId: v.tokenId, quotaKey: `token:${v.tokenId}` };
  }

  return {
    store,
    throttle: new LoginThrottle({ ...defaultThrottle, ...opts.throttle }),
    quota: new HuntQuota({ ...defaultQuota, ...opts.quota }),
    invalidate: () => cache.clear(),
    async authenticate(request) {
      const header = request.headers.authorization;
      if (header !== undefined) {
        const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
        if (!m) throw new QuarryError('api/unauthorized', 'the Authorization header must be "Bearer <token>"');
        return fromToken(m[1]!);
      }
      const secret = readCookie(request.headers.cookie, SESSION_COOKIE);
      if (secret === undefined) return undefined;
      const s = await findSession(store, secret);
      if (!s) throw new QuarryError('auth/expired', 'the session has expired or was ended; sign in again');
      return {
        kind: 'session', userId: s.user.id, username: s.user.username, role: s.user.role, scopes: ['*'],
        sessionIdHash: s.idHash, csrfToken: s.csrfToken, quotaKey: `user:${s.user.id}`,
      };
    },
  };
}

export function routeAuthOf(request: FastifyRequest): ResolvedAuth | undefined {
  if (request.is404 || !request.routeOptions.url) return undefined;
  return resolveRouteAuth(request.method, request.routeOptions.url, request.routeOptions.config?.auth);
}

function unauthorized(reply: FastifyReply, err: QuarryError): never {
  void reply.header('www-authenticate', 'Bearer realm="quarry"');
  throw err;
}

export function installAuth(app: FastifyInstance, runtime: AuthRuntime): void {
  app.decorate('quarryAuth', runtime);
  app.decorateRequest('principal', null);

  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const m of methods) validateRouteAuth(m, route.url, route.config?.auth);
  });

  app.addHook('onRequest', async (request, reply) => {
    const rule = routeAuthOf(request);
    if (!rule || rule.mode === 'public' || rule.mode === 'taxii') return;
    if (rule.sas && typeof (request.query as Record<string, unknown> | undefined)?.sig === 'string') return;
    let principal: Principal | undefined;
    try {
      principal = await runtime.authenticate(request);
    } catch (e) {
      if (e instanceof QuarryError && e.httpStatus === 401) unauthorized(reply, e);
      throw e;
    }
    if (!principal) {
      unauthorized(reply, new QuarryError('api/unauthorized', 'this route needs credentials: an API token (Authorization: Bearer qtk_…) or a portal session', {
        hints: ['create a token with `quarry tokens create --user NAME --name NAME`'],
      }));
    }
    request.principal = principal;
    if (!roleAtLeast(principal.role, rule.role)) {
      throw new QuarryError('api/forbidden', `${request.method} ${request.routeOptions.url} needs the ${rule.role} role; ${principal.username} acts as ${principal.role}`, {
        details: { required: rule.role, held: principal.role },
      });
    }
    if (!scopesAllow(principal.scopes, rule.scope, isSafeMethod(request.method))) {
      throw new QuarryError('api/forbidden', `this API token is not scoped for '${rule.scope}'${isSafeMethod(request.method) ? '' : ' writes'}`, {
        details: { scope: rule.scope, scopes: principal.scopes },
      });
    }
    if (principal.kind === 'session' && !isSafeMethod(request.method)) {
      const given = request.headers[CSRF_HEADER];
      if (!csrfMatches(principal.csrfToken!, typeof given === 'string' ? given : undefined)) {
        throw new QuarryError('auth/csrf', `a write with a session cookie needs the ${CSRF_HEADER} header from the login response`);
      }
    }
  });
}

/** For handlers behind the hook: the caller (always present on credential routes). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new QuarryError('api/unauthorized', 'this route needs credentials');
  return request.principal;
}
