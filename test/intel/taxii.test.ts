/**
 * TAXII 2.1 server and client over real HTTP on 127.0.0.1: protocol resources, filters, paging, media types
 * and errors; and a client mirroring a 10,000-object collection exactly across pages and a server restart.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installErrorHandlers } from '../../src/api/error-handler.js';
import { registerTaxiiRoutes } from '../../src/api/routes/taxii.js';
import { ALL_COLLECTION_ID } from '../../src/intel/migrations.js';
import { writeObjects } from '../../src/intel/object-store.js';
import { pollCollection, readCursor } from '../../src/intel/taxii/client.js';
import type { Store } from '../../src/store/store.js';
import { openIntelStore, removeTempDirs, tempDir } from './open-intel-store.js';

const MEDIA = 'application/taxii+json;version=2.1';
const N = 10_000;

async function serve(store: Store, port = 0): Promise<{ app: FastifyInstance; url: string }> {
  const app = Fastify();
  installErrorHandlers(app);
  registerTaxiiRoutes(app, store);
  await app.listen({ host: '127.0.0.1', port });
  const addr = app.server.address() as { port: number };
  return { app, url: `http://127.0.0.1:${addr.port}` };
}

function indicator(i: number, modified: string): Record<string, unknown> {
  const hex = i.toString(16).padStart(12, '0');
  return {
    type: 'indicator', spec_version: '2.1', id: `indicator--00000000-0000-4000-8000-${hex}`, created: '2024-01-01T00:00:00.000Z', modified,
    name: `bench ${i}`, pattern: `[ipv4-addr:value = '10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}']`, pattern_type: 'stix',
    valid_from: '2024-01-01T00:00:00Z', indicator_types: ['malicious-activity'], confidence: i % 101,
  };
}

let srcDir: string;
let src: Store;
let server: { app: FastifyInstance; url: string };
const coll = () => `${server.url}/taxii2/api/collections/${ALL_COLLECTION_ID}/`;

beforeAll(async () => {
  srcDir = tempDir();
  src = await openIntelStore(srcDir);
  const objs = Array.from({ length: N - 50 }, (_, i) => indicator(i, '2024-01-01T00:00:00.000Z'));
  // 50 objects with a second version: 9,950 ids, 10,000 object versions
  for (let i = 0; i < 50; i++) objs.push(indicator(i, '2024-02-01T00:00:00.000Z'));
  const w = await writeObjects(src, objs, { source: 'taxii-test', method: 'test' });
  expect(w.created + w.updated).toBe(N);
  server = await serve(src);
}, 120_000);

afterAll(async () => {
  await server?.app.close();
  await src?.close();
  removeTempDirs();
});

async function get(path: string, headers: Record<string, string> = { accept: MEDIA }) {
  const res = await fetch(server.url + path, { headers });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type'), headers: res.headers, body: text ? (JSON.parse(text) as Record<string, any>) : {} };
}

describe('TAXII 2.1 server', () => {
  it('serves discovery, the API root and collections with the TAXII media type', async () => {
    const d = await get('/taxii2/');
    expect(d.status).toBe(200);
    expect(d.type).toBe(MEDIA);
    expect(d.body.api_roots).toEqual([`${server.url}/taxii2/api/`]);
    const root = await get('/taxii2/api/');
    expect(root.body.versions).toEqual([MEDIA]);
    const c = await get('/taxii2/api/collections/');
    expect(c.body.collections.map((x: { id: string }) => x.id)).toContain(ALL_COLLECTION_ID);
    expect((await get(`/taxii2/api/collections/${ALL_COLLECTION_ID}/`)).body.can_read).toBe(true);
  });

  it('answers 406 to a non-TAXII Accept and 404 with a TAXII error body', async () => {
    const bad = await get('/taxii2/', { accept: 'text/html' });
    expect(bad.status).toBe(406);
    expect(bad.type).toBe(MEDIA);
    expect(bad.body.http_status).toBe('406');
    const nf = await get('/taxii2/api/collections/00000000-0000-4000-8000-000000000000/objects/');
    expect(nf.status).toBe(404);
    expect(nf.body.title).toBe('Not Found');
    const badLimit = await get(`/taxii2/api/collections/${ALL_COLLECTION_ID}/objects/?limit=0`);
    expect(badLimit.status).toBe(400);
  });

  it('filters objects by match[id], match[type], match[version] and added_after, with date-added headers', async () => {
    const id = 'indicator--00000000-0000-4000-8000-000000000003';
    const last = await get(`/taxii2/api/collections/${ALL_COLLECTION_ID}/objects/?match[id]=${id}`);
    expect(last.body.objects.map((o: { modified: string }) => o.modified)).toEqual(['2024-02-01T00:00:00.000Z']);
    const all = await get(`/taxii2/api/collections/${ALL_COLLECTION_ID}/objects/?match[id]=${id}&match[version]=all`);
    expect(all.body.objects).toHaveLength(2);
    const first = await get(`/taxii2/api/collections/${ALL_COLLECTION_ID}/objects/?match[id]=${id}&match[version]=first`);
    expect(first.body.objects[0].modified).toBe('2024-01-01T00:00:00.000Z');
    const versions = await get(`/taxii2/api/collections/${ALL_COLLECTION_ID}/objects/${id}/versions/`);
    expect(versions.body.versions).toEqual(['2024-01-01T00:00:00.000Z', '2024-02-01T00:00:00.000Z']);
    const none = await get(`/taxii2/api/collections/${ALL_COLLECTION_ID}/objects/?match[type]=malware`);
    expect(none.body).toEqual({ more: false, objects: [] });
    const page = await get(`/taxii2/api/collections/${ALL_COLLECTION_ID}/manifest/?limit=5`);
    expect(page.body.more).toBe(true);
    expect(page.body.objects).toHaveLength(5);
    expect(page.body.objects[0].media_type).toBe('application/stix+json;version=2.1');
    const lastAdded = page.headers.get('x-taxii-date-added-last')!;
    expect(lastAdded).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    const after = await get(`/taxii2/api/collections/${ALL_COLLECTION_ID}/manifest/?limit=1&added_after=${lastAdded}`);
    expect(after.body.objects[0].date_added > lastAdded).toBe(true);
    const byOid = await get(`/taxii2/api/collections/${ALL_COLLECTION_ID}/objects/indicator--00000000-0000-4000-8000-ffffffffffff/`);
    expect(byOid.status).toBe(404);
  });
});

describe('TAXII 2.1 client', () => {
  it('mirrors 10,000 object versions exactly across pages and a server restart', async () => {
    const dst = await openIntelStore();
    try {
      const first = await pollCollection(dst, { name: 'mirror', collectionUrl: coll(), limit: 700, maxPages: 5 });
      expect(first).toMatchObject({ pages: 5, objects: 3500, complete: false });
      expect((await readCursor(dst, 'mirror')).next).not.toBeNull();
      // restart: the server process state is gone; the store (same data dir) and the port come back
      const port = Number(new URL(server.url).port);
      await server.app.close();
      await src.close();
      await expect(pollCollection(dst, { name: 'mirror', collectionUrl: coll(), limit: 700 })).rejects.toMatchObject({ code: 'intel/taxii-error' });
      src = await openIntelStore(srcDir);
      server = await serve(src, port);
      const rest = await pollCollection(dst, { name: 'mirror', collectionUrl: coll(), limit: 700 });
      expect(rest.complete).toBe(true);
      expect(first.objects + rest.objects).toBe(N);
      const snapshot = async (s: Store) =>
        (await s.query('SELECT id, version, hash, is_current FROM intel_objects ORDER BY id, version')).rows.map((r) => r.join('|'));
      expect(await snapshot(dst)).toEqual(await snapshot(src));
      // a further poll finds nothing new and changes nothing
      const again = await pollCollection(dst, { name: 'mirror', collectionUrl: coll(), limit: 700 });
      expect(again).toMatchObject({ objects: 0, created: 0, complete: true });
      // a new version on the server arrives with the next poll
      await writeObjects(src, [indicator(7, '2024-03-01T00:00:00.000Z')], { source: 'taxii-test', method: 'test' });
      const later = await pollCollection(dst, { name: 'mirror', collectionUrl: coll(), limit: 700 });
      expect(later).toMatchObject({ objects: 1, updated: 1 });
    } finally {
      await dst.close();
    }
  }, 120_000);
});
