/**
 * Writing STIX objects: every version is kept (key id + `modified`), re-importing identical content changes
 * nothing, a newer version becomes current and is projected into the Sentinel tables, an older one is kept
 * as history. One call is one transaction: the counts reported are what was committed.
 */
import { QuarryError } from '../core/errors.js';
import type { Store } from '../store/store.js';
import { extractObservables, type Observable } from './pattern/observables.js';
import { projectIndicator, projectObject } from './projection.js';
import { contentHash, timestampMicros, upgradeTo21, validateObject, versionOf, type StixObject } from './stix.js';

type Tx = Pick<Store, 'query' | 'exec' | 'append'>;

export interface ImportIssue {
  readonly index?: number;
  readonly id?: string;
  readonly reason: string;
}

export interface WriteCounts {
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  issues: ImportIssue[];
  /** Ids whose current version changed (and were projected). */
  changed: string[];
}

export interface WriteOptions {
  /** Provider name shown as Source / IndicatorProvider. */
  readonly source: string;
  /** LastUpdateMethod, e.g. `import:stix`, `taxii`, `api:revoke`. */
  readonly method: string;
  readonly now?: Date;
}

interface Prepared {
  readonly obj: StixObject;
  readonly id: string;
  readonly version: string;
  readonly versionUs: bigint;
  readonly hash: string;
  readonly json: string;
  readonly observables: readonly Observable[];
}

function prepare(raw: unknown): Prepared {
  const obj = upgradeTo21(validateObject(raw));
  let observables: Observable[] = [];
  if (obj.type === 'indicator' && (obj.pattern_type === undefined || obj.pattern_type === 'stix')) {
    observables = extractObservables(obj.pattern as string);
  }
  const version = versionOf(obj);
  const versionUs = version === '' ? 0n : (timestampMicros(version) as bigint);
  return { obj, id: obj.id, version, versionUs, hash: contentHash(obj), json: JSON.stringify(obj), observables };
}

async function stage(tx: Tx, purpose: string, ids: Iterable<string>): Promise<void> {
  await tx.exec('DELETE FROM intel_stage WHERE purpose = $1', [purpose]);
  const rows = [...new Set(ids)].map((id) => ({ id, purpose }));
  if (rows.length > 0) await tx.append('intel_stage', rows);
}

interface Existing {
  versions: Map<string, { hash: string; us: bigint }>;
  current?: { version: string; us: bigint };
}

async function loadExisting(tx: Tx, ids: Iterable<string>): Promise<Map<string, Existing>> {
  await stage(tx, 'lookup', ids);
  const r = await tx.query(
    `SELECT o.id, o.version, o.version_us, o.hash, o.is_current FROM intel_objects o
     WHERE o.id IN (SELECT id FROM intel_stage WHERE purpose = 'lookup')`,
  );
  const out = new Map<string, Existing>();
  for (const [id, version, us, hash, cur] of r.rows as [string, string, bigint, string, boolean][]) {
    let e = out.get(id);
    if (!e) out.set(id, (e = { versions: new Map() }));
    e.versions.set(version, { hash, us });
    if (cur) e.current = { version, us };
  }
  return out;
}

async function tagsOf(tx: Tx, purpose: string): Promise<Map<string, string[]>> {
  const r = await tx.query(`SELECT target, tag FROM intel_tags WHERE target IN (SELECT id FROM intel_stage WHERE purpose = $1) ORDER BY tag`, {
    params: [purpose],
  });
  const m = new Map<string, string[]>();
  for (const [t, tag] of r.rows as [string, string][]) m.set(t, [...(m.get(t) ?? []), tag]);
  return m;
}

/** Names of actors/tools an indicator `indicates`, from relationships and names known in this batch or the store. */
async function activityGroups(tx: Tx, batch: readonly Prepared[], indicatorIds: Set<string>): Promise<Map<string, string[]>> {
  const names = new Map<string, string>();
  const rels: [string, string][] = [];
  for (const p of batch) {
    if (typeof p.obj.name === 'string' && /^(threat-actor|intrusion-set|campaign)$/.test(p.obj.type)) names.set(p.id, p.obj.name);
    if (p.obj.type === 'relationship' && p.obj.relationship_type === 'indicates' && indicatorIds.has(p.obj.source_ref as string)) {
      rels.push([p.obj.source_ref as string, p.obj.target_ref as string]);
    }
  }
  const missing = rels.map(([, t]) => t).filter((t) => !names.has(t) && /^(threat-actor|intrusion-set|campaign)--/.test(t));
  if (missing.length > 0) {
    await stage(tx, 'names', missing);
    const r = await tx.query(
      `SELECT id, json_extract_string(json, '$.name') FROM intel_objects WHERE is_current AND id IN (SELECT id FROM intel_stage WHERE purpose = 'names')`,
    );
    for (const [id, name] of r.rows as [string, string | null][]) if (name) names.set(id, name);
  }
  const out = new Map<string, string[]>();
  for (const [ind, target] of rels) {
    const n = names.get(target);
    if (n) out.set(ind, [...new Set([...(out.get(ind) ?? []), n])]);
  }
  return out;
}

/** Validates, versions and stores objects; projects every object whose current version changed. */
export async function writeObjects(store: Pick<Store, 'transaction'>, raws: readonly unknown[], opts: WriteOptions): Promise<WriteCounts> {
  const counts: WriteCounts = { created: 0, updated: 0, unchanged: 0, rejected: 0, issues: [], changed: [] };
  // last occurrence of an (id, version) in the batch wins
  const byKey = new Map<string, Prepared>();
  raws.forEach((raw, index) => {
    try {
      const p = prepare(raw);
      const key = `${p.id}\u0000${p.version}`;
      if (byKey.has(key)) {
        if (byKey.get(key)!.hash === p.hash) {
          counts.unchanged++;
          return;
        }
        byKey.delete(key);
      }
      byKey.set(key, p);
    } catch (e) {
      counts.rejected++;
      const id = raw && typeof raw === 'object' ? (raw as { id?: unknown }).id : undefined;
      counts.issues.push({ index, ...(typeof id === 'string' ? { id } : {}), reason: e instanceof QuarryError ? e.message : String(e) });
    }
  });
  const batch = [...byKey.values()];
  if (batch.length === 0) return counts;
  const now = opts.now ?? new Date();

  return store.transaction(async (tx) => {
    const existing = await loadExisting(tx, batch.map((p) => p.id));
    const inserts: Prepared[] = [];
    const replaces: Prepared[] = [];
    const seenIds = new Set(existing.keys());
    for (const p of batch) {
      const e = existing.get(p.id);
      const prior = e?.versions.get(p.version);
      if (prior && prior.hash === p.hash) {
        counts.unchanged++;
        continue;
      }
      if (prior) replaces.push(p);
      else inserts.push(p);
      if (seenIds.has(p.id)) counts.updated++;
      else counts.created++;
      seenIds.add(p.id);
    }
    // the new current version of every touched id
    const winner = new Map<string, Prepared>();
    for (const p of [...inserts, ...replaces]) {
      const w = winner.get(p.id);
      if (!w || p.versionUs > w.versionUs || (p.versionUs === w.versionUs && p.version >= w.version)) winner.set(p.id, p);
    }
    const changed: Prepared[] = [];
    for (const [id, p] of winner) {
      const cur = existing.get(id)?.current;
      if (!cur || p.versionUs > cur.us || (p.versionUs === cur.us && p.version >= cur.version)) changed.push(p);
    }
    const changedIds = new Set(changed.map((p) => p.id));
    await stage(tx, 'changed', changedIds);
    await tx.exec(`UPDATE intel_objects SET is_current = false WHERE is_current AND id IN (SELECT id FROM intel_stage WHERE purpose = 'changed')`);

    const maxAdded = (await tx.query('SELECT coalesce(max(added_us), 0) FROM intel_objects')).rows[0]![0] as bigint;
    const nowUs = BigInt(now.getTime()) * 1000n;
    let added = nowUs > maxAdded ? nowUs : maxAdded + 1n;
    const row = (p: Prepared) => ({
      id: p.id, version: p.version, version_us: p.versionUs, type: p.obj.type,
      spec_version: typeof p.obj.spec_version === 'string' ? p.obj.spec_version : null,
      hash: p.hash, json: p.json, source: opts.source, added_us: added++,
      is_current: changedIds.has(p.id) && winner.get(p.id) === p, revoked: p.obj.revoked === true,
    });
    for (const p of replaces) {
      const r = row(p);
      await tx.exec(
        'UPDATE intel_objects SET hash = $3, json = $4, source = $5, added_us = $6, is_current = $7, revoked = $8 WHERE id = $1 AND version = $2',
        [r.id, r.version, r.hash, r.json, r.source, r.added_us, r.is_current, r.revoked],
      );
    }
    if (inserts.length > 0) await tx.append('intel_objects', inserts.map(row));

    // observables and projections of the new current versions
    const indicators = changed.filter((p) => p.obj.type === 'indicator');
    await stage(tx, 'changed-ind', indicators.map((p) => p.id));
    await tx.exec(`DELETE FROM intel_observables WHERE indicator_id IN (SELECT id FROM intel_stage WHERE purpose = 'changed-ind')`);
    const obsRows = indicators.flatMap((p) => p.observables.map((o) => ({ indicator_id: p.id, kind: o.kind, okey: o.key, value: o.value })));
    if (obsRows.length > 0) await tx.append('intel_observables', obsRows);
    await projectChanged(tx, changed, opts, now, batch);
    counts.changed = changed.map((p) => p.id);
    return counts;
  });
}

async function projectChanged(tx: Tx, changed: readonly Prepared[], opts: WriteOptions, now: Date, batch: readonly Prepared[]): Promise<void> {
  if (changed.length === 0) return;
  const tags = await tagsOf(tx, 'changed');
  const groups = await activityGroups(tx, batch, new Set(changed.filter((p) => p.obj.type === 'indicator').map((p) => p.id)));
  const legacy: Record<string, unknown>[] = [];
  const stix: Record<string, unknown>[] = [];
  const objects: Record<string, unknown>[] = [];
  for (const p of changed) {
    const t = tags.get(p.id) ?? [];
    if (p.obj.type === 'indicator') {
      const rows = projectIndicator(
        { obj: p.obj, observables: p.observables, source: opts.source, method: opts.method, tags: t, activityGroups: groups.get(p.id) ?? [] },
        now,
      );
      legacy.push(...rows.legacy);
      stix.push(...rows.stix);
    } else {
      objects.push(projectObject({ obj: p.obj, source: opts.source, method: opts.method, tags: t }, now));
    }
  }
  if (legacy.length > 0) await tx.append('ThreatIntelligenceIndicator', legacy);
  if (stix.length > 0) await tx.append('ThreatIntelIndicators', stix);
  if (objects.length > 0) await tx.append('ThreatIntelObjects', objects);
}

/**
 * Appends fresh projection rows for the current versions of `ids` (after a tag change: Sentinel keeps one row
 * version per change). Source is the stored source of each object.
 */
export async function reprojectObjects(store: Pick<Store, 'transaction'>, ids: readonly string[], method: string, now = new Date()): Promise<number> {
  return store.transaction(async (tx) => {
    await stage(tx, 'changed', ids);
    const r = await tx.query(`SELECT json, source FROM intel_objects WHERE is_current AND id IN (SELECT id FROM intel_stage WHERE purpose = 'changed')`);
    const bySource = new Map<string, Prepared[]>();
    for (const [json, source] of r.rows as [string, string | null][]) {
      const p = prepare(JSON.parse(json));
      const k = source ?? 'Quarry';
      bySource.set(k, [...(bySource.get(k) ?? []), p]);
    }
    for (const [source, list] of bySource) await projectChanged(tx, list, { source, method }, now, list);
    return r.rows.length;
  });
}

/**
 * Writes a new version of an existing object: `patch` merged over the current version, `modified` set to now
 * (or 1 ms after the current `modified` when the clock is behind). Used by revoke, edits and the API.
 */
export async function reviseObject(
  store: Pick<Store, 'transaction' | 'query'>,
  id: string,
  patch: Record<string, unknown>,
  opts: { method: string; now?: Date },
): Promise<StixObject> {
  const r = await store.query('SELECT json, source FROM intel_objects WHERE id = $1 AND is_current', { params: [id] });
  if (r.rows.length === 0) throw new QuarryError('intel/not-found', `no intel object with id '${id}'`);
  const current = JSON.parse(r.rows[0]![0] as string) as StixObject;
  const now = opts.now ?? new Date();
  const curUs = timestampMicros(current.modified ?? current.created) ?? 0n;
  let modUs = BigInt(now.getTime()) * 1000n;
  if (modUs <= curUs) modUs = (curUs / 1000n + 1n) * 1000n;
  const next = { ...current, ...patch, modified: new Date(Number(modUs / 1000n)).toISOString() } as StixObject;
  const w = await writeObjects(store, [next], { source: (r.rows[0]![1] as string | null) ?? 'Quarry', method: opts.method, now });
  if (w.rejected > 0) throw new QuarryError('intel/bad-object', w.issues[0]!.reason);
  return next;
}

export async function revokeObject(store: Pick<Store, 'transaction' | 'query'>, id: string, now?: Date): Promise<StixObject> {
  return reviseObject(store, id, { revoked: true }, { method: 'api:revoke', ...(now ? { now } : {}) });
}
