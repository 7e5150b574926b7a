/**
 * Key/value facts about the store (`_quarry_meta`, created by migration 1): demo marker, versions.
 */
import type { Store } from './store.js';

export async function getMeta(store: Pick<Store, 'query'>, key: string): Promise<string | undefined> {
  const r = await store.query('SELECT value FROM _quarry_meta WHERE key = $1', { params: [key] });
  const v = r.rows[0]?.[0];
  return v === undefined || v === null ? undefined : String(v);
}

export async function setMeta(store: Pick<Store, 'exec'>, key: string, value: string): Promise<void> {
  await store.exec(
    'INSERT INTO _quarry_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()::TIMESTAMP',
    [key, value],
  );
}
