/**
 * Stored access policies of a container (Azure "signed identifiers"): a named start, expiry and
 * permission set that signed URLs refer to with `si`. Deleting or changing a policy revokes or changes
 * every URL minted under it at once, without rotating keys. At most 5 per container, as in Azure.
 */
import { readFile } from 'node:fs/promises';
import { QuarryError } from '../core/errors.js';
import { writeFileAtomic } from './atomic-file.js';
import type { StorageLayout } from './names.js';
import { normalizePermissions } from './sas-permissions.js';

export interface AccessPolicy {
  readonly id: string;
  /** ISO 8601 UTC instants; either may be left to the URL. */
  readonly start?: string;
  readonly expiry?: string;
  /** Permission letters in canonical order (`rwdl` subset); may be left to the URL. */
  readonly permissions?: string;
}

export const MAX_POLICIES = 5;
const ID_RE = /^[A-Za-z0-9._-]{1,64}$/;

export function checkPolicyId(id: string): string {
  if (!ID_RE.test(id)) {
    throw new QuarryError('core/bad-argument', `'${id.slice(0, 80)}' is not a valid policy id (1-64 letters, digits, '.', '_' or '-')`);
  }
  return id;
}

function checkInstant(v: string | undefined, what: string): string | undefined {
  if (v === undefined) return undefined;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw new QuarryError('core/bad-argument', `policy ${what} '${v}' is not an ISO 8601 date-time`);
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export async function listPolicies(layout: StorageLayout, container: string): Promise<AccessPolicy[]> {
  try {
    const parsed = JSON.parse(await readFile(layout.policiesFile(container), 'utf8')) as { policies: AccessPolicy[] };
    return parsed.policies;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

export async function getPolicy(layout: StorageLayout, container: string, id: string): Promise<AccessPolicy | undefined> {
  return (await listPolicies(layout, container)).find((p) => p.id === id);
}

/** Creates or replaces a policy. */
export async function setPolicy(layout: StorageLayout, container: string, policy: AccessPolicy): Promise<AccessPolicy> {
  checkPolicyId(policy.id);
  const start = checkInstant(policy.start, 'start');
  const expiry = checkInstant(policy.expiry, 'expiry');
  if (start && expiry && start >= expiry) throw new QuarryError('core/bad-argument', `policy '${policy.id}': expiry must be after start`);
  const clean: AccessPolicy = {
    id: policy.id,
    ...(start ? { start } : {}),
    ...(expiry ? { expiry } : {}),
    ...(policy.permissions ? { permissions: normalizePermissions(policy.permissions) } : {}),
  };
  const all = (await listPolicies(layout, container)).filter((p) => p.id !== policy.id);
  if (all.length >= MAX_POLICIES) {
    throw new QuarryError('core/bad-argument', `container '${container}' already has ${MAX_POLICIES} stored access policies; delete one first`);
  }
  await writeFileAtomic(layout.policiesFile(container), JSON.stringify({ policies: [...all, clean] }, null, 2) + '\n');
  return clean;
}

/** Deletes a policy: every URL minted under it stops working. */
export async function deletePolicy(layout: StorageLayout, container: string, id: string): Promise<void> {
  const all = await listPolicies(layout, container);
  if (!all.some((p) => p.id === id)) throw new QuarryError('blob/not-found', `container '${container}' has no stored access policy '${id}'`);
  await writeFileAtomic(layout.policiesFile(container), JSON.stringify({ policies: all.filter((p) => p.id !== id) }, null, 2) + '\n');
}
