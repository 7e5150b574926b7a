/**
 * STIX 2.0 / 2.1 bundles (and bare object arrays / single objects). 2.0 objects are upgraded to 2.1 in the
 * write path (`upgradeTo21`); invalid objects are rejected with the reason, the rest are stored.
 */
import type { ImportIssue } from '../object-store.js';
import type { StixObject } from '../stix.js';
import type { Conversion } from './report.js';

/** Objects of a TAXII server data file (medallion's `{"/discovery":…, "<api-root>":{collections:[{objects}]}}`). */
function taxiiDataObjects(v: unknown): unknown[] | null {
  const o = v as Record<string, unknown>;
  if (!o || typeof o !== 'object' || Array.isArray(o) || !o['/discovery']) return null;
  const out: unknown[] = [];
  for (const [k, root] of Object.entries(o)) {
    if (k === '/discovery' || !root || typeof root !== 'object') continue;
    for (const c of ((root as { collections?: { objects?: unknown[] }[] }).collections ?? [])) out.push(...(c.objects ?? []));
  }
  return out;
}

export function isStixInput(v: unknown): boolean {
  if (taxiiDataObjects(v)) return true;
  if (Array.isArray(v)) return v.length > 0 && v.every((o) => o && typeof o === 'object' && typeof (o as { type?: unknown }).type === 'string');
  if (!v || typeof v !== 'object') return false;
  const o = v as Record<string, unknown>;
  return (o.type === 'bundle' && Array.isArray(o.objects)) || (typeof o.type === 'string' && typeof o.id === 'string' && String(o.id).includes('--'));
}

export function convertStix(v: unknown): Conversion {
  const list: unknown[] = taxiiDataObjects(v) ?? (Array.isArray(v) ? v : (v as { type?: string }).type === 'bundle' ? ((v as { objects?: unknown[] }).objects ?? []) : [v]);
  const rejected: ImportIssue[] = [];
  const objects: StixObject[] = [];
  list.forEach((o, index) => {
    if (!o || typeof o !== 'object' || Array.isArray(o)) rejected.push({ index, reason: 'bundle member is not a JSON object' });
    else objects.push(o as StixObject);
  });
  return { objects, rejected, skipped: [] };
}
