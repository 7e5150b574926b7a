/**
 * Running one hunting request on behalf of a caller: the per-caller quota (429 + Retry-After), limits
 * (rows, timeout), cancellation when the client goes away, and explicit cancellation by query id. The
 * query id is the caller's `client-request-id` header (Graph clients send one) or `x-request-id`, else the
 * server's request id; it is echoed in `x-quarry-query-id`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { QuarryError } from '../../core/errors.js';
import type { ExternalFetcher } from '../../hunt/externals.js';
import { runKql, type HuntResult } from '../../hunt/run.js';
import type { Store } from '../../store/store.js';
import { principalOf, type Principal } from '../plugins/auth.js';

export interface HuntLimits {
  readonly maxRows: number;
  readonly timeoutMs: number;
}

/** Defender's advanced hunting API: 100,000 rows, 3 minutes. */
export const apiLimits: HuntLimits = { maxRows: 100_000, timeoutMs: 3 * 60_000 };
/** Defender's portal: 30,000 rows, 10 minutes. */
export const portalLimits: HuntLimits = { maxRows: 30_000, timeoutMs: 10 * 60_000 };

interface Running {
  readonly id: string;
  readonly userId: string;
  readonly username: string;
  readonly query: string;
  readonly startedAt: string;
  readonly controller: AbortController;
}

const QUERY_ID_RE = /^[A-Za-z0-9._:-]{1,128}$/;

export class RunningQueries {
  private readonly byId = new Map<string, Running>();

  list(p: Principal): { id: string; username: string; query: string; startedAt: string }[] {
    return [...this.byId.values()]
      .filter((r) => p.role === 'admin' || r.userId === p.userId)
      .map(({ id, username, query, startedAt }) => ({ id, username, query: query.slice(0, 500), startedAt }));
  }

  /** Cancels a query of the caller's (admins may cancel anyone's). */
  cancel(p: Principal, id: string): void {
    const r = this.byId.get(id);
    if (!r || (r.userId !== p.userId && p.role !== 'admin')) throw new QuarryError('hunt/unknown-query', `no running query '${id}' of yours`);
    r.controller.abort();
  }

  add(r: Running): void {
    if (this.byId.has(r.id)) {
      throw new QuarryError('api/bad-request', `a query with id '${r.id}' is already running; send a fresh client-request-id`);
    }
    this.byId.set(r.id, r);
  }

  remove(id: string, r: Running): void {
    if (this.byId.get(id) === r) this.byId.delete(id);
  }
}

export function queryIdOf(request: FastifyRequest): string {
  for (const h of ['client-request-id', 'x-request-id']) {
    const v = request.headers[h];
    if (typeof v === 'string' && QUERY_ID_RE.test(v)) return v;
  }
  return request.id;
}

export interface ExecDeps {
  readonly store: Store;
  readonly running: RunningQueries;
  readonly fetchExternal?: ExternalFetcher | undefined;
}

export async function executeHunt(
  deps: ExecDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  q: { query: string; timespan?: string | undefined; now?: Date | undefined },
  limits: HuntLimits,
): Promise<{ result: HuntResult; queryId: string; elapsedMs: number }> {
  const principal = principalOf(request);
  const quota = request.server.quarryAuth.quota;
  try {
    quota.admit(principal.quotaKey);
  } catch (e) {
    if (e instanceof QuarryError && e.code === 'hunt/quota-exceeded') void reply.header('retry-after', String(e.details?.retryAfterSeconds ?? 60));
    throw e;
  }
  const queryId = queryIdOf(request);
  const controller = new AbortController();
  const entry: Running = { id: queryId, userId: principal.userId, username: principal.username, query: q.query, startedAt: new Date().toISOString(), controller };
  deps.running.add(entry);
  // The client hanging up before the answer is sent cancels the statement.
  const onClose = () => {
    if (!reply.raw.writableFinished) controller.abort();
  };
  reply.raw.on('close', onClose);
  void reply.header('x-quarry-query-id', queryId);
  const t0 = performance.now();
  try {
    const result = await runKql(deps.store, q.query, {
      maxRows: limits.maxRows,
      timeoutMs: limits.timeoutMs,
      signal: controller.signal,
      ...(q.timespan ? { timespan: q.timespan } : {}),
      ...(q.now ? { now: q.now } : {}),
      ...(deps.fetchExternal ? { fetchExternal: deps.fetchExternal } : {}),
    });
    const elapsedMs = performance.now() - t0;
    if (result.truncated) void reply.header('x-quarry-truncated', `true; rows capped at ${limits.maxRows}`);
    return { result, queryId, elapsedMs };
  } finally {
    quota.charge(principal.quotaKey, performance.now() - t0);
    deps.running.remove(queryId, entry);
    reply.raw.off('close', onClose);
  }
}
