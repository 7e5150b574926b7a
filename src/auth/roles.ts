/**
 * Roles, ordered: a reader reads (and hunts), an analyst also writes intel, rules, incidents and storage,
 * an admin also manages users, tokens and server settings. A higher role includes every lower one.
 */
import { QuarryError } from '../core/errors.js';

export const roles = ['reader', 'analyst', 'admin'] as const;
export type Role = (typeof roles)[number];

const rank: Record<Role, number> = { reader: 0, analyst: 1, admin: 2 };

export function isRole(s: unknown): s is Role {
  return typeof s === 'string' && (roles as readonly string[]).includes(s);
}

export function parseRole(s: unknown, what = 'role'): Role {
  if (!isRole(s)) throw new QuarryError('auth/bad-role', `${what} must be one of ${roles.join(', ')}, got '${String(s)}'`);
  return s;
}

/** True when `held` includes the rights of `needed`. */
export function roleAtLeast(held: Role, needed: Role): boolean {
  return rank[held] >= rank[needed];
}

/** The lower of two roles (a token never exceeds its owner's current role). */
export function minRole(a: Role, b: Role): Role {
  return rank[a] <= rank[b] ? a : b;
}

/** The role just below `r`, or undefined for reader. */
export function roleBelow(r: Role): Role | undefined {
  const i = rank[r];
  return i > 0 ? roles[i - 1] : undefined;
}
