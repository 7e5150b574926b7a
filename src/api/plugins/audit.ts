/**
 * Audit of every write: after a non-GET request to a known route answers (whatever the outcome, so refused
 * attempts are recorded too), one row goes to `_quarry_audit` with who (user and credential kind), what
 * (method + route pattern, the path as target), when, the status, request id and client address. Routes
 * that change nothing opt out with `config.auth.audit: false`. A failing audit write is logged, never
 * turned into an error for a request that already succeeded.
 */
import type { FastifyInstance } from 'fastify';
import { appendAudit } from '../../auth/audit.js';
import { redactUrl } from '../../core/log.js';
import type { Store } from '../../store/store.js';
import { isSafeMethod, resolveRouteAuth } from './route-auth.js';

/** What a handler may add to its audit row: the actor when no principal exists (login) and details. */
export interface AuditNote {
  readonly actor?: string;
  readonly details?: Record<string, unknown>;
}

declare module 'fastify' {
  interface FastifyRequest {
    auditNote: AuditNote | null;
  }
}

export function installAudit(app: FastifyInstance, store: Store): void {
  app.decorateRequest('auditNote', null);
  app.addHook('onResponse', async (request, reply) => {
    if (isSafeMethod(request.method) || request.is404 || !request.routeOptions.url) return;
    const rule = resolveRouteAuth(request.method, request.routeOptions.url, request.routeOptions.config?.auth);
    if (rule.mode === 'credentials' && !rule.audit) return;
    const p = request.principal;
    try {
      await appendAudit(store, {
        actor: p?.username ?? request.auditNote?.actor ?? 'anonymous',
        actorKind: p ? (p.kind === 'token' ? `token:${p.tokenId}` : 'session') : rule.mode === 'credentials' && rule.sas ? 'sas' : 'anonymous',
        action: `${request.method} ${request.routeOptions.url}`,
        target: redactUrl(request.url).slice(0, 2000),
        status: reply.statusCode,
        requestId: request.id,
        ip: request.ip,
        ...(request.auditNote?.details ? { details: request.auditNote.details } : {}),
      });
    } catch (e) {
      request.log.error({ err: e }, 'audit write failed');
    }
  });
}
