/**
 * Custom tags on any object or artifact (a STIX id, or a value such as a domain or IP). Tagging a stored
 * object appends a new projection row version (Sentinel semantics: a tag change is a change).
 */
import { QuarryError } from '../core/errors.js';
import type { Store } from '../store/store.js';
import { reprojectObjects } from './object-store.js';
import { isStixId } from './stix.js';

function checkTag(tag: string): string {
  const t = tag.trim();
  if (t === '' || t.length > 200 || /[,|]/.test(t)) {
    throw new QuarryError('core/bad-argument', `tag '${tag}' must be 1–200 characters without ',' or '|'`, { hints: ['commas and pipes separate tags in CSV exports'] });
  }
  return t;
}

async function isStored(store: Pick<Store, 'query'>, target: string): Promise<boolean> {
  if (!isStixId(target)) return false;
  return (await store.query('SELECT 1 FROM intel_objects WHERE id = $1 AND is_current', { params: [target] })).rows.length > 0;
}

export async function addTags(store: Pick<Store, 'query' | 'exec' | 'transaction'>, target: string, tags: readonly string[], by = 'quarry'): Promise<string[]> {
  const clean = tags.map(checkTag);
  for (const t of clean) {
    await store.exec('INSERT INTO intel_tags (target, tag, created_by) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [target, t, by]);
  }
  if (await isStored(store, target)) await reprojectObjects(store, [target], 'api:tag');
  return tagsOf(store, target);
}

export async function removeTag(store: Pick<Store, 'query' | 'exec' | 'transaction'>, target: string, tag: string): Promise<string[]> {
  await store.exec('DELETE FROM intel_tags WHERE target = $1 AND tag = $2', [target, tag]);
  if (await isStored(store, target)) await reprojectObjects(store, [target], 'api:untag');
  return tagsOf(store, target);
}

export async function tagsOf(store: Pick<Store, 'query'>, target: string): Promise<string[]> {
  const r = await store.query('SELECT tag FROM intel_tags WHERE target = $1 ORDER BY tag', { params: [target] });
  return r.rows.map((row) => row[0] as string);
}

export async function listTags(store: Pick<Store, 'query'>): Promise<{ tag: string; count: number }[]> {
  const r = await store.query('SELECT tag, count(*) FROM intel_tags GROUP BY tag ORDER BY tag');
  return r.rows.map((row) => ({ tag: row[0] as string, count: Number(row[1]) }));
}
