/**
 * How a route declares its access rule, and the defaults that cover every route that declares nothing.
 *
 *     app.post('/api/intel/indicators', { config: { auth: { role: 'analyst' } } }, handler)
 *
 * `config.auth` is one of:
 * - absent: credentials required; role reader for GET/HEAD, analyst for other methods, admin under
 *   `/api/admin`, `/api/users`, `/api/tokens`; token scope = the route's area (`routeArea`);
 * - `{ role?, scope?, audit? }`: credentials required with that role / scope; `audit: false` keeps a
 *   non-GET route that changes nothing (e.g. running a hunting query) out of the audit log;
 * - `'public'`: no credentials (health, login, OpenAPI document, docs);
 * - `'sas'`: a request carrying a SAS signature (`sig` query parameter) is let through for the route to
 *   verify; without one, the normal credential rule applies (so analysts can still use a token);
 * - `'taxii'`: the route authenticates by itself (TAXII 2.1 clients); `authenticateRequest` helps.
 */
import { QuarryError } from '../../core/errors.js';
import { isRole, type Role } from '../../auth/roles.js';
import { routeArea } from '../../auth/scopes.js';

export interface RouteAuthRule {
  readonly role?: Role;
  readonly scope?: string;
  readonly audit?: boolean;
}

export type RouteAuth = 'public' | 'sas' | 'taxii' | RouteAuthRule;

export type ResolvedAuth =
  | { readonly mode: 'public' }
  | { readonly mode: 'taxii' }
  | { readonly mode: 'credentials'; readonly role: Role; readonly scope: string; readonly audit: boolean; readonly sas: boolean };

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: RouteAuth;
  }
}

const ADMIN_PREFIXES = ['/api/admin', '/api/users', '/api/tokens'];

export const isSafeMethod = (m: string) => m === 'GET' || m === 'HEAD' || m === 'OPTIONS';

function defaultRole(method: string, url: string): Role {
  if (ADMIN_PREFIXES.some((p) => url === p || url.startsWith(p + '/'))) return 'admin';
  return isSafeMethod(method) ? 'reader' : 'analyst';
}

/** Checks a route's declared `auth` when it is registered, so a typo fails at start-up, not at request time. */
export function validateRouteAuth(method: string, url: string, auth: unknown): void {
  if (auth === undefined || auth === 'public' || auth === 'sas' || auth === 'taxii') return;
  const ok = typeof auth === 'object' && auth !== null
    && Object.keys(auth).every((k) => k === 'role' || k === 'scope' || k === 'audit')
    && ((auth as RouteAuthRule).role === undefined || isRole((auth as RouteAuthRule).role))
    && ((auth as RouteAuthRule).scope === undefined || typeof (auth as RouteAuthRule).scope === 'string')
    && ((auth as RouteAuthRule).audit === undefined || typeof (auth as RouteAuthRule).audit === 'boolean');
  if (!ok) {
    throw new QuarryError('auth/bad-route-config', `route ${method} ${url}: config.auth must be 'public', 'sas', 'taxii' or {role?: reader|analyst|admin, scope?, audit?}; got ${JSON.stringify(auth)}`);
  }
}

/**
 * Liveness must answer load balancers without credentials; `/healthz` (a foundation route) is public even
 * without its own `auth: 'public'`. Nothing else is public unless it says so.
 */
const builtInPublic = new Set(['GET /healthz', 'HEAD /healthz']);

export function resolveRouteAuth(method: string, url: string, auth: RouteAuth | undefined): ResolvedAuth {
  if (auth === 'public' || (auth === undefined && builtInPublic.has(`${method} ${url}`))) return { mode: 'public' };
  if (auth === 'taxii') return { mode: 'taxii' };
  const rule = typeof auth === 'object' ? auth : {};
  return {
    mode: 'credentials',
    role: rule.role ?? defaultRole(method, url),
    scope: rule.scope ?? routeArea(url),
    audit: rule.audit ?? !isSafeMethod(method),
    sas: auth === 'sas',
  };
}
