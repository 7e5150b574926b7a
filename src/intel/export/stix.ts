/**
 * STIX 2.1 bundle export: the whole store (every version, in date-added order, so an import into an empty
 * Quarry reproduces the same object versions), or a scope — profile, article, tag, project — with the
 * objects it references (refs, markings, creators, relationships and their other ends), current versions.
 */
import type { Store } from '../../store/store.js';
import { getObjects } from '../object-read.js';
import { profileMemberIds } from '../profiles.js';
import { projectArtifacts } from '../projects.js';
import { deterministicId, type StixObject } from '../stix.js';

type Reader = Pick<Store, 'query'>;

export type ExportScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'profile'; readonly id: string }
  | { readonly kind: 'article'; readonly id: string }
  | { readonly kind: 'tag'; readonly tag: string }
  | { readonly kind: 'project'; readonly id: string };

export interface Bundle {
  readonly type: 'bundle';
  readonly id: string;
  readonly objects: StixObject[];
}

function bundleOf(objects: StixObject[], scopeKey: string): Bundle {
  return { type: 'bundle', id: deterministicId('bundle', scopeKey, ...objects.map((o) => `${o.id}@${String(o.modified ?? o.created ?? '')}`)), objects };
}

function refsOf(o: StixObject): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(o)) {
    if (k.endsWith('_ref') && typeof v === 'string') out.push(v);
    else if (k.endsWith('_refs') && Array.isArray(v)) out.push(...v.filter((x): x is string => typeof x === 'string'));
  }
  return out;
}

/** Relationships (current) touching any of `ids`. */
async function relationshipsOf(store: Reader, ids: Set<string>): Promise<StixObject[]> {
  const r = await store.query(
    `SELECT json FROM intel_objects WHERE is_current AND type IN ('relationship', 'sighting') AND NOT revoked`,
  );
  return r.rows
    .map((row) => JSON.parse(row[0] as string) as StixObject)
    .filter((o) => ids.has(o.source_ref as string) || ids.has(o.target_ref as string) || ids.has(o.sighting_of_ref as string));
}

/** Roots plus everything they reference, transitively (current versions). */
async function closure(store: Reader, roots: readonly string[], withRelationships: boolean): Promise<StixObject[]> {
  const have = new Map<string, StixObject>();
  let frontier = [...new Set(roots)];
  while (frontier.length > 0) {
    const got = await getObjects(store, frontier.filter((id) => !have.has(id)));
    const next: string[] = [];
    for (const o of got.values()) {
      have.set(o.id, o);
      for (const ref of refsOf(o)) if (!have.has(ref)) next.push(ref);
    }
    frontier = [...new Set(next)];
  }
  if (withRelationships) {
    const rels = await relationshipsOf(store, new Set(roots));
    const ends = rels.flatMap((r) => [r.source_ref as string, r.target_ref as string]).filter((id) => !have.has(id));
    for (const r of rels) have.set(r.id, r);
    const more = await closure(store, ends, false);
    for (const o of more) have.set(o.id, o);
  }
  return [...have.values()].sort((a, b) => a.id.localeCompare(b.id));
}

export async function exportBundle(store: Reader, scope: ExportScope): Promise<Bundle> {
  switch (scope.kind) {
    case 'all': {
      const r = await store.query('SELECT json FROM intel_objects ORDER BY added_us');
      return bundleOf(r.rows.map((row) => JSON.parse(row[0] as string) as StixObject), 'all');
    }
    case 'profile':
      return bundleOf(await closure(store, await profileMemberIds(store, scope.id), true), `profile:${scope.id}`);
    case 'article':
      return bundleOf(await closure(store, [scope.id], false), `article:${scope.id}`);
    case 'tag': {
      const r = await store.query(
        `SELECT id FROM intel_objects WHERE is_current AND (id IN (SELECT target FROM intel_tags WHERE lower(tag) = lower($1))
         OR list_contains(CAST(json_extract(json, '$.labels') AS VARCHAR[]), $1))`,
        { params: [scope.tag] },
      );
      return bundleOf(await closure(store, r.rows.map((row) => row[0] as string), false), `tag:${scope.tag}`);
    }
    case 'project': {
      const arts = await projectArtifacts(store, scope.id);
      const ids = arts.filter((a) => a.type === 'stix').map((a) => a.artifact);
      const values = arts.filter((a) => a.type !== 'stix').map((a) => a.artifact.toLowerCase());
      if (values.length > 0) {
        const r = await store.query(
          `SELECT DISTINCT indicator_id FROM intel_observables WHERE lower(value) IN (${values.map((_, i) => `$${i + 1}`).join(',')})`,
          { params: values },
        );
        ids.push(...r.rows.map((row) => row[0] as string));
      }
      return bundleOf(await closure(store, ids, false), `project:${scope.id}`);
    }
  }
}
