/**
 * Every error leaves the server as `{code, message, details?}` (plus `line`/`column`/`hints` when known),
 * with the HTTP status of the code's registry entry. Never a stack trace; internal errors keep their
 * detail in the log (with the request id) and say only that something went wrong.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { QuarryError } from '../core/errors.js';
import type { ErrorCode } from '../core/error-codes.js';

/** Translates Fastify's own errors (body limit, content type, JSON syntax, schema) to Quarry codes. */
export function fromFastifyError(err: FastifyError, contentType?: string): QuarryError | undefined {
  const map: Record<string, ErrorCode> = {
    FST_ERR_CTP_BODY_TOO_LARGE: 'core/too-large',
    FST_ERR_CTP_INVALID_MEDIA_TYPE: 'core/unsupported-media-type',
    FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'api/bad-request',
    FST_ERR_CTP_EMPTY_JSON_BODY: 'api/bad-request',
    FST_ERR_CTP_INVALID_JSON_BODY: 'api/bad-request',
  };
  const code = err.code ? map[err.code] : undefined;
  if (code === 'core/unsupported-media-type') {
    return new QuarryError(code, `content type '${contentType ?? '(none)'}' is not accepted here`, {
      hints: ['send application/json (or application/x-ndjson where a route takes rows)'],
    });
  }
  if (code) return new QuarryError(code, err.message);
  if (err.validation) return new QuarryError('api/bad-request', err.message);
  const status = err.statusCode ?? 500;
  if (status === 404) return new QuarryError('api/not-found', err.message);
  if (status === 405) return new QuarryError('api/method-not-allowed', err.message);
  if (status === 413) return new QuarryError('core/too-large', err.message);
  if (status === 415) return new QuarryError('core/unsupported-media-type', err.message);
  if (status >= 400 && status < 500) return new QuarryError('api/bad-request', err.message);
  return undefined;
}

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | QuarryError, request, reply) => {
    let qe: QuarryError;
    if (error instanceof QuarryError) qe = error;
    else qe = fromFastifyError(error as FastifyError, request.headers['content-type']) ?? new QuarryError('core/internal', 'internal error', { cause: error });
    if (qe.httpStatus >= 500) {
      request.log.error({ err: error, code: qe.code }, 'request failed');
    } else {
      request.log.info({ code: qe.code, message: qe.message }, 'request refused');
    }
    const body = qe.toJSON();
    if (qe.code === 'core/internal') body.message = `internal error (request ${request.id}); see the server log`;
    void reply.status(qe.httpStatus).type('application/json; charset=utf-8').send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    const err = new QuarryError('api/not-found', `no route for ${request.method} ${request.url.split('?')[0]}`);
    void reply.status(404).send(err.toJSON());
  });
}
