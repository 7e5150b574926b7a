/**
 * Microsoft Graph clients read errors as `{"error":{"code","message","innerError":{…}}}`. On `/v1.0/…`
 * paths every error body (Quarry's `{code, message, line?, column?, details?}`) is also wrapped that way:
 * the Quarry fields stay at the top level for Quarry clients, and `error` carries the same code and
 * message, position and details, plus Graph's `innerError` with the request id and date.
 */
import type { FastifyInstance } from 'fastify';

export function installGraphErrors(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode < 400 || !request.url.startsWith('/v1.0/') || typeof payload !== 'string') return payload;
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(payload) as Record<string, unknown>;
    } catch {
      return payload;
    }
    if (typeof body.code !== 'string' || 'error' in body) return payload;
    const { code, message, line, column, details, hints } = body;
    const error = {
      code, message,
      ...(line !== undefined ? { line, column } : {}),
      ...(details !== undefined ? { details } : {}),
      ...(hints !== undefined ? { hints } : {}),
      innerError: { date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), 'request-id': request.id, 'client-request-id': request.headers['client-request-id'] ?? request.id },
    };
    return JSON.stringify({ error, ...body });
  });
}
