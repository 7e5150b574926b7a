/**
 * The per-install account keys that sign storage URLs. Two keys are active at once (`key1`, `key2`) so
 * that one can be rotated while URLs signed with the other keep working, as with an Azure storage
 * account. Kept in `<data>/storage/account-keys.json`, readable by the owner only.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { QuarryError } from '../core/errors.js';
import { syncDir, tempName, writeFileAtomic } from './atomic-file.js';

export type KeyName = 'key1' | 'key2';
export const KEY_NAMES: readonly KeyName[] = ['key1', 'key2'];

export interface AccountKey {
  readonly name: KeyName;
  /** 64 random bytes, base64 (an Azure account key has the same shape). */
  readonly value: string;
  readonly created: string;
}

export interface AccountKeys {
  /** Stable name of this install's "storage account" (part of every signed canonical resource). */
  readonly account: string;
  readonly keys: readonly AccountKey[];
}

function freshKey(name: KeyName): AccountKey {
  return { name, value: randomBytes(64).toString('base64'), created: new Date().toISOString() };
}

export function checkKeyName(name: string): KeyName {
  if (name === 'key1' || name === 'key2') return name;
  throw new QuarryError('core/bad-argument', `'${name}' is not an account key name (key1 or key2)`);
}

/** Reads the keys, creating both on first use. */
export async function loadAccountKeys(file: string): Promise<AccountKeys> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as AccountKeys;
    if (typeof parsed.account === 'string' && Array.isArray(parsed.keys) && parsed.keys.length === 2) return parsed;
    throw new QuarryError('core/bad-config', `${file} is not a valid account key file`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const keys: AccountKeys = { account: `quarry${randomBytes(6).toString('hex')}`, keys: KEY_NAMES.map(freshKey) };
  // Create-if-absent via link(2), so two processes starting at once agree on one set of keys.
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = tempName(path.dirname(file));
  try {
    await writeFile(tmp, JSON.stringify(keys, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
    await link(tmp, file);
    await syncDir(path.dirname(file));
    return keys;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return loadAccountKeys(file);
    throw e;
  } finally {
    await rm(tmp, { force: true });
  }
}

/** Replaces one key with a fresh one: every URL signed with the old value stops working. */
export async function rotateAccountKey(file: string, name: KeyName): Promise<AccountKeys> {
  const cur = await loadAccountKeys(file);
  const next: AccountKeys = { ...cur, keys: cur.keys.map((k) => (k.name === name ? freshKey(name) : k)) };
  await writeFileAtomic(file, JSON.stringify(next, null, 2) + '\n', 0o600);
  return next;
}
