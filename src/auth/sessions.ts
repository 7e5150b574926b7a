/**
 * Portal sessions: a random secret in an HttpOnly cookie, stored server-side as a SHA-256, with an absolute
 * lifetime. Each session has its own CSRF token that cookie-authenticated writes must echo in a header
 * (synchronizer-token pattern: a cross-site page can make the browser send the cookie but cannot read
 * the CSRF token).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Store } from '../store/store.js';
import { getUserById, type User } from './users.js';

export const SESSION_COOKIE = 'quarry_session';
export const CSRF_HEADER = 'x-csrf-token';
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

type Db = Pick<Store, 'query' | 'exec'>;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export interface NewSession {
  readonly secret: string;
  readonly csrfToken: string;
  readonly expiresAt: Date;
}

export async function createSession(db: Db, user: User, now = new Date()): Promise<NewSession> {
  const secret = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  // Expired sessions are swept whenever a new one starts.
  await db.exec('DELETE FROM _quarry_sessions WHERE expires_at < $1', [now]);
  await db.exec('INSERT INTO _quarry_sessions (id_hash, user_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)', [
    sha256(secret), user.id, csrfToken, now, expiresAt,
  ]);
  return { secret, csrfToken, expiresAt };
}

export interface ActiveSession {
  readonly idHash: string;
  readonly user: User;
  readonly csrfToken: string;
  readonly expiresAt: Date;
}

export async function findSession(db: Pick<Store, 'query'>, secret: string, now = new Date()): Promise<ActiveSession | undefined> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(secret)) return undefined;
  const idHash = sha256(secret);
  const r = await db.query('SELECT user_id, csrf, epoch_ms(expires_at) FROM _quarry_sessions WHERE id_hash = $1', { params: [idHash] });
  const row = r.rows[0];
  if (!row) return undefined;
  const expiresAt = new Date(Number(row[2]));
  if (expiresAt.getTime() <= now.getTime()) return undefined;
  const user = await getUserById(db, String(row[0]));
  if (!user || user.disabled) return undefined;
  return { idHash, user, csrfToken: String(row[1]), expiresAt };
}

export async function endSession(db: Pick<Store, 'exec'>, idHash: string): Promise<void> {
  await db.exec('DELETE FROM _quarry_sessions WHERE id_hash = $1', [idHash]);
}

export function csrfMatches(expected: string, given: string | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Reads one cookie from a Cookie header (no dependency on a cookie plugin). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}
