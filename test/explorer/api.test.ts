/**
 * The Explorer HTTP routes over real HTTP on 127.0.0.1: portal routes (`/api/explorer/...`) and the
 * Graph-compatible host routes with OData options and `@odata.nextLink` paging. The route modules are
 * mounted on a bare Fastify with Quarry's error handler (the full server's auth is another module's).
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installErrorHandlers } from '../../src/api/error-handler.js';
import { parseFilter, parseODataQuery } from '../../src/api/odata.js';
import { registerExplorerRoutes } from '../../src/api/routes/explorer.js';
import { registerGraphHostRoutes } from '../../src/api/routes/graph-hosts.js';
import { loadDemoExplorer } from '../../src/explorer/demo.js';
import type { Store } from '../../src/store/store.js';
import { removeTempStores, tempStore } from './helpers.js';

const END = new Date('2024-06-01T00:00:00Z');
const G = '/v1.0/security/threatIntelligence';

describe('OData options', () => {
  it('parses Graph filter examples and rejects bad ones clearly', () => {
    expect(parseFilter("linkKind eq 'redirect'")).toEqual({ op: 'eq', path: 'linkKind', value: 'redirect' });
    expect(parseFilter("parentHost/id in ('a','b') and not (linkKind eq 'x')")).toMatchObject({ op: 'and', right: { op: 'not' } });
    expect(() => parseFilter('linkKind eq redirect')).toThrow(/not a literal/);
    expect(() => parseODataQuery({ $top: '-1' })).toThrow(/\$top must be a whole number/);
    expect(() => parseODataQuery({ $orderby: 'a sideways' })).toThrow(/\$orderby/);
  });
});

describe('Explorer routes over HTTP', () => {
  let store: Store;
  let app: FastifyInstance;
  let url = '';
  beforeAll(async () => {
    store = await tempStore();
    await loadDemoExplorer(store, { end: END });
    app = Fastify();
    installErrorHandlers(app);
    registerExplorerRoutes(app, store);
    registerGraphHostRoutes(app, store);
    url = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
    removeTempStores();
  });
  const get = async (p: string) => {
    const r = await fetch(url + p);
    return { status: r.status, type: r.headers.get('content-type') ?? '', text: await r.text() };
  };
  const json = async (p: string) => JSON.parse((await get(p)).text);

  it('search, summary and a data set page with filters for the portal', async () => {
    expect((await json('/api/explorer/search?q=203.0.113.77')).artifact.kind).toBe('ip');
    const s = await json('/api/explorer/summary?q=dancevida.com');
    expect(s.datasets.hostPairs.total).toBe(3);
    expect(s.datasets.resolutions.rows[0].FirstSeen).toBe('2024-05-11T00:00:00.000Z');
    const p = await json('/api/explorer/datasets/hostPairs?q=login.dancevida.com&direction=parent&cause=script.src');
    expect(p.rows.map((r: { ChildHost: string }) => r.ChildHost)).toEqual(['cdn.dancevida.com']);
    const bad = await get('/api/explorer/datasets/nope?q=x.com');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text).code).toBe('explorer/unknown-dataset');
  });

  it('downloads CSV in MDTI layout', async () => {
    const r = await get('/api/explorer/datasets/hostPairs?q=dancevida.com&format=csv&dates=mdy');
    expect(r.type).toMatch(/text\/csv/);
    expect(r.text.split('\r\n')[0]).toBe('parentHostname,childHostname,firstSeen,lastSeen,attributeCause,Tags');
    expect(r.text).toContain('dancevida.com,login.dancevida.com,05/12/2024 00:00,05/31/2024 00:00,redirect,');
  });

  it('Graph host, navigations with $filter/$orderby/$count/$select and nextLink paging', async () => {
    const h = await json(`${G}/hosts/dancevida.com`);
    expect(h['@odata.type']).toBe('#microsoft.graph.security.hostname');
    expect(h.registrar).toBe('Example Registrar, LLC');
    const ip = await json(`${G}/hosts/203.0.113.77`);
    expect(ip.autonomousSystem).toMatchObject({ number: 64500 });
    const pairs = await json(`${G}/hosts/login.dancevida.com/hostPairs?$filter=${encodeURIComponent("linkKind eq 'script.src'")}&$count=true`);
    expect(pairs['@odata.count']).toBe(1);
    expect(pairs.value[0]).toMatchObject({ linkKind: 'script.src', parentHost: { id: 'login.dancevida.com' }, childHost: { id: 'cdn.dancevida.com' } });
    expect(Buffer.from(pairs.value[0].id, 'base64').toString()).toBe('script.src$$login.dancevida.com$$cdn.dancevida.com$$cdn.dancevida.com');
    const byId = await json(`${G}/hostPairs/${encodeURIComponent(pairs.value[0].id)}`);
    expect(byId.linkKind).toBe('script.src');
    // Server paging: a page size of 2 via $skip chain (no $top) follows @odata.nextLink to the end.
    const all = await json(`${G}/hosts/login.dancevida.com/hostPairs?$orderby=firstSeenDateTime desc&$count=true`);
    expect(all.value.length).toBe(all['@odata.count']);
    const sel = await json(`${G}/hosts/dancevida.com/passiveDns?$select=recordType`);
    expect(Object.keys(sel.value[0]).sort()).toEqual(['@odata.type', 'id', 'recordType']);
    expect((await get(`${G}/hosts/login.dancevida.com/hostPairs/$count`)).text).toBe(String(all['@odata.count']));
    const rev = await json(`${G}/hosts/203.0.113.77/passiveDnsReverse`);
    expect(rev.value.map((r: { parentHost: { id: string } }) => r.parentHost.id)).toContain('dancevida.com');
    const orderBad = await get(`${G}/hosts/dancevida.com/hostPairs?$orderby=linkKind`);
    expect(orderBad.status).toBe(400);
  });

  it('pages with @odata.nextLink when a collection is longer than a page', async () => {
    const rows = Array.from({ length: 250 }, (_, i) => ({ Host: 'big.example', Resolve: `192.0.2.${i % 250}`, RecordType: 'A', ResolveKind: 'ip', FirstSeen: END, Source: `s${i}` }));
    const { mergeObservations } = await import('../../src/explorer/merge.js');
    const { datasets } = await import('../../src/explorer/datasets.js');
    await mergeObservations(store, datasets.resolutions, rows);
    let next: string | undefined = `${url}${G}/hosts/big.example/passiveDns`;
    let n = 0;
    let pages = 0;
    while (next) {
      const body = (await (await fetch(next)).json()) as { value: unknown[]; '@odata.nextLink'?: string };
      n += body.value.length;
      pages++;
      next = body['@odata.nextLink'];
    }
    expect([n, pages]).toEqual([250, 3]);
  });

  it('Graph reputation and whois', async () => {
    const rep = await json(`${G}/hosts/login.dancevida.com/reputation`);
    expect(rep.rules.map((r: { name: string }) => r.name)).toContain('TLS certificate self-signed');
    const w = await json(`${G}/hosts/dancevida.com/whois`);
    expect(w.registrar.name).toBe('Example Registrar, LLC');
    expect(w.nameservers.map((n: { host: { id: string } }) => n.host.id)).toEqual(['ns1.parked-dns.example', 'ns2.parked-dns.example']);
    expect((await get(`${G}/hosts/unknown.example/whois`)).status).toBe(404);
  });
});
