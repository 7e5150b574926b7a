/**
 * SAS permission letters Quarry grants: read, write, delete, list, in Azure's canonical order.
 */
import { QuarryError } from '../core/errors.js';

export const PERMISSION_ORDER = 'rwdl';
export type Permission = 'r' | 'w' | 'd' | 'l';

/** Validates letters and returns them in canonical order (`lr` → `rl`). */
export function normalizePermissions(p: string): string {
  for (const ch of p) {
    if (!PERMISSION_ORDER.includes(ch)) {
      throw new QuarryError('core/bad-argument', `'${ch}' is not a storage permission (r read, w write, d delete, l list)`);
    }
  }
  if (p.length === 0) throw new QuarryError('core/bad-argument', 'a signed URL needs at least one permission (r, w, d or l)');
  return [...PERMISSION_ORDER].filter((c) => p.includes(c)).join('');
}
