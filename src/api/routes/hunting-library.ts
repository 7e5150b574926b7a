/**
 * The portal's hunting library: saved queries (`/api/hunt/saved`, own or shared) and the caller's query
 * history (`/api/hunt/history`). Any role may keep its own saved queries; changing someone else's shared
 * query needs admin.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { clearHistory, deleteSavedQuery, listHistory, listSavedQueries, readSavedQuery, saveQuery, updateSavedQuery } from '../../auth/hunt-library.js';
import { principalOf } from '../plugins/auth.js';
import { parseWith } from '../plugins/validate.js';
import type { RouteDeps } from './index.js';

export const savedQueryBody = z.strictObject({
  name: z.string().min(1).max(200),
  query: z.string().min(1).max(100_000),
  description: z.string().max(4000).optional(),
  shared: z.boolean().optional(),
});
const savedQueryPatch = savedQueryBody.partial();
const historyQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).optional() });

export function registerHuntingLibraryRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const own = (summary: string, extra: object = {}) => ({ config: { auth: { role: 'reader' as const, scope: 'hunt' }, openapi: { summary, tags: ['hunt'], ...extra } } });

  app.get('/api/hunt/saved', own('Saved queries: own and shared'), async (request) => ({ queries: await listSavedQueries(deps.store, principalOf(request).userId) }));

  app.post('/api/hunt/saved', own('Save a query', { body: savedQueryBody }), async (request, reply) => {
    const body = parseWith(savedQueryBody, request.body, 'saved query');
    return reply.status(201).send(await saveQuery(deps.store, principalOf(request).userId, body));
  });

  app.get<{ Params: { id: string } }>('/api/hunt/saved/:id', own('One saved query'), async (request) => readSavedQuery(deps.store, principalOf(request).userId, request.params.id));

  app.patch<{ Params: { id: string } }>('/api/hunt/saved/:id', own('Change a saved query (owner or admin)', { body: savedQueryPatch }), async (request) => {
    const body = parseWith(savedQueryPatch, request.body, 'saved query change');
    const p = principalOf(request);
    return updateSavedQuery(deps.store, p.userId, request.params.id, body, p.role === 'admin');
  });

  app.delete<{ Params: { id: string } }>('/api/hunt/saved/:id', own('Delete a saved query (owner or admin)'), async (request, reply) => {
    const p = principalOf(request);
    await deleteSavedQuery(deps.store, p.userId, request.params.id, p.role === 'admin');
    return reply.status(204).send();
  });

  app.get('/api/hunt/history', own('The caller’s recent portal queries', { query: historyQuery }), async (request) => {
    const q = parseWith(historyQuery, request.query, 'query string');
    return { history: await listHistory(deps.store, principalOf(request).userId, q.limit ?? 50) };
  });

  app.delete('/api/hunt/history', own('Clear the caller’s query history'), async (request, reply) => {
    await clearHistory(deps.store, principalOf(request).userId);
    return reply.status(204).send();
  });
}
