/**
 * Graph-compatible threat-intelligence routes for intel under `/v1.0/security/threatIntelligence`
 * (shared/reference/mdti.md §2.2): `articles` (+ `/$count`, `/{id}`, `/{id}/indicators`),
 * `articleIndicators/{id}`, `intelProfiles` (+ `/$count`, `/{id}`, `/{id}/indicators`),
 * `intelligenceProfileIndicators/{id}` (also `intelProfileIndicators/{id}`, as the docs call it),
 * `vulnerabilities/{id}` (+ `/components`, `/articles`). Collections take `$top/$skip/$filter/$orderby/
 * $select/$count` (and `$search` on profiles and articles) and page with `@odata.nextLink`.
 * Shapes and look-ups live in `src/intel/graph-queries.ts`; OData handling in `./graph-intel-odata.ts`.
 * Access: reader role, token scope `threatIntelligence`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  graphArticle, graphArticleIndicator, graphArticleIndicators, graphArticles, graphProfile, graphProfileIndicator, graphProfileIndicators,
  graphProfiles, graphVulnerability, graphVulnerabilityArticles, graphVulnerabilityComponents,
} from '../../intel/graph-queries.js';
import type { Store } from '../../store/store.js';
import type { OpenApiMeta } from '../openapi.js';
import {
  contextUrl, graphCollection, graphQuery, graphServicePage, keyParam, PAGE_SIZE, searchTerm, servicePageable, takeEq, type EntityType,
} from './graph-intel-odata.js';
import {
  articleIndicatorSchema, articleSchema, collectionOf, entityOf, intelProfileSchema, odataQuerySchema, profileIndicatorSchema, searchQuerySchema,
  vulnerabilityComponentSchema, vulnerabilitySchema,
} from './graph-intel-schemas.js';

const BASE = '/v1.0/security/threatIntelligence';
const G = 'microsoft.graph.security';

const profileType: EntityType = {
  name: `${G}.intelligenceProfile`,
  properties: ['id', 'kind', 'title', 'firstActiveDateTime', 'aliases', 'targets', 'countriesOrRegionsOfOrigin', 'summary', 'description', 'tradecraft'],
  orderable: ['id', 'kind', 'title', 'firstActiveDateTime'],
};
const profileIndicatorType: EntityType = {
  name: `${G}.intelligenceProfileIndicator`,
  properties: ['id', 'source', 'firstSeenDateTime', 'lastSeenDateTime', 'artifact'],
  orderable: ['id', 'source', 'firstSeenDateTime', 'lastSeenDateTime'],
};
const articleType: EntityType = {
  name: `${G}.article`,
  properties: ['id', 'title', 'summary', 'body', 'imageUrl', 'isFeatured', 'tags', 'createdDateTime', 'lastUpdatedDateTime'],
  orderable: ['id', 'title', 'isFeatured', 'createdDateTime', 'lastUpdatedDateTime'],
};
const articleIndicatorType: EntityType = { name: `${G}.articleIndicator`, properties: ['id', 'source', 'artifact'], orderable: ['id', 'source'] };
const componentType: EntityType = { name: `${G}.vulnerabilityComponent`, properties: ['id', 'name'], orderable: ['id', 'name'] };

type Req = FastifyRequest<{ Params: { id: string }; Querystring: Record<string, string> }>;

/**
 * Route options: reader role, scope threatIntelligence, and the OpenAPI description. `response` is carried
 * for the OpenAPI document (a zod schema of the 200 body); the registry shows it once it renders that field.
 */
function opts(summary: string, response: z.ZodType, query?: z.ZodType) {
  const openapi: OpenApiMeta & { response: z.ZodType } = { summary, tags: ['threatIntelligence'], response, ...(query ? { query } : {}) };
  return { config: { auth: { role: 'reader' as const, scope: 'threatIntelligence' }, openapi } };
}

const isKind = (v: unknown): v is 'actor' | 'tool' => v === 'actor' || v === 'tool';

export function registerGraphIntelRoutes(app: FastifyInstance, store: Store): void {
  // ------------------------------------------------------------------------------------------ intelProfiles
  const listProfiles = async (req: Req, qs: Record<string, unknown> = req.query) => {
    const q = graphQuery(req, profileType, qs);
    const { value: kind, rest } = takeEq(q.filter, 'kind', isKind);
    const f = { ...(isKind(kind) ? { kind } : {}), ...(searchTerm(q) ? { search: searchTerm(q)! } : {}) };
    const context = contextUrl(req, 'intelProfiles', q);
    if (servicePageable(q, rest)) {
      const page = await graphProfiles(store, { ...f, skip: q.skip, top: q.top ?? PAGE_SIZE });
      return graphServicePage(req, q, context, page.items, page.total);
    }
    return graphCollection(req, q, context, (await graphProfiles(store, f)).items);
  };
  app.get(`${BASE}/intelProfiles`, opts('List intelligence profiles (Graph: list intelProfiles)', collectionOf(intelProfileSchema), searchQuerySchema), (req: Req) => listProfiles(req));
  app.get(`${BASE}/intelProfiles/$count`, opts('Count intelligence profiles', countSchema(), searchQuerySchema), async (req: Req, reply) =>
    countReply(reply, await listProfiles(req, countQuery(req))));
  app.get(`${BASE}/intelProfiles/:id`, opts('Get an intelligence profile', entityOf(intelProfileSchema)), async (req: Req) => ({
    '@odata.context': contextUrl(req, 'intelProfiles/$entity'), ...(await graphProfile(store, keyParam(req.params.id))),
  }));
  app.get(`${BASE}/intelProfiles/:id/indicators`, opts("List an intelligence profile's indicators", collectionOf(profileIndicatorSchema), odataQuerySchema), async (req: Req) => {
    const q = graphQuery(req, profileIndicatorType);
    const id = keyParam(req.params.id);
    const context = contextUrl(req, `intelProfiles('${id}')/indicators`, q);
    if (servicePageable(q, q.filter)) {
      const page = await graphProfileIndicators(store, id, { skip: q.skip, top: q.top ?? PAGE_SIZE });
      return graphServicePage(req, q, context, page.items, page.total);
    }
    return graphCollection(req, q, context, (await graphProfileIndicators(store, id)).items);
  });
  for (const set of ['intelligenceProfileIndicators', 'intelProfileIndicators']) {
    app.get(`${BASE}/${set}/:id`, opts('Get an intelligence profile indicator', entityOf(profileIndicatorSchema)), async (req: Req) => ({
      '@odata.context': contextUrl(req, `${set}/$entity`), ...(await graphProfileIndicator(store, keyParam(req.params.id))),
    }));
  }

  // ------------------------------------------------------------------------------------------ articles
  const listArticles = async (req: Req, qs: Record<string, unknown> = req.query) => {
    const q = graphQuery(req, articleType, qs);
    const { value: featured, rest } = takeEq(q.filter, 'isFeatured', (v) => v === true);
    const f = { ...(featured === true ? { featured: true } : {}), ...(searchTerm(q) ? { search: searchTerm(q)! } : {}) };
    const context = contextUrl(req, 'articles', q);
    if (servicePageable(q, rest)) {
      const page = await graphArticles(store, { ...f, skip: q.skip, top: q.top ?? PAGE_SIZE });
      return graphServicePage(req, q, context, page.items, page.total);
    }
    return graphCollection(req, q, context, (await graphArticles(store, f)).items);
  };
  app.get(`${BASE}/articles`, opts('List articles (Graph: list articles)', collectionOf(articleSchema), searchQuerySchema), (req: Req) => listArticles(req));
  app.get(`${BASE}/articles/$count`, opts('Count articles', countSchema(), searchQuerySchema), async (req: Req, reply) =>
    countReply(reply, await listArticles(req, countQuery(req))));
  app.get(`${BASE}/articles/:id`, opts('Get an article', entityOf(articleSchema)), async (req: Req) => ({
    '@odata.context': contextUrl(req, 'articles/$entity'), ...(await graphArticle(store, keyParam(req.params.id))),
  }));
  app.get(`${BASE}/articles/:id/indicators`, opts("List an article's indicators", collectionOf(articleIndicatorSchema), odataQuerySchema), async (req: Req) => {
    const q = graphQuery(req, articleIndicatorType);
    const id = keyParam(req.params.id);
    return graphCollection(req, q, contextUrl(req, `articles('${id}')/indicators`, q), await graphArticleIndicators(store, id));
  });
  app.get(`${BASE}/articleIndicators/:id`, opts('Get an article indicator', entityOf(articleIndicatorSchema)), async (req: Req) => ({
    '@odata.context': contextUrl(req, 'articleIndicators/$entity'), ...(await graphArticleIndicator(store, keyParam(req.params.id))),
  }));

  // ------------------------------------------------------------------------------------------ vulnerabilities
  app.get(`${BASE}/vulnerabilities/:id`, opts('Get a vulnerability by CVE id', entityOf(vulnerabilitySchema)), async (req: Req) => ({
    '@odata.context': contextUrl(req, 'vulnerabilities/$entity'), ...(await graphVulnerability(store, keyParam(req.params.id))),
  }));
  app.get(`${BASE}/vulnerabilities/:id/components`, opts("List a vulnerability's components", collectionOf(vulnerabilityComponentSchema), odataQuerySchema), async (req: Req) => {
    const q = graphQuery(req, componentType);
    const id = keyParam(req.params.id);
    return graphCollection(req, q, contextUrl(req, `vulnerabilities('${id}')/components`, q), await graphVulnerabilityComponents(store, id));
  });
  app.get(`${BASE}/vulnerabilities/:id/articles`, opts('List articles about a vulnerability', collectionOf(articleSchema), odataQuerySchema), async (req: Req) => {
    const q = graphQuery(req, articleType);
    const id = keyParam(req.params.id);
    return graphCollection(req, q, contextUrl(req, `vulnerabilities('${id}')/articles`, q), await graphVulnerabilityArticles(store, id));
  });
}

const countSchema = () => z.number().int().describe('text/plain: the number of matching items');

/** `/$count`: the same query with `$count=true` and an empty page; the answer is the number as text. */
function countQuery(req: Req): Record<string, unknown> {
  return { ...req.query, $count: 'true', $top: '0', $skip: '0' };
}

function countReply(reply: FastifyReply, body: Record<string, unknown>): FastifyReply {
  return reply.header('content-type', 'text/plain; charset=utf-8').send(String(body['@odata.count']));
}
