/**
 * Acceptance for the Graph threat-intelligence intel routes (`intelProfiles`, `articles`, their indicators):
 * a client that knows only Microsoft Graph's documented request and response shapes lists, filters, pages
 * with `$top` + `@odata.nextLink`, counts, selects and reads errors — against a real server on 127.0.0.1,
 * a real DuckDB store, the demo intel and the real OASIS APT1 report (skipped, visibly, without ../shared).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  articleIndicatorSchema, articleSchema, collectionOf, entityOf, intelProfileSchema, profileIndicatorSchema,
} from '../../src/api/routes/graph-intel-schemas.js';
import { createToken } from '../../src/auth/tokens.js';
import { importIntelFile, loadDemoIntel } from '../../src/intel/index.js';
import { startHarness, type ApiHarness } from './harness.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const apt1File = path.join(path.resolve(repoRoot, '../shared'), 'data/oasis-cti-stix2-json-schemas/examples/threat-reports/apt1.json');
const haveApt1 = fs.existsSync(apt1File);
const noApt1 = `shared test data not found at ${apt1File}`;

const TI = '/security/threatIntelligence';
const q = (params: Record<string, string>) => '?' + Object.entries(params).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');

/** A Graph client: base URL + bearer token; knows `value`, `@odata.nextLink`, `@odata.count` and `error`. */
class GraphClient {
  requests = 0;
  constructor(private readonly baseUrl: string, private readonly token: string) {}

  async raw(url: string): Promise<{ status: number; json: any; text: string; type: string }> {
    this.requests++;
    const res = await fetch(url.startsWith('http') ? url : `${this.baseUrl}/v1.0${url}`, { headers: { authorization: `Bearer ${this.token}` } });
    const text = await res.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, json, text, type: res.headers.get('content-type') ?? '' };
  }

  async get(url: string): Promise<any> {
    const r = await this.raw(url);
    if (r.status !== 200) throw Object.assign(new Error(`${r.status}: ${r.json?.error?.message}`), { status: r.status, error: r.json?.error });
    return r.json;
  }

  async listAll(url: string): Promise<{ items: any[]; pages: number; first: any }> {
    const items: any[] = [];
    let next: string | undefined = url;
    let pages = 0;
    let first: any;
    while (next) {
      const page: any = await this.get(next);
      first ??= page;
      pages++;
      items.push(...page.value);
      next = page['@odata.nextLink'];
      if (pages > 500) throw new Error('paging does not end');
    }
    return { items, pages, first };
  }
}

/** intelligenceProfile as Graph documents it (resources/security-intelligenceprofile.md). */
function expectGraphProfile(p: any): void {
  expect(p).toMatchObject({ id: expect.any(String), title: expect.any(String), aliases: expect.any(Array), targets: expect.any(Array) });
  expect(['actor', 'tool']).toContain(p.kind);
  for (const k of ['summary', 'description', 'tradecraft']) {
    expect(p[k], k).toEqual({ content: expect.any(String), format: expect.stringMatching(/^(text|html|markdown)$/) });
  }
  expect(Array.isArray(p.countriesOrRegionsOfOrigin)).toBe(true);
  for (const c of p.countriesOrRegionsOfOrigin) expect(c).toEqual({ code: expect.any(String), label: expect.any(String) });
  if (p.firstActiveDateTime !== null) expect(Number.isNaN(Date.parse(p.firstActiveDateTime))).toBe(false);
}

/** indicator.artifact: a polymorphic navigation with its `@odata.type`. */
function expectArtifact(a: any): void {
  expect(a['@odata.type']).toMatch(/^#microsoft\.graph\.security\.(hostname|ipAddress|unclassifiedArtifact)$/);
  expect(a.id).toEqual(expect.any(String));
}

let h: ApiHarness;
let graph: GraphClient;
let tempest: any;

beforeAll(async () => {
  h = await startHarness();
  graph = new GraphClient(h.url, h.tokens.reader);
  await loadDemoIntel(h.store);
  if (haveApt1) await importIntelFile(h.store, apt1File);
  tempest = (await graph.get(`${TI}/intelProfiles${q({ $filter: "title eq 'Dancing Tempest'" })}`)).value[0];
});

afterAll(async () => h?.close());

describe('Graph client: intelProfiles', () => {
  it("lists profiles with $filter=kind eq 'actor' and pages with $top and @odata.nextLink until exhausted", async () => {
    const all = await graph.get(`${TI}/intelProfiles${q({ $filter: "kind eq 'actor'", $top: '1000' })}`);
    expect(all['@odata.nextLink']).toBeUndefined();
    const walk = await graph.listAll(`${TI}/intelProfiles${q({ $filter: "kind eq 'actor'", $top: '2' })}`);
    expect(walk.items.map((p) => p.id)).toEqual(all.value.map((p: any) => p.id));
    expect(walk.pages).toBe(Math.max(1, Math.ceil(all.value.length / 2)));
    expect(new Set(walk.items.map((p) => p.id)).size).toBe(walk.items.length);
    for (const p of walk.items) {
      expect(p.kind).toBe('actor');
      expectGraphProfile(p);
    }
    expect(walk.items.map((p) => p.title)).toContain('Dancing Tempest');
    expect(collectionOf(intelProfileSchema).parse(walk.first)['@odata.context']).toMatch(/\/v1\.0\/\$metadata#security\/threatIntelligence\/intelProfiles$/);
  });

  it('pages an ordered listing ($orderby title desc) without losing or repeating items', async () => {
    const walk = await graph.listAll(`${TI}/intelProfiles${q({ $orderby: 'title desc', $top: '5', $count: 'true' })}`);
    const titles = walk.items.map((p) => p.title);
    expect(titles).toEqual([...titles].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? 1 : a.toLowerCase() > b.toLowerCase() ? -1 : 0)));
    expect(walk.items.length).toBe(walk.first['@odata.count']);
    expect(new Set(walk.items.map((p) => p.id)).size).toBe(walk.items.length);
  });

  it('gets a profile by id, and its indicators with artifacts', async () => {
    const p = await graph.get(`${TI}/intelProfiles/${tempest.id}`);
    expect(entityOf(intelProfileSchema).parse(p)['@odata.context']).toMatch(/#security\/threatIntelligence\/intelProfiles\/\$entity$/);
    expectGraphProfile(p);
    expect(p).toMatchObject({ id: tempest.id, kind: 'actor', title: 'Dancing Tempest', aliases: expect.arrayContaining(['STORM-0000']) });
    expect(p.tradecraft.content).toContain('T1566.001');

    const ind = await graph.listAll(`${TI}/intelProfiles/${tempest.id}/indicators${q({ $top: '3' })}`);
    expect(ind.items).toHaveLength(8); // the generator's eight live planted indicators
    expect(ind.pages).toBe(3);
    collectionOf(profileIndicatorSchema).parse(ind.first);
    for (const i of ind.items) {
      expect(i).toMatchObject({ '@odata.type': '#microsoft.graph.security.intelligenceProfileIndicator', id: expect.any(String), source: 'microsoft' });
      expectArtifact(i.artifact);
    }
    const hostnames = ind.items.filter((i) => i.artifact['@odata.type'] === '#microsoft.graph.security.hostname').map((i) => i.artifact.id);
    expect(hostnames).toContain('dancevida.com');
    expect(ind.items.find((i) => i.artifact.id === '203.0.113.77')?.artifact['@odata.type']).toBe('#microsoft.graph.security.ipAddress');

    // the indicator by its own id, under both names the docs use
    const one = ind.items.find((i) => i.artifact.id === 'dancevida.com');
    for (const set of ['intelligenceProfileIndicators', 'intelProfileIndicators']) {
      const got = await graph.get(`${TI}/${set}/${one.id}`);
      expect(got['@odata.context']).toMatch(new RegExp(`#security/threatIntelligence/${set}/\\$entity$`));
      const { ['@odata.context']: _ctx, ...rest } = got;
      expect(rest).toEqual(one);
    }
  });

  it('counts with $count=true and /$count, and selects with $select', async () => {
    const counted = await graph.get(`${TI}/intelProfiles${q({ $count: 'true', $top: '1' })}`);
    expect(counted['@odata.count']).toBe(haveApt1 ? 23 : 2);
    expect(counted.value).toHaveLength(1);
    const text = await graph.raw(`${TI}/intelProfiles/$count${q({ $filter: "kind eq 'tool'" })}`);
    expect(text.type).toContain('text/plain');
    expect(text.text).toBe(haveApt1 ? '17' : '1');

    const sel = await graph.get(`${TI}/intelProfiles${q({ $select: 'title,kind', $filter: "kind eq 'actor'" })}`);
    expect(sel['@odata.context']).toMatch(/intelProfiles\(title,kind\)$/);
    for (const p of sel.value) expect(Object.keys(p).sort()).toEqual(['@odata.type', 'id', 'kind', 'title']);
  });

  it('finds a profile by $search', async () => {
    const r = await graph.get(`${TI}/intelProfiles${q({ $search: '"STORM-0000"' })}`);
    expect(r.value.map((p: any) => p.title)).toEqual(['Dancing Tempest']);
  });
});

describe('Graph client: articles', () => {
  it('lists featured articles and walks their indicators', async () => {
    const featured = await graph.get(`${TI}/articles${q({ $filter: 'isFeatured eq true', $count: 'true' })}`);
    collectionOf(articleSchema).parse(featured);
    expect(featured['@odata.count']).toBe(1);
    const a = featured.value[0];
    expect(a).toMatchObject({ isFeatured: true, title: expect.stringContaining('Dancing Tempest'), tags: expect.arrayContaining(['phishing']) });
    expect(a.summary).toEqual({ content: expect.stringContaining('dancevida.com'), format: 'markdown' });
    expect(a.body).toEqual({ content: expect.stringContaining('## Infrastructure'), format: 'markdown' });

    const got = await graph.get(`${TI}/articles/${a.id}`);
    expect(entityOf(articleSchema).parse(got)['@odata.context']).toMatch(/#security\/threatIntelligence\/articles\/\$entity$/);
    expect(got.id).toBe(a.id);

    const ind = await graph.listAll(`${TI}/articles/${a.id}/indicators${q({ $top: '5' })}`);
    collectionOf(articleIndicatorSchema).parse(ind.first);
    expect(ind.items).toHaveLength(8);
    expect(ind.pages).toBe(2);
    for (const i of ind.items) expectArtifact(i.artifact);
    const byId = await graph.get(`${TI}/articleIndicators/${ind.items[0].id}`);
    const { ['@odata.context']: _ctx, ...rest } = byId;
    expect(rest).toEqual(ind.items[0]);

    const only = await graph.get(`${TI}/articles/${a.id}/indicators${q({ $filter: "artifact/id eq 'dancevida.com'" })}`);
    expect(only.value.map((i: any) => i.artifact)).toEqual([{ '@odata.type': '#microsoft.graph.security.hostname', id: 'dancevida.com' }]);
  });

  it('counts articles and selects properties', async () => {
    const text = await graph.raw(`${TI}/articles/$count`);
    expect(text.text).toBe(haveApt1 ? '2' : '1');
    const sel = await graph.get(`${TI}/articles${q({ $select: 'title,isFeatured' })}`);
    for (const a of sel.value) expect(Object.keys(a).sort()).toEqual(['@odata.type', 'id', 'isFeatured', 'title']);
  });
});

describe.skipIf(!haveApt1)(`Graph client over the imported APT1 report (${haveApt1 ? 'present' : noApt1})`, () => {
  it('lists exactly the actors of demo + APT1 and resolves merged aliases', async () => {
    const actors = await graph.listAll(`${TI}/intelProfiles${q({ $filter: "kind eq 'actor'", $top: '2' })}`);
    // DOTA and SuperHard share the alias "dota" = DOTA's name: one profile
    expect(actors.items.map((p) => p.title)).toEqual(['APT1', 'Communist Party of China', 'Dancing Tempest', 'SuperHard', 'Ugly Gorilla', 'Unit 61398']);
    expect(actors.pages).toBe(3);
    const apt1 = actors.items.find((p) => p.title === 'APT1');
    expect(apt1).toMatchObject({ id: 'intrusion-set--da1065ce-972c-4605-8755-9cd1074e3b5a', aliases: ['Comment Crew', 'Comment Group', 'Shady Rat'], firstActiveDateTime: '2006-06-01T18:13:15.684Z' });
    const both = await graph.get(`${TI}/intelProfiles${q({ $filter: "kind in ('actor','tool') and title eq 'APT1'" })}`);
    expect(both.value.map((p: any) => p.id)).toEqual([apt1.id]);
  });

  it("lists the APT1 article's indicators, one artifact each", async () => {
    const list = await graph.get(`${TI}/articles${q({ $filter: "title eq 'APT1: Exposing One of China''s Cyber Espionage Units'" })}`);
    expect(list.value).toHaveLength(1);
    const ind = await graph.listAll(`${TI}/articles/${list.value[0].id}/indicators${q({ $top: '5' })}`);
    expect(ind.items).toHaveLength(12);
    expect(ind.pages).toBe(3);
    expect(new Set(ind.items.map((i) => i.id)).size).toBe(12);
    const hosts = ind.items.filter((i) => i.artifact['@odata.type'] === '#microsoft.graph.security.hostname').map((i) => i.artifact.id).sort();
    expect(hosts).toEqual(['arrowservice.net', 'hugesoft.org', 'msnhome.org']);
    const md5 = ind.items.filter((i) => i.artifact.kind === 'md5');
    expect(md5).toHaveLength(3);
    expect(md5[0].artifact['@odata.type']).toBe('#microsoft.graph.security.unclassifiedArtifact');
    expect(ind.items.every((i) => i.source === 'public')).toBe(true);
  });

  it("serves Ugly Gorilla's indicators ordered by $orderby and filtered by artifact", async () => {
    const p = await graph.get(`${TI}/intelProfiles/${encodeURIComponent('threat-actor--6d179234-61fc-40c4-ae86-3d53308d8e65')}`);
    const hosts = await graph.get(`${TI}/intelProfiles/${p.id}/indicators${q({ $filter: "artifact/id in ('hugesoft.org','msnhome.org')", $orderby: 'id desc' })}`);
    expect(hosts.value.map((i: any) => i.artifact.id)).toEqual(['hugesoft.org', 'msnhome.org']);
    expect(hosts.value.map((i: any) => i.id)).toEqual(['indicator--3f3ff9f1-bb4e-4392-89e5-1991179042ba', 'indicator--1002c58e-cbde-4930-b5ee-490037fd4f7e']);
  });
});

describe('Graph client: errors', () => {
  const expectGraphError = (r: { status: number; json: any }, status: number, code: string) => {
    expect(r.status).toBe(status);
    expect(r.json.error).toMatchObject({ code, message: expect.any(String), innerError: { 'request-id': expect.any(String), date: expect.any(String) } });
    expect(r.json.code).toBe(code);
  };

  it('answers 404 with the Graph error body for ids that do not exist', async () => {
    expectGraphError(await graph.raw(`${TI}/intelProfiles/no-such-profile`), 404, 'intel/not-found');
    expectGraphError(await graph.raw(`${TI}/intelProfiles/no-such-profile/indicators`), 404, 'intel/not-found');
    expectGraphError(await graph.raw(`${TI}/articles/report--00000000-0000-4000-8000-000000000000`), 404, 'intel/not-found');
    // an indicator's id is not an article's
    const ind = await graph.get(`${TI}/intelProfiles/${tempest.id}/indicators${q({ $top: '1' })}`);
    expectGraphError(await graph.raw(`${TI}/articles/${ind.value[0].id}`), 404, 'intel/not-found');
    expectGraphError(await graph.raw(`${TI}/articles/nope/indicators`), 404, 'intel/not-found');
    expectGraphError(await graph.raw(`${TI}/articleIndicators/indicator--00000000-0000-4000-8000-000000000000`), 404, 'intel/not-found');
    expectGraphError(await graph.raw(`${TI}/intelligenceProfileIndicators/${tempest.id}`), 404, 'intel/not-found');
  });

  it('answers 400 api/bad-odata for a bad $filter and other bad options', async () => {
    const bads: Record<string, string>[] = [
      { $filter: 'kind eq' },
      { $filter: "kind has 'actor'" },
      { $filter: "colour eq 'red'" },
      { $filter: "kind eq 'actor' and (title eq 'x'" },
      { $top: '-1' },
      { $top: '5000' },
      { $count: 'yes' },
      { $orderby: 'summary' },
      { $select: 'summary/content' },
    ];
    for (const bad of bads) {
      const r = await graph.raw(`${TI}/intelProfiles${q(bad)}`);
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect(r.json.error.code, JSON.stringify(bad)).toBe('api/bad-odata');
    }
    const r = await graph.raw(`${TI}/articles${q({ $filter: "nope eq 'x'" })}`);
    expect(r.json.error.message).toContain("could not find a property named 'nope' on type 'microsoft.graph.security.article'");
  });
});

describe('access: reader role, threatIntelligence scope, documented in /api/openapi.json', () => {
  const paths = [
    '/articles', '/articles/$count', '/articles/{id}', '/articles/{id}/indicators', '/articleIndicators/{id}',
    '/intelProfiles', '/intelProfiles/$count', '/intelProfiles/{id}', '/intelProfiles/{id}/indicators',
    '/intelligenceProfileIndicators/{id}', '/intelProfileIndicators/{id}',
    '/vulnerabilities/{id}', '/vulnerabilities/{id}/components', '/vulnerabilities/{id}/articles',
  ].map((p) => `/v1.0/security/threatIntelligence${p}`);

  it('documents every route with its access rule and query options', async () => {
    const doc = (await graph.get(`${h.url}/api/openapi.json`)) as { paths: Record<string, { get?: any }> };
    for (const p of paths) {
      const op = doc.paths[p]?.get;
      expect(op, p).toBeDefined();
      expect(op['x-quarry-auth'], p).toEqual({ mode: 'credentials', role: 'reader', scope: 'threatIntelligence' });
    }
    const list = doc.paths['/v1.0/security/threatIntelligence/intelProfiles']!.get;
    expect(list.parameters.map((x: any) => x.name)).toEqual(expect.arrayContaining(['$top', '$skip', '$filter', '$orderby', '$select', '$count', '$search']));
  });

  it('lets a threatIntelligence:read token in and keeps other scopes out', async () => {
    const ti = (await createToken(h.store, { username: 'reader-user', name: 'ti only', scopes: ['threatIntelligence:read'] })).token;
    const hunt = (await createToken(h.store, { username: 'reader-user', name: 'hunt only', scopes: ['hunt'] })).token;
    expect((await new GraphClient(h.url, ti).raw(`${TI}/intelProfiles`)).status).toBe(200);
    const denied = await new GraphClient(h.url, hunt).raw(`${TI}/intelProfiles`);
    expect(denied.status).toBe(403);
    expect(denied.json.error.code).toBe('api/forbidden');
    expect((await new GraphClient(h.url, 'qtk_x').raw(`${TI}/articles`)).status).toBe(401);
  });
});
