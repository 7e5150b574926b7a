/**
 * Password hashing with node's scrypt (memory-hard, no dependency). Stored form:
 * `scrypt$<N>$<r>$<p>$<salt b64url>$<hash b64url>` so parameters can be raised later without
 * invalidating existing hashes. Verification is constant-time.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { QuarryError } from '../core/errors.js';

const N = 1 << 15;
const R = 8;
const P = 1;
const KEYLEN = 32;
export const MIN_PASSWORD_LENGTH = 10;

function scryptAsync(password: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

const maxmem = (n: number, r: number) => 256 * n * r + 1024 * 1024;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, KEYLEN, { N, r: R, p: P, maxmem: maxmem(N, R) });
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (![n, r, p].every((x) => Number.isInteger(x) && x > 0) || n > 1 << 20) return false;
  const salt = Buffer.from(parts[4]!, 'base64url');
  const want = Buffer.from(parts[5]!, 'base64url');
  const got = await scryptAsync(password, salt, want.length, { N: n, r, p, maxmem: maxmem(n, r) });
  return got.length === want.length && timingSafeEqual(got, want);
}

/** A hash of a random password: lets failed logins for unknown users cost as much as for known ones. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'));
  return decoy;
}

export function checkPasswordStrength(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new QuarryError('auth/weak-password', `a password needs at least ${MIN_PASSWORD_LENGTH} characters`, {
      hints: ['leave the password out to have Quarry generate one and print it once'],
    });
  }
  if (new Set(password).size < 4) throw new QuarryError('auth/weak-password', 'the password repeats too few distinct characters');
}

/** A random password for bootstrap and demo users: 20 URL-safe characters (120 bits). */
export function generatePassword(): string {
  return randomBytes(15).toString('base64url');
}
