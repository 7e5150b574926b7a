/**
 * Request logging without secrets: Fastify logs each request's URL, and URLs may carry SAS signatures or
 * tokens in the query string. This child-logger factory gives every request logger a `req` serializer
 * that redacts them (headers are not logged at all; `core/log.ts` also censors authorization/cookie paths).
 */
import type { FastifyServerOptions } from 'fastify';
import { redactUrl } from '../../core/log.js';

interface RawReq {
  method?: string;
  url?: string;
  ip?: string;
  socket?: { remoteAddress?: string; remotePort?: number };
}

export function redactingReqSerializer(req: RawReq): Record<string, unknown> {
  return {
    method: req.method,
    url: redactUrl(req.url ?? ''),
    remoteAddress: req.ip ?? req.socket?.remoteAddress,
  };
}

export const childLoggerFactory: NonNullable<FastifyServerOptions['childLoggerFactory']> = function (logger, bindings, opts) {
  return logger.child(bindings, { ...opts, serializers: { ...(opts.serializers ?? {}), req: redactingReqSerializer } });
};
