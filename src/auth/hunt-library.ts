/**
 * A user's hunting library: saved queries (own, or shared with everyone) and the history of queries run
 * from the portal. Kept with the user data because both are per-user records keyed by the user id.
 */
import { randomUUID } from 'node:crypto';
import { QuarryError } from '../core/errors.js';
import type { Store } from '../store/store.js';

export interface SavedQuery {
  readonly id: string;
  readonly owner: string;
  readonly name: string;
  readonly query: string;
  readonly description: string | null;
  readonly shared: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface HistoryEntry {
  readonly id: string;
  readonly query: string;
  readonly timespan: string | null;
  readonly at: string;
  readonly status: string;
  readonly rows: number | null;
  readonly ms: number | null;
  readonly errorCode: string | null;
}

type Db = Pick<Store, 'query' | 'exec'>;
const iso = (c: string) => `strftime(${c}, '%Y-%m-%dT%H:%M:%S.%gZ')`;
const SAVED = `s.id, u.username, s.name, s.query, s.description, s.shared, ${iso('s.created_at')}, ${iso('s.updated_at')}`;

function toSaved(r: readonly unknown[]): SavedQuery {
  return {
    id: String(r[0]), owner: String(r[1] ?? '(deleted)'), name: String(r[2]), query: String(r[3]),
    description: r[4] === null ? null : String(r[4]), shared: Boolean(r[5]), createdAt: String(r[6]), updatedAt: String(r[7]),
  };
}

export async function listSavedQueries(db: Pick<Store, 'query'>, userId: string): Promise<SavedQuery[]> {
  const r = await db.query(
    `SELECT ${SAVED} FROM _quarry_saved_queries s LEFT JOIN _quarry_users u ON u.id = s.owner WHERE s.owner = $1 OR s.shared ORDER BY lower(s.name)`,
    { params: [userId] },
  );
  return r.rows.map(toSaved);
}

async function getSaved(db: Pick<Store, 'query'>, id: string): Promise<(SavedQuery & { ownerId: string }) | undefined> {
  const r = await db.query(`SELECT ${SAVED}, s.owner FROM _quarry_saved_queries s LEFT JOIN _quarry_users u ON u.id = s.owner WHERE s.id = $1`, { params: [id] });
  return r.rows[0] ? { ...toSaved(r.rows[0]), ownerId: String(r.rows[0][8]) } : undefined;
}

/** A saved query the caller may see (own or shared). */
export async function readSavedQuery(db: Pick<Store, 'query'>, userId: string, id: string): Promise<SavedQuery> {
  const s = await getSaved(db, id);
  if (!s || (s.ownerId !== userId && !s.shared)) throw new QuarryError('hunt/unknown-saved-query', `no saved query '${id}'`);
  const { ownerId: _o, ...rest } = s;
  return rest;
}

export async function saveQuery(db: Db, userId: string, input: { name: string; query: string; description?: string | undefined; shared?: boolean | undefined }): Promise<SavedQuery> {
  const id = randomUUID();
  await db.exec(
    'INSERT INTO _quarry_saved_queries (id, owner, name, query, description, shared, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, current_timestamp, current_timestamp)',
    [id, userId, input.name, input.query, input.description ?? null, input.shared ?? false],
  );
  return readSavedQuery(db, userId, id);
}

/** Changes a saved query; only its owner (or an admin, `asAdmin`) may. */
export async function updateSavedQuery(
  db: Db, userId: string, id: string, change: { name?: string | undefined; query?: string | undefined; description?: string | undefined; shared?: boolean | undefined }, asAdmin = false,
): Promise<SavedQuery> {
  const s = await getSaved(db, id);
  if (!s || (s.ownerId !== userId && !(asAdmin || s.shared))) throw new QuarryError('hunt/unknown-saved-query', `no saved query '${id}'`);
  if (s.ownerId !== userId && !asAdmin) throw new QuarryError('api/forbidden', `saved query '${s.name}' belongs to ${s.owner}`);
  await db.exec(
    `UPDATE _quarry_saved_queries SET name = coalesce($2, name), query = coalesce($3, query), description = coalesce($4, description),
       shared = coalesce($5, shared), updated_at = current_timestamp WHERE id = $1`,
    [id, change.name ?? null, change.query ?? null, change.description ?? null, change.shared ?? null],
  );
  return readSavedQuery(db, s.ownerId, id);
}

export async function deleteSavedQuery(db: Db, userId: string, id: string, asAdmin = false): Promise<void> {
  const s = await getSaved(db, id);
  if (!s || (s.ownerId !== userId && !(asAdmin || s.shared))) throw new QuarryError('hunt/unknown-saved-query', `no saved query '${id}'`);
  if (s.ownerId !== userId && !asAdmin) throw new QuarryError('api/forbidden', `saved query '${s.name}' belongs to ${s.owner}`);
  await db.exec('DELETE FROM _quarry_saved_queries WHERE id = $1', [id]);
}

export async function recordHistory(
  db: Pick<Store, 'exec'>, userId: string, e: { query: string; timespan?: string | undefined; status: string; rows?: number; ms?: number; errorCode?: string },
): Promise<void> {
  await db.exec(
    'INSERT INTO _quarry_hunt_history (id, owner, query, timespan, ran_at, status, rows, ms, error_code) VALUES ($1, $2, $3, $4, current_timestamp, $5, $6, $7, $8)',
    [randomUUID(), userId, e.query.slice(0, 100_000), e.timespan ?? null, e.status, e.rows ?? null, e.ms ?? null, e.errorCode ?? null],
  );
}

export async function listHistory(db: Pick<Store, 'query'>, userId: string, limit = 50): Promise<HistoryEntry[]> {
  const r = await db.query(
    `SELECT id, query, timespan, ${iso('ran_at')}, status, rows, ms, error_code FROM _quarry_hunt_history WHERE owner = $1 ORDER BY ran_at DESC LIMIT $2`,
    { params: [userId, Math.min(Math.max(Math.trunc(limit), 1), 1000)] },
  );
  return r.rows.map((x) => ({
    id: String(x[0]), query: String(x[1]), timespan: x[2] === null ? null : String(x[2]), at: String(x[3]), status: String(x[4]),
    rows: x[5] === null ? null : Number(x[5]), ms: x[6] === null ? null : Number(x[6]), errorCode: x[7] === null ? null : String(x[7]),
  }));
}

export async function clearHistory(db: Pick<Store, 'exec'>, userId: string): Promise<void> {
  await db.exec('DELETE FROM _quarry_hunt_history WHERE owner = $1', [userId]);
}
