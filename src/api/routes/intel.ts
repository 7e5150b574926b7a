/**
 * Portal routes `/api/intel/...` over the intel service (`src/intel`): objects (list, get, versions, revoke),
 * observable look-up, profiles, articles (+ CSV indicators), tags, projects (+ MDTI CSV), import and export.
 * Paging: `skip` / `top` query parameters; lists answer `{total, items}`.
 */
import type { FastifyInstance } from 'fastify';
import { QuarryError } from '../../core/errors.js';
import type { Store } from '../../store/store.js';
import {
  addArtifact, addCollaborator, addTags, articleIndicators, articleIndicatorsCsv, createArticle, createProject, exportBundle, findObservable,
  getArticle, getObject, getProfile, getProject, getVersions, importIntelText, listArticles, listObjects, listProfiles, listProjects, listTags,
  profileIndicators, projectArtifacts, projectDetailsCsv, projectHistory, projectListCsv, removeTag, revokeObject, type ExportScope, type IntelFormat,
} from '../../intel/index.js';

type Q = Record<string, string | undefined>;

function paging(q: Q): { skip: number; top: number } {
  const skip = q.skip === undefined ? 0 : Number(q.skip);
  const top = q.top === undefined ? 100 : Number(q.top);
  if (!Number.isInteger(skip) || skip < 0 || !Number.isInteger(top) || top < 1 || top > 1000) {
    throw new QuarryError('api/bad-request', 'skip must be a whole number ≥ 0 and top a whole number 1–1000');
  }
  return { skip, top };
}

function body(b: unknown): Record<string, unknown> {
  if (!b || typeof b !== 'object' || Array.isArray(b)) throw new QuarryError('api/bad-request', 'the body must be a JSON object');
  return b as Record<string, unknown>;
}

export function registerIntelRoutes(app: FastifyInstance, store: Store): void {
  app.get<{ Querystring: Q }>('/api/intel/objects', async (req) => {
    const q = req.query;
    return listObjects(store, { ...paging(q), ...(q.type ? { types: q.type.split(',') } : {}), ...(q.tag ? { tag: q.tag } : {}), ...(q.search ? { search: q.search } : {}), includeRevoked: q.revoked === 'true' });
  });
  app.get<{ Params: { id: string } }>('/api/intel/objects/:id', async (req) => getObject(store, req.params.id));
  app.get<{ Params: { id: string } }>('/api/intel/objects/:id/versions', async (req) => getVersions(store, req.params.id));
  app.post<{ Params: { id: string } }>('/api/intel/objects/:id/revoke', async (req) => revokeObject(store, req.params.id));
  app.get<{ Params: { value: string } }>('/api/intel/observables/:value', async (req) => {
    const hit = await findObservable(store, req.params.value);
    if (!hit) throw new QuarryError('intel/not-found', `no indicator names '${req.params.value}'`);
    return hit;
  });

  app.get<{ Querystring: Q }>('/api/intel/profiles', async (req) => {
    const kind = req.query.kind;
    if (kind && kind !== 'actor' && kind !== 'tool') throw new QuarryError('api/bad-request', `kind must be actor or tool, got '${kind}'`);
    return listProfiles(store, { ...paging(req.query), ...(kind ? { kind: kind as 'actor' | 'tool' } : {}), ...(req.query.search ? { search: req.query.search } : {}) });
  });
  app.get<{ Params: { id: string } }>('/api/intel/profiles/:id', async (req) => getProfile(store, req.params.id));
  app.get<{ Params: { id: string }; Querystring: Q }>('/api/intel/profiles/:id/indicators', async (req) => profileIndicators(store, req.params.id, paging(req.query)));

  app.get<{ Querystring: Q }>('/api/intel/articles', async (req) =>
    listArticles(store, { ...paging(req.query), featured: req.query.featured === 'true', ...(req.query.search ? { search: req.query.search } : {}), ...(req.query.tag ? { tag: req.query.tag } : {}) }));
  app.post('/api/intel/articles', async (req, reply) => {
    const b = body(req.body);
    const a = await createArticle(store, b as unknown as Parameters<typeof createArticle>[1]);
    return reply.code(201).send(a);
  });
  app.get<{ Params: { id: string } }>('/api/intel/articles/:id', async (req) => getArticle(store, req.params.id));
  app.get<{ Params: { id: string }; Querystring: Q }>('/api/intel/articles/:id/indicators', async (req, reply) => {
    if (req.query.format === 'csv') return reply.header('content-type', 'text/csv; charset=utf-8').send(await articleIndicatorsCsv(store, req.params.id));
    return articleIndicators(store, req.params.id);
  });

  app.get('/api/intel/tags', async () => listTags(store));
  app.post<{ Params: { target: string } }>('/api/intel/tags/:target', async (req) => {
    const tags = body(req.body).tags;
    if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string')) throw new QuarryError('api/bad-request', 'body must be {"tags": ["…"]}');
    return { target: req.params.target, tags: await addTags(store, req.params.target, tags as string[]) };
  });
  app.delete<{ Params: { target: string; tag: string } }>('/api/intel/tags/:target/:tag', async (req) => ({ target: req.params.target, tags: await removeTag(store, req.params.target, req.params.tag) }));

  app.get<{ Querystring: Q }>('/api/intel/projects', async (req, reply) => {
    const list = await listProjects(store, req.query.user ? { user: req.query.user } : {});
    if (req.query.format === 'csv') return reply.header('content-type', 'text/csv; charset=utf-8').send(projectListCsv(list));
    return { total: list.length, items: list };
  });
  app.post('/api/intel/projects', async (req, reply) => reply.code(201).send(await createProject(store, body(req.body) as unknown as Parameters<typeof createProject>[1])));
  app.get<{ Params: { id: string }; Querystring: Q }>('/api/intel/projects/:id', async (req, reply) => {
    const p = await getProject(store, req.params.id);
    const artifacts = await projectArtifacts(store, p.id);
    if (req.query.format === 'csv') return reply.header('content-type', 'text/csv; charset=utf-8').send(projectDetailsCsv(p, artifacts));
    return { ...p, artifacts, history: await projectHistory(store, p.id) };
  });
  app.post<{ Params: { id: string } }>('/api/intel/projects/:id/artifacts', async (req) =>
    addArtifact(store, req.params.id, body(req.body) as unknown as Parameters<typeof addArtifact>[2]));
  app.post<{ Params: { id: string } }>('/api/intel/projects/:id/collaborators', async (req) => {
    const b = body(req.body);
    return addCollaborator(store, req.params.id, String(b.user ?? ''), String(b.actor ?? 'quarry'));
  });

  // CSV and free text arrive as text: an own parser in an encapsulated scope
  void app.register(async (scope) => {
    scope.addContentTypeParser(['text/plain', 'text/csv'], { parseAs: 'string' }, (_req, b, done) => done(null, b));
    scope.post<{ Querystring: Q }>('/api/intel/import', async (req) => {
      const text = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
      return importIntelText(store, text, req.query.source ?? 'api-upload', { ...(req.query.format ? { format: req.query.format as IntelFormat } : {}), detectAll: req.query.detectAll === 'true' });
    });
  });
  app.get<{ Querystring: Q }>('/api/intel/export', async (req, reply) => {
    const q = req.query;
    const scope: ExportScope = q.profile ? { kind: 'profile', id: q.profile } : q.article ? { kind: 'article', id: q.article }
      : q.tag ? { kind: 'tag', tag: q.tag } : q.project ? { kind: 'project', id: q.project } : { kind: 'all' };
    return reply.header('content-type', 'application/stix+json;version=2.1').send(JSON.stringify(await exportBundle(store, scope)));
  });
}
