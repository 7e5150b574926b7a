/**
 * Reading intel objects: current version by id, every version, paged lists with filters, and observable
 * look-up (one normalised value → every indicator that names it, across sources).
 */
import { QuarryError } from '../core/errors.js';
import type { SqlParam, Store } from '../store/store.js';
import { classifyValue } from './normalize.js';
import { microsToIso, type StixObject } from './stix.js';

type Reader = Pick<Store, 'query'>;

export interface StoredVersion {
  readonly object: StixObject;
  readonly source: string | null;
  /** TAXII date_added of this version. */
  readonly dateAdded: string;
  readonly addedUs: bigint;
  readonly current: boolean;
}

function toVersion(row: readonly unknown[]): StoredVersion {
  return {
    object: JSON.parse(row[0] as string) as StixObject,
    source: (row[1] as string | null) ?? null,
    addedUs: row[2] as bigint,
    dateAdded: microsToIso(row[2] as bigint),
    current: row[3] as boolean,
  };
}

const COLS = 'json, source, added_us, is_current';

export async function getObject(store: Reader, id: string): Promise<StixObject> {
  const r = await store.query(`SELECT json FROM intel_objects WHERE id = $1 AND is_current`, { params: [id] });
  if (r.rows.length === 0) throw new QuarryError('intel/not-found', `no intel object with id '${id}'`);
  return JSON.parse(r.rows[0]![0] as string) as StixObject;
}

export async function getObjects(store: Reader, ids: readonly string[]): Promise<Map<string, StixObject>> {
  const out = new Map<string, StixObject>();
  for (let i = 0; i < ids.length; i += 2000) {
    const chunk = ids.slice(i, i + 2000);
    if (chunk.length === 0) break;
    const r = await store.query(`SELECT json FROM intel_objects WHERE is_current AND id IN (${chunk.map((_, k) => `$${k + 1}`).join(',')})`, {
      params: chunk,
    });
    for (const [json] of r.rows as [string][]) {
      const o = JSON.parse(json) as StixObject;
      out.set(o.id, o);
    }
  }
  return out;
}

export async function getVersions(store: Reader, id: string): Promise<StoredVersion[]> {
  const r = await store.query(`SELECT ${COLS} FROM intel_objects WHERE id = $1 ORDER BY version_us, version`, { params: [id] });
  if (r.rows.length === 0) throw new QuarryError('intel/not-found', `no intel object with id '${id}'`);
  return r.rows.map(toVersion);
}

export interface ListFilter {
  readonly types?: readonly string[];
  /** Custom tag (intel_tags) or STIX label. */
  readonly tag?: string;
  /** Case-insensitive text in name/aliases/description. */
  readonly search?: string;
  readonly includeRevoked?: boolean;
  readonly skip?: number;
  readonly top?: number;
}

export interface Page<T> {
  readonly items: T[];
  readonly total: number;
}

/** Current versions matching the filter, newest `modified` first. */
export async function listObjects(store: Reader, f: ListFilter = {}): Promise<Page<StixObject>> {
  const where: string[] = ['is_current'];
  const params: SqlParam[] = [];
  const p = (v: SqlParam) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (f.types && f.types.length > 0) where.push(`type IN (${f.types.map((t) => p(t)).join(',')})`);
  if (!f.includeRevoked) where.push('NOT revoked');
  if (f.tag) {
    const t = p(f.tag);
    where.push(`(id IN (SELECT target FROM intel_tags WHERE lower(tag) = lower(${t})) OR list_contains(CAST(json_extract(json, '$.labels') AS VARCHAR[]), ${t}))`);
  }
  if (f.search) where.push(`contains(lower(json), lower(${p(f.search)}))`);
  const cond = where.join(' AND ');
  const total = Number((await store.query(`SELECT count(*) FROM intel_objects WHERE ${cond}`, { params })).rows[0]![0]);
  const top = Math.min(Math.max(f.top ?? 100, 0), 10_000);
  const r = await store.query(
    `SELECT json FROM intel_objects WHERE ${cond} ORDER BY version_us DESC, id LIMIT ${top} OFFSET ${Math.max(f.skip ?? 0, 0)}`,
    { params },
  );
  return { items: r.rows.map((row) => JSON.parse(row[0] as string) as StixObject), total };
}

export interface ObservableHit {
  readonly kind: string;
  readonly value: string;
  readonly indicators: { id: string; key: string; source: string | null; revoked: boolean }[];
}

/** One observable (normalised) with every indicator that names it. */
export async function findObservable(store: Reader, raw: string): Promise<ObservableHit | null> {
  const c = classifyValue(raw);
  const value = c?.value ?? raw.trim();
  const r = await store.query(
    `SELECT ob.kind, ob.value, ob.indicator_id, ob.okey, o.source, o.revoked FROM intel_observables ob
     JOIN intel_objects o ON o.id = ob.indicator_id AND o.is_current WHERE ob.value = $1 ORDER BY ob.indicator_id`,
    { params: [value] },
  );
  if (r.rows.length === 0) return null;
  return {
    kind: r.rows[0]![0] as string,
    value,
    indicators: r.rows.map((row) => ({ id: row[2] as string, key: row[3] as string, source: row[4] as string | null, revoked: row[5] as boolean })),
  };
}

/** Observables of the current versions of the given indicators. */
export async function observablesOf(store: Reader, ids: readonly string[]): Promise<Map<string, { kind: string; key: string; value: string }[]>> {
  const out = new Map<string, { kind: string; key: string; value: string }[]>();
  for (let i = 0; i < ids.length; i += 2000) {
    const chunk = ids.slice(i, i + 2000);
    if (chunk.length === 0) break;
    const r = await store.query(
      `SELECT indicator_id, kind, okey, value FROM intel_observables WHERE indicator_id IN (${chunk.map((_, k) => `$${k + 1}`).join(',')})`,
      { params: chunk },
    );
    for (const [id, kind, key, value] of r.rows as [string, string, string, string][]) out.set(id, [...(out.get(id) ?? []), { kind, key, value }]);
  }
  return out;
}
