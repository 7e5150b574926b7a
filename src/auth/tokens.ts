/**
 * API tokens: `qtk_<id>_<secret>`, shown once at creation. Only a SHA-256 of the secret is stored (the
 * secret has 256 bits of entropy, so a slow hash adds nothing). A token carries a role no higher than its
 * owner's, scopes (`scopes.ts`) and an optional expiry; its effective role is re-checked against the
 * owner's current role on every use, so demoting or disabling a user also limits their tokens.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { QuarryError } from '../core/errors.js';
import { parseIsoDuration } from '../core/time.js';
import type { Store } from '../store/store.js';
import { minRole, parseRole, roleAtLeast, type Role } from './roles.js';
import { parseScopes } from './scopes.js';
import { getUserById, requireUser, type User } from './users.js';

export interface TokenInfo {
  readonly id: string;
  readonly name: string;
  readonly username: string;
  readonly role: Role;
  readonly scopes: readonly string[];
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly lastUsedAt: string | null;
  readonly revoked: boolean;
}

export interface CreatedToken extends TokenInfo {
  /** The bearer secret; never stored, never shown again. */
  readonly token: string;
}

type Db = Pick<Store, 'query' | 'exec'>;

const TOKEN_RE = /^qtk_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function newId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(12)].map((b) => alphabet[b % alphabet.length]).join('');
}

const iso = (col: string) => `strftime(${col}, '%Y-%m-%dT%H:%M:%SZ')`;
const COLS = `t.id, t.name, u.username, t.role, t.scopes, ${iso('t.created_at')}, ${iso('t.expires_at')}, ${iso('t.last_used_at')}, t.revoked`;

function toInfo(r: readonly unknown[]): TokenInfo {
  return {
    id: String(r[0]), name: String(r[1]), username: String(r[2] ?? '(deleted)'), role: parseRole(r[3]),
    scopes: JSON.parse(String(r[4])) as string[], createdAt: String(r[5]),
    expiresAt: r[6] === null ? null : String(r[6]), lastUsedAt: r[7] === null ? null : String(r[7]), revoked: Boolean(r[8]),
  };
}

/** Parses an expiry: an ISO 8601 duration from now (`P90D`, `PT12H`) or an absolute instant. */
export function parseExpiry(text: string | undefined, now = new Date()): Date | null {
  if (text === undefined || text === '' || text === 'never') return null;
  let at: Date;
  if (/^P/i.test(text)) at = new Date(now.getTime() + Number(parseIsoDuration(text) / 1000n));
  else at = new Date(text);
  if (Number.isNaN(at.getTime()) || at.getTime() <= now.getTime()) {
    throw new QuarryError('core/bad-argument', `expiry '${text}' must be a future instant or an ISO 8601 duration such as P90D`);
  }
  return at;
}

export async function createToken(
  db: Db,
  input: { username: string; name: string; role?: Role; scopes?: string | readonly string[]; expires?: string | Date | null },
): Promise<CreatedToken> {
  const owner = await requireUser(db, input.username);
  if (owner.disabled) throw new QuarryError('api/forbidden', `user '${owner.username}' is disabled`);
  const role = input.role === undefined ? owner.role : parseRole(input.role);
  if (!roleAtLeast(owner.role, role)) {
    throw new QuarryError('auth/bad-role', `a token of '${owner.username}' (${owner.role}) cannot have the higher role ${role}`);
  }
  const name = input.name.trim();
  if (name === '' || name.length > 100) throw new QuarryError('core/bad-argument', 'a token name must have 1-100 characters');
  const scopes = parseScopes(input.scopes);
  const expiresAt = input.expires instanceof Date ? input.expires : parseExpiry(input.expires ?? undefined);
  const id = newId();
  const secret = randomBytes(32).toString('base64url');
  await db.exec(
    'INSERT INTO _quarry_tokens (id, name, user_id, secret_hash, role, scopes, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, current_timestamp, $7)',
    [id, name, owner.id, sha256(secret), role, JSON.stringify(scopes), expiresAt],
  );
  const info = (await getToken(db, id))!;
  return { ...info, token: `qtk_${id}_${secret}` };
}

export async function getToken(db: Pick<Store, 'query'>, id: string): Promise<TokenInfo | undefined> {
  const r = await db.query(`SELECT ${COLS} FROM _quarry_tokens t LEFT JOIN _quarry_users u ON u.id = t.user_id WHERE t.id = $1`, { params: [id] });
  return r.rows[0] ? toInfo(r.rows[0]) : undefined;
}

export async function listTokens(db: Pick<Store, 'query'>, username?: string): Promise<TokenInfo[]> {
  const where = username === undefined ? '' : 'WHERE lower(u.username) = lower($1)';
  const r = await db.query(`SELECT ${COLS} FROM _quarry_tokens t LEFT JOIN _quarry_users u ON u.id = t.user_id ${where} ORDER BY t.created_at`, {
    params: username === undefined ? [] : [username],
  });
  return r.rows.map(toInfo);
}

export async function revokeToken(db: Db, id: string): Promise<TokenInfo> {
  const t = await getToken(db, id);
  if (!t) throw new QuarryError('auth/unknown-token', `no API token with id '${id}'`);
  await db.exec('UPDATE _quarry_tokens SET revoked = true WHERE id = $1', [id]);
  return { ...t, revoked: true };
}

export interface VerifiedToken {
  readonly tokenId: string;
  readonly user: User;
  /** The token's role capped by the owner's current role. */
  readonly role: Role;
  readonly scopes: readonly string[];
  readonly expiresAt: Date | null;
}

/**
 * Checks a bearer secret. Returns the token and owner, or throws `auth/bad-credentials` / `auth/expired`.
 * `now` lets tests move the clock.
 */
export async function verifyToken(db: Pick<Store, 'query'>, bearer: string, now = new Date()): Promise<VerifiedToken> {
  const m = TOKEN_RE.exec(bearer);
  if (!m) throw new QuarryError('auth/bad-credentials', 'the bearer token is not a Quarry API token');
  const r = await db.query('SELECT secret_hash, user_id, role, scopes, epoch_ms(expires_at), revoked FROM _quarry_tokens WHERE id = $1', { params: [m[1]!] });
  const row = r.rows[0];
  const want = Buffer.from(row ? String(row[0]) : sha256('x'), 'hex');
  const got = Buffer.from(sha256(m[2]!), 'hex');
  if (!row || !timingSafeEqual(want, got)) throw new QuarryError('auth/bad-credentials', 'the bearer token is not valid');
  const expiresAt = row[4] === null ? null : new Date(Number(row[4]));
  if (row[5] || (expiresAt && expiresAt.getTime() <= now.getTime())) {
    throw new QuarryError('auth/expired', row[5] ? 'the API token was revoked' : 'the API token has expired', { hints: ['create a new token (quarry tokens create)'] });
  }
  const user = await getUserById(db, String(row[1]));
  if (!user || user.disabled) throw new QuarryError('auth/expired', 'the owner of this API token is disabled or deleted');
  return { tokenId: m[1]!, user, role: minRole(parseRole(row[2]), user.role), scopes: JSON.parse(String(row[3])) as string[], expiresAt };
}

export async function touchToken(db: Pick<Store, 'exec'>, id: string): Promise<void> {
  await db.exec('UPDATE _quarry_tokens SET last_used_at = current_timestamp WHERE id = $1', [id]);
}
