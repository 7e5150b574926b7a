/** `/api/intel/...` routes over real HTTP on 127.0.0.1 with a real store. */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installErrorHandlers } from '../../src/api/error-handler.js';
import { registerIntelRoutes } from '../../src/api/routes/intel.js';
import type { Store } from '../../src/store/store.js';
import { openIntelStore, removeTempDirs } from './open-intel-store.js';

let store: Store;
let app: FastifyInstance;
let url: string;

beforeAll(async () => {
  store = await openIntelStore();
  app = Fastify();
  installErrorHandlers(app);
  registerIntelRoutes(app, store);
  await app.listen({ host: '127.0.0.1', port: 0 });
  url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await app?.close();
  await store?.close();
  removeTempDirs();
});

const call = async (method: string, path: string, body?: unknown, type = 'application/json') => {
  const res = await fetch(url + path, { method, ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': type } } : {}) });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', text, json: text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : undefined };
};

describe('/api/intel', () => {
  it('imports, creates an article, tags, serves profiles, projects and exports', async () => {
    const imp = await call('POST', '/api/intel/import?source=feed', 'type,value\ndomain,evil[.]example\nip,192.0.2.5\n', 'text/plain');
    expect(imp.json).toMatchObject({ format: 'csv', created: 2 });
    const art = await call('POST', '/api/intel/articles', { title: 'Evil campaign', body: '# Evil\n\nDetails.', isFeatured: true, indicators: ['evil[.]example', 'hxxp://evil[.]example/x'] });
    expect(art.status).toBe(201);
    const list = await call('GET', '/api/intel/articles?featured=true');
    expect(list.json.items.map((a: { title: string }) => a.title)).toEqual(['Evil campaign']);
    const csv = await call('GET', `/api/intel/articles/${art.json.id}/indicators?format=csv`);
    expect(csv.type).toContain('text/csv');
    expect(csv.text).toBe('type,value,source\r\ndomain,evil.example,OSINT\r\nurl,http://evil.example/x,OSINT\r\n');
    const obs = await call('GET', '/api/intel/observables/evil.example');
    expect(obs.json.indicators).toHaveLength(2);
    const tag = await call('POST', `/api/intel/tags/${obs.json.indicators[0].id}`, { tags: ['hot'] });
    expect(tag.json.tags).toEqual(['hot']);
    const bundle = await call('GET', '/api/intel/export?tag=hot');
    expect(bundle.json.objects.map((o: { id: string }) => o.id)).toEqual([obs.json.indicators[0].id]);
    const proj = await call('POST', '/api/intel/projects', { name: 'P1', owner: 'ana' });
    await call('POST', `/api/intel/projects/${proj.json.id}/artifacts`, { artifact: 'evil.example', creator: 'ana', context: 'seen in mail' });
    const pcsv = await call('GET', `/api/intel/projects/${proj.json.id}?format=csv`);
    expect(pcsv.text.split('\r\n')[1]).toMatch(/^evil\.example,domain,.*,ana,seen in mail,,$/);
    expect((await call('GET', '/api/intel/profiles/nobody')).status).toBe(404);
    expect((await call('GET', '/api/intel/profiles?top=0')).status).toBe(400);
  });
});
