/**
 * First-run bootstrap. `quarry users add NAME --admin` is the normal way to create the first admin. For
 * `serve --demo`, `ensureDemoAdmin` creates a `demo-admin` user with a generated password when the store
 * has no user at all, and returns the credentials so the caller prints them once on the console; they are
 * never logged and never shown again (a later start finds the user and returns undefined).
 */
import type { Store } from '../store/store.js';
import { generatePassword } from './password.js';
import { createUser } from './users.js';

export const DEMO_ADMIN = 'demo-admin';

export async function hasAnyUser(db: Pick<Store, 'query'>): Promise<boolean> {
  const r = await db.query('SELECT count(*) FROM _quarry_users');
  return Number(r.rows[0]![0]) > 0;
}

export async function ensureDemoAdmin(db: Pick<Store, 'query' | 'exec'>): Promise<{ username: string; password: string } | undefined> {
  if (await hasAnyUser(db)) return undefined;
  const password = generatePassword();
  await createUser(db, { username: DEMO_ADMIN, password, role: 'admin' });
  return { username: DEMO_ADMIN, password };
}

/** The console text for the demo credentials (printed to stdout, not the log). */
export function demoAdminBanner(c: { username: string; password: string }, url: string): string {
  return [
    'Demo admin created (shown once, not logged):',
    `  user:     ${c.username}`,
    `  password: ${c.password}`,
    `  sign in to the portal at ${url}/ (API: POST ${url}/api/auth/login, or a token: quarry tokens create --user ${c.username} --name cli)`,
    '',
  ].join('\n');
}
