/**
 * The audit log: one row per write (who, what, when, outcome). The HTTP layer records every non-GET
 * request after it answers; CLI user/token commands record themselves. Reading it is an admin action.
 */
import type { Store } from '../store/store.js';

export interface AuditEntry {
  readonly actor: string;
  /** `user` (session), `token`, `cli`, `anonymous`. */
  readonly actorKind: string;
  /** e.g. `POST /api/intel/indicators` (route pattern) or `users.add`. */
  readonly action: string;
  readonly target?: string;
  readonly status?: number;
  readonly requestId?: string;
  readonly ip?: string;
  readonly details?: Record<string, unknown>;
}

export interface AuditRecord extends AuditEntry {
  readonly at: string;
}

export async function appendAudit(db: Pick<Store, 'exec'>, e: AuditEntry, at = new Date()): Promise<void> {
  await db.exec(
    'INSERT INTO _quarry_audit (occurred_at, actor, actor_kind, action, target, status, request_id, ip, details) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
    [at, e.actor, e.actorKind, e.action, e.target ?? null, e.status ?? null, e.requestId ?? null, e.ip ?? null, e.details ? JSON.stringify(e.details) : null],
  );
}

export async function listAudit(db: Pick<Store, 'query'>, opts: { limit?: number; actor?: string; since?: Date } = {}): Promise<AuditRecord[]> {
  const where: string[] = [];
  const params: (string | Date | number)[] = [];
  if (opts.actor) {
    params.push(opts.actor);
    where.push(`actor = $${params.length}`);
  }
  if (opts.since) {
    params.push(opts.since);
    where.push(`occurred_at >= $${params.length}`);
  }
  params.push(Math.min(Math.max(opts.limit ?? 100, 1), 10_000));
  const r = await db.query(
    `SELECT strftime(occurred_at, '%Y-%m-%dT%H:%M:%S.%fZ'), actor, actor_kind, action, target, status, request_id, ip, details FROM _quarry_audit
     ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY occurred_at DESC LIMIT $${params.length}`,
    { params },
  );
  return r.rows.map((x) => ({
    at: String(x[0]), actor: String(x[1]), actorKind: String(x[2]), action: String(x[3]),
    ...(x[4] !== null ? { target: String(x[4]) } : {}), ...(x[5] !== null ? { status: Number(x[5]) } : {}),
    ...(x[6] !== null ? { requestId: String(x[6]) } : {}), ...(x[7] !== null ? { ip: String(x[7]) } : {}),
    ...(x[8] !== null ? { details: JSON.parse(String(x[8])) as Record<string, unknown> } : {}),
  }));
}
