/** `GET /api/openapi.json` (the document of every registered route) and `GET /api/docs` (the same as HTML). Both public. */
import type { FastifyInstance } from 'fastify';
import { renderDocsHtml } from '../openapi-docs.js';
import { quarryVersion } from '../version.js';

export function registerOpenApiRoutes(app: FastifyInstance): void {
  const doc = () => app.quarryOpenApi.document({ version: quarryVersion() });
  app.get('/api/openapi.json', { config: { auth: 'public', openapi: { summary: 'This API as an OpenAPI 3.1 document', tags: ['docs'] } } }, async () => doc());
  app.get('/api/docs', { config: { auth: 'public', openapi: { summary: 'Human-readable API documentation', tags: ['docs'] } } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(renderDocsHtml(doc() as never)),
  );
}
