/**
 * TAXII 2.1 server logic (OASIS TAXII 2.1 §4–5): discovery, one API root (`api`), collections, objects,
 * manifest and versions with `added_after`, `match[id|type|version|spec_version]`, `limit` and `next`.
 *
 * `date_added` of an object version is its `added_us` (strictly increasing over the store), so paging is a
 * keyset on it: `next` is an opaque token holding the last `added_us` served. It needs no server state and
 * stays valid across restarts. Collections: the built-in "all" collection, or one filtered by a custom tag.
 */
import { QuarryError } from '../../core/errors.js';
import type { SqlParam, Store } from '../../store/store.js';
import { microsToIso, timestampMicros, type StixObject } from '../stix.js';

type Reader = Pick<Store, 'query'>;

export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';
export const API_ROOT = 'api';
export const DEFAULT_LIMIT = 1000;
export const MAX_LIMIT = 10_000;

export interface Collection {
  readonly id: string;
  readonly title: string;
  readonly description?: string;
  readonly can_read: boolean;
  readonly can_write: boolean;
  readonly media_types: string[];
}

export function discovery(baseUrl: string): Record<string, unknown> {
  return {
    title: 'Quarry TAXII 2.1 server',
    description: 'Threat intelligence shared by this Quarry instance.',
    default: `${baseUrl}/taxii2/${API_ROOT}/`,
    api_roots: [`${baseUrl}/taxii2/${API_ROOT}/`],
  };
}

export function apiRootInfo(maxContentLength: number): Record<string, unknown> {
  return {
    title: 'Quarry intel',
    description: 'STIX 2.1 objects of the Quarry intel store.',
    versions: [TAXII_MEDIA_TYPE],
    max_content_length: maxContentLength,
  };
}

interface CollectionRow extends Collection {
  readonly tag: string | null;
}

export async function listCollections(store: Reader): Promise<CollectionRow[]> {
  const r = await store.query('SELECT id, title, description, tag, can_read, can_write FROM intel_taxii_collections ORDER BY title, id');
  return r.rows.map((row) => ({
    id: row[0] as string,
    title: row[1] as string,
    ...(row[2] ? { description: row[2] as string } : {}),
    tag: (row[3] as string | null) ?? null,
    can_read: row[4] as boolean,
    can_write: row[5] as boolean,
    media_types: [STIX_MEDIA_TYPE],
  }));
}

export function publicCollection(c: CollectionRow): Collection {
  const { tag: _t, ...rest } = c;
  return rest;
}

export async function getCollection(store: Reader, id: string): Promise<CollectionRow> {
  const c = (await listCollections(store)).find((x) => x.id === id);
  if (!c) throw new QuarryError('intel/not-found', `no TAXII collection '${id}'`);
  return c;
}

/** Adds a collection serving the objects tagged `tag`. */
export async function createTagCollection(store: Pick<Store, 'exec'>, id: string, title: string, tag: string, description?: string): Promise<void> {
  await store.exec('INSERT INTO intel_taxii_collections VALUES ($1, $2, $3, $4, true, false)', [id, title, description ?? null, tag]);
}

export interface ObjectQuery {
  readonly addedAfter?: string;
  readonly limit?: number;
  readonly next?: string;
  readonly ids?: readonly string[];
  readonly types?: readonly string[];
  /** `last` (default), `first`, `all` or version timestamps. */
  readonly versions?: readonly string[];
  readonly specVersions?: readonly string[];
}

export interface VersionRow {
  readonly id: string;
  readonly version: string;
  readonly addedUs: bigint;
  readonly json?: string;
}

export interface QueryPage {
  readonly rows: VersionRow[];
  readonly more: boolean;
  readonly next?: string;
}

function badRequest(message: string): QuarryError {
  return new QuarryError('api/bad-request', message);
}

export function encodeNext(addedUs: bigint): string {
  return Buffer.from(`q1:${addedUs.toString()}`).toString('base64url');
}

export function decodeNext(token: string): bigint {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const m = /^q1:(\d+)$/.exec(text);
  if (!m) throw badRequest(`'next' is not a paging token this server issued: ${token}`);
  return BigInt(m[1]!);
}

/** Runs an objects/manifest/versions query over one collection. */
export async function queryCollection(store: Reader, coll: CollectionRow, q: ObjectQuery, withJson: boolean): Promise<QueryPage> {
  if (!coll.can_read) throw new QuarryError('api/forbidden', `collection '${coll.id}' cannot be read`);
  const where: string[] = [];
  const params: SqlParam[] = [];
  const p = (v: SqlParam) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (coll.tag) where.push(`o.id IN (SELECT target FROM intel_tags WHERE tag = ${p(coll.tag)})`);
  if (q.addedAfter !== undefined) {
    const us = timestampMicros(q.addedAfter);
    if (us === null) throw badRequest(`added_after is not an RFC 3339 timestamp: ${q.addedAfter}`);
    where.push(`o.added_us > ${p(us)}`);
  }
  if (q.next !== undefined) where.push(`o.added_us > ${p(decodeNext(q.next))}`);
  if (q.ids && q.ids.length > 0) where.push(`o.id IN (${q.ids.map((x) => p(x)).join(',')})`);
  if (q.types && q.types.length > 0) where.push(`o.type IN (${q.types.map((x) => p(x)).join(',')})`);
  if (q.specVersions && q.specVersions.length > 0) where.push(`coalesce(o.spec_version, '2.1') IN (${q.specVersions.map((x) => p(x)).join(',')})`);
  const versions = q.versions && q.versions.length > 0 ? q.versions : ['last'];
  if (!versions.includes('all')) {
    const ors: string[] = [];
    for (const v of versions) {
      if (v === 'last') ors.push('o.is_current');
      else if (v === 'first') ors.push('o.version_us = (SELECT min(f.version_us) FROM intel_objects f WHERE f.id = o.id)');
      else {
        if (timestampMicros(v) === null) throw badRequest(`match[version] must be last, first, all or a timestamp, got '${v}'`);
        ors.push(`o.version_us = ${p(timestampMicros(v))}`);
      }
    }
    where.push(`(${ors.join(' OR ')})`);
  }
  const limit = q.limit ?? DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) throw badRequest(`limit must be a positive whole number, got ${String(q.limit)}`);
  const take = Math.min(limit, MAX_LIMIT);
  const r = await store.query(
    `SELECT o.id, o.version, o.added_us${withJson ? ', o.json' : ''} FROM intel_objects o
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY o.added_us LIMIT ${take + 1}`,
    { params },
  );
  const rows = r.rows.slice(0, take).map((row) => ({
    id: row[0] as string, version: row[1] as string, addedUs: row[2] as bigint, ...(withJson ? { json: row[3] as string } : {}),
  }));
  const more = r.rows.length > take;
  return { rows, more, ...(more ? { next: encodeNext(rows[rows.length - 1]!.addedUs) } : {}) };
}

export function dateAddedHeaders(rows: readonly VersionRow[]): Record<string, string> {
  if (rows.length === 0) return {};
  return { 'X-TAXII-Date-Added-First': microsToIso(rows[0]!.addedUs), 'X-TAXII-Date-Added-Last': microsToIso(rows[rows.length - 1]!.addedUs) };
}

export function envelope(page: QueryPage): { more: boolean; next?: string; objects: StixObject[] } {
  return { more: page.more, ...(page.next ? { next: page.next } : {}), objects: page.rows.map((r) => JSON.parse(r.json!) as StixObject) };
}

export function manifest(page: QueryPage): Record<string, unknown> {
  return {
    more: page.more,
    ...(page.next ? { next: page.next } : {}),
    objects: page.rows.map((r) => ({ id: r.id, date_added: microsToIso(r.addedUs), version: r.version, media_type: STIX_MEDIA_TYPE })),
  };
}

export function versionsResource(page: QueryPage): Record<string, unknown> {
  return { more: page.more, ...(page.next ? { next: page.next } : {}), versions: page.rows.map((r) => r.version) };
}
