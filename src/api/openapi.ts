/**
 * The OpenAPI 3.1 document, built from the routes actually registered: an `onRoute` hook (installed before
 * any route module mounts) records every method + path, so routes other modules add appear without any
 * extra step. A route can describe itself further with `config.openapi` (summary, zod body/query schemas);
 * each operation carries `x-quarry-auth` (public / sas / taxii, or the role and scope it needs), which the
 * generated access-control test reads.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { resolveRouteAuth } from './plugins/route-auth.js';

export interface OpenApiMeta {
  readonly summary?: string;
  readonly description?: string;
  readonly tags?: readonly string[];
  readonly body?: z.ZodType;
  readonly query?: z.ZodType;
  /** Shape of the 200 response body (JSON). */
  readonly response?: z.ZodType;
  /** Content type of the body when it is not JSON (e.g. `application/x-ndjson`). */
  readonly bodyContentType?: string;
  /** Leave the route out of the document (internal only). */
  readonly hide?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    openapi?: OpenApiMeta;
  }
}

export interface RecordedRoute {
  readonly method: string;
  readonly url: string;
  readonly config: { auth?: unknown; openapi?: OpenApiMeta } | undefined;
  readonly schemaSummary?: string;
}

export interface OpenApiRegistry {
  readonly routes: RecordedRoute[];
  document(info: { version: string; serverUrl?: string }): Record<string, unknown>;
}

/** `/api/x/:id` → `/api/x/{id}`; wildcard `*` → `{path}`. */
export function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)(\([^)]*\))?/g, '{$1}').replace(/\*$/, '{path}');
}

function jsonSchema(t: z.ZodType): Record<string, unknown> {
  try {
    const s = z.toJSONSchema(t, { unrepresentable: 'any' }) as Record<string, unknown>;
    delete s.$schema;
    return s;
  } catch {
    return {};
  }
}

const errorBody = {
  type: 'object',
  required: ['code', 'message'],
  properties: {
    code: { type: 'string', description: 'Stable error code, area/kebab-name' },
    message: { type: 'string' },
    line: { type: 'integer' },
    column: { type: 'integer' },
    hints: { type: 'array', items: { type: 'string' } },
    details: { type: 'object' },
  },
};

export function createOpenApiRegistry(app: FastifyInstance): OpenApiRegistry {
  const routes: RecordedRoute[] = [];
  app.addHook('onRoute', (r) => {
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    for (const m of methods) {
      const summary = (r.schema as { summary?: string } | undefined)?.summary;
      routes.push({ method: m, url: r.url, config: r.config as RecordedRoute['config'], ...(summary ? { schemaSummary: summary } : {}) });
    }
  });
  return {
    routes,
    document(info) {
      const paths: Record<string, Record<string, unknown>> = {};
      const seen = new Set<string>();
      for (const r of routes) {
        // Fastify adds HEAD for every GET: documenting GET is enough.
        if (r.config?.openapi?.hide || r.method === 'HEAD' || r.method === 'OPTIONS') continue;
        const p = openApiPath(r.url);
        const key = `${r.method} ${p}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const meta = r.config?.openapi ?? {};
        const auth = resolveRouteAuth(r.method, r.url, r.config?.auth as never);
        const params = [...p.matchAll(/\{([^}]+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
        if (meta.query) {
          const qs = jsonSchema(meta.query) as { properties?: Record<string, unknown>; required?: string[] };
          for (const [name, schema] of Object.entries(qs.properties ?? {})) {
            params.push({ name, in: 'query', required: (qs.required ?? []).includes(name), schema } as never);
          }
        }
        const op: Record<string, unknown> = {
          operationId: `${r.method.toLowerCase()}${p.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
          summary: meta.summary ?? r.schemaSummary ?? `${r.method} ${p}`,
          ...(meta.description ? { description: meta.description } : {}),
          tags: meta.tags ?? [auth.mode === 'credentials' ? auth.scope : auth.mode],
          ...(params.length ? { parameters: params } : {}),
          ...(meta.body ? { requestBody: { required: true, content: { [meta.bodyContentType ?? 'application/json']: { schema: jsonSchema(meta.body) } } } } : {}),
          responses: {
            '200': meta.response ? { description: 'Success', content: { 'application/json': { schema: jsonSchema(meta.response) } } } : { description: 'Success' },
            '400': { description: 'Bad request', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
            ...(auth.mode === 'credentials'
              ? {
                  '401': { description: 'No or invalid credentials', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
                  '403': { description: 'Role or token scope does not allow this', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
                }
              : {}),
          },
          security: auth.mode === 'credentials' ? [{ bearer: [] }, { session: [] }] : [],
          'x-quarry-auth': auth.mode === 'credentials' ? { mode: auth.sas ? 'sas' : 'credentials', role: auth.role, scope: auth.scope } : { mode: auth.mode },
        };
        (paths[p] ??= {})[r.method.toLowerCase()] = op;
      }
      return {
        openapi: '3.1.0',
        info: {
          title: 'Quarry API',
          version: info.version,
          description: 'Threat intelligence and KQL hunting. Graph-compatible endpoints live under /v1.0/security; the portal API under /api. See /api/docs.',
        },
        ...(info.serverUrl ? { servers: [{ url: info.serverUrl }] } : {}),
        paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
        components: {
          schemas: { Error: errorBody },
          securitySchemes: {
            bearer: { type: 'http', scheme: 'bearer', description: 'API token `qtk_…` (quarry tokens create)' },
            session: { type: 'apiKey', in: 'cookie', name: 'quarry_session', description: 'Portal session from POST /api/auth/login; writes also need the x-csrf-token header' },
          },
        },
      };
    },
  };
}
