/**
 * Local users: create, look up, verify a login, change role or password, disable. Passwords are stored only
 * as scrypt hashes (`password.ts`). Usernames are case-insensitive for login and kept as written.
 */
import { randomUUID } from 'node:crypto';
import { QuarryError } from '../core/errors.js';
import type { Store } from '../store/store.js';
import { checkPasswordStrength, decoyHash, hashPassword, verifyPassword } from './password.js';
import { parseRole, type Role } from './roles.js';

export interface User {
  readonly id: string;
  readonly username: string;
  readonly role: Role;
  readonly disabled: boolean;
  readonly createdAt: string;
}

type Db = Pick<Store, 'query' | 'exec'>;

const USERNAME_RE = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

export function checkUsername(name: string): void {
  if (!USERNAME_RE.test(name)) {
    throw new QuarryError('core/bad-argument', `'${name}' is not a valid user name: use 1-64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit`);
  }
}

const COLS = `id, username, role, disabled, strftime(created_at, '%Y-%m-%dT%H:%M:%SZ')`;

function toUser(row: readonly unknown[]): User {
  return { id: String(row[0]), username: String(row[1]), role: parseRole(row[2]), disabled: Boolean(row[3]), createdAt: String(row[4]) };
}

export async function createUser(db: Db, input: { username: string; password: string; role: Role }): Promise<User> {
  checkUsername(input.username);
  checkPasswordStrength(input.password);
  const role = parseRole(input.role);
  if (await findUser(db, input.username)) throw new QuarryError('auth/user-exists', `user '${input.username}' already exists`);
  const id = randomUUID();
  const hash = await hashPassword(input.password);
  await db.exec('INSERT INTO _quarry_users (id, username, password_hash, role) VALUES ($1, $2, $3, $4)', [id, input.username, hash, role]);
  return (await getUserById(db, id))!;
}

export async function findUser(db: Pick<Store, 'query'>, username: string): Promise<User | undefined> {
  const r = await db.query(`SELECT ${COLS} FROM _quarry_users WHERE lower(username) = lower($1)`, { params: [username] });
  return r.rows[0] ? toUser(r.rows[0]) : undefined;
}

export async function getUserById(db: Pick<Store, 'query'>, id: string): Promise<User | undefined> {
  const r = await db.query(`SELECT ${COLS} FROM _quarry_users WHERE id = $1`, { params: [id] });
  return r.rows[0] ? toUser(r.rows[0]) : undefined;
}

export async function requireUser(db: Pick<Store, 'query'>, username: string): Promise<User> {
  const u = await findUser(db, username);
  if (!u) throw new QuarryError('auth/unknown-user', `no user named '${username}'`);
  return u;
}

export async function listUsers(db: Pick<Store, 'query'>): Promise<User[]> {
  const r = await db.query(`SELECT ${COLS} FROM _quarry_users ORDER BY lower(username)`);
  return r.rows.map(toUser);
}

export async function countAdmins(db: Pick<Store, 'query'>): Promise<number> {
  const r = await db.query("SELECT count(*) FROM _quarry_users WHERE role = 'admin' AND NOT disabled");
  return Number(r.rows[0]![0]);
}

/** Checks a login; the same work is done for unknown users so timing does not reveal which names exist. */
export async function verifyLogin(db: Pick<Store, 'query'>, username: string, password: string): Promise<User | undefined> {
  const r = await db.query(`SELECT ${COLS}, password_hash FROM _quarry_users WHERE lower(username) = lower($1)`, { params: [username] });
  const row = r.rows[0];
  if (!row) {
    await verifyPassword(password, await decoyHash());
    return undefined;
  }
  const ok = await verifyPassword(password, String(row[5]));
  const user = toUser(row);
  return ok && !user.disabled ? user : undefined;
}

export async function updateUser(db: Db, username: string, change: { role?: Role; password?: string; disabled?: boolean }): Promise<User> {
  const u = await requireUser(db, username);
  const demotes = (change.role !== undefined && change.role !== 'admin') || change.disabled === true;
  if (u.role === 'admin' && !u.disabled && demotes && (await countAdmins(db)) <= 1) {
    throw new QuarryError('api/forbidden', `'${u.username}' is the last enabled admin; make another admin first`);
  }
  if (change.role !== undefined) await db.exec('UPDATE _quarry_users SET role = $1, updated_at = current_timestamp WHERE id = $2', [parseRole(change.role), u.id]);
  if (change.password !== undefined) {
    checkPasswordStrength(change.password);
    await db.exec('UPDATE _quarry_users SET password_hash = $1, updated_at = current_timestamp WHERE id = $2', [await hashPassword(change.password), u.id]);
  }
  if (change.disabled !== undefined) await db.exec('UPDATE _quarry_users SET disabled = $1, updated_at = current_timestamp WHERE id = $2', [change.disabled, u.id]);
  // A password change or disabling ends the user's sessions.
  if (change.password !== undefined || change.disabled) await db.exec('DELETE FROM _quarry_sessions WHERE user_id = $1', [u.id]);
  return (await getUserById(db, u.id))!;
}

export async function deleteUser(db: Db, username: string): Promise<void> {
  const u = await requireUser(db, username);
  if (u.role === 'admin' && !u.disabled && (await countAdmins(db)) <= 1) {
    throw new QuarryError('api/forbidden', `'${u.username}' is the last enabled admin; make another admin first`);
  }
  await db.exec('DELETE FROM _quarry_sessions WHERE user_id = $1', [u.id]);
  await db.exec('UPDATE _quarry_tokens SET revoked = true WHERE user_id = $1', [u.id]);
  await db.exec('DELETE FROM _quarry_users WHERE id = $1', [u.id]);
}
