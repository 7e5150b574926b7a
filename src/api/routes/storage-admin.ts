/**
 * Storage administration (JSON): containers, stored access policies, account key rotation and minting
 * signed URLs. Account-level operations: the API's authentication layer must guard them.
 *
 *   GET  /api/storage/containers                         POST /api/storage/containers {name}
 *   GET  /api/storage/containers/:c/policies             PUT/DELETE /api/storage/containers/:c/policies/:id
 *   POST /api/storage/sas {container, blob?, permissions?, validFor?|expiry?, start?, ip?, httpsOnly?, policy?, key?}
 *   POST /api/storage/keys/:name/rotate
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { checkKeyName } from '../../blob/account-keys.js';
import { storageSettings } from '../../blob/settings.js';
import { openStorage } from '../../blob/storage.js';
import { QuarryError } from '../../core/errors.js';
import { parseIsoDuration } from '../../core/time.js';
import type { RouteDeps } from './index.js';

const instant = z.string().refine((s) => !Number.isNaN(new Date(s).getTime()), 'not an ISO 8601 date-time');

const SasBody = z.object({
  container: z.string(),
  blob: z.string().optional(),
  permissions: z.string().optional(),
  validFor: z.string().optional(),
  expiry: instant.optional(),
  start: instant.optional(),
  ip: z.string().optional(),
  httpsOnly: z.boolean().optional(),
  policy: z.string().optional(),
  key: z.string().optional(),
}).strict();

const PolicyBody = z.object({ start: instant.optional(), expiry: instant.optional(), permissions: z.string().optional() }).strict();

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body ?? {});
  if (!r.success) {
    const first = r.error.issues[0];
    throw new QuarryError('api/bad-request', `invalid body: ${first ? `${first.path.join('.') || '(body)'}: ${first.message}` : 'bad shape'}`);
  }
  return r.data;
}

export function registerStorageAdminRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const storage = openStorage(deps.config.dataDir);
  const settings = storageSettings(deps.config);
  const baseUrlOf = (request: FastifyRequest) => process.env.QUARRY_PUBLIC_URL ? settings.publicUrl : `${request.protocol}://${request.host}`;

  app.get('/api/storage/containers', async () => {
    const names = await storage.blobs.listContainers();
    return { containers: names };
  });

  app.post('/api/storage/containers', async (request, reply) => {
    const { name } = parse(z.object({ name: z.string() }).strict(), request.body);
    await storage.blobs.createContainer(name);
    return reply.status(201).send({ container: name, created: true });
  });

  app.get<{ Params: { c: string } }>('/api/storage/containers/:c/policies', async (request) => {
    return { container: request.params.c, policies: await storage.listPolicies(request.params.c) };
  });

  app.put<{ Params: { c: string; id: string } }>('/api/storage/containers/:c/policies/:id', async (request) => {
    const body = parse(PolicyBody, request.body);
    const policy = await storage.setPolicy(request.params.c, { id: request.params.id, ...body });
    request.log.info({ container: request.params.c, policy: policy.id }, 'stored access policy set');
    return { container: request.params.c, policy };
  });

  app.delete<{ Params: { c: string; id: string } }>('/api/storage/containers/:c/policies/:id', async (request, reply) => {
    await storage.deletePolicy(request.params.c, request.params.id);
    request.log.info({ container: request.params.c, policy: request.params.id }, 'stored access policy deleted: its URLs are revoked');
    return reply.status(202).send({ container: request.params.c, policy: request.params.id, deleted: true });
  });

  app.post('/api/storage/sas', async (request) => {
    const b = parse(SasBody, request.body);
    let expiry = b.expiry ? new Date(b.expiry) : undefined;
    if (b.validFor) {
      let ms: number;
      try {
        ms = Number(parseIsoDuration(b.validFor) / 1000n);
      } catch {
        throw new QuarryError('api/bad-request', `validFor '${b.validFor}' is not an ISO 8601 duration such as PT8H`);
      }
      expiry = new Date(Date.now() + ms);
    }
    if (!expiry && !b.policy) expiry = new Date(Date.now() + 8 * 3_600_000);
    const url = await storage.mintUrl(baseUrlOf(request), {
      container: b.container,
      ...(b.blob !== undefined ? { blob: b.blob } : {}),
      ...(b.permissions || !b.policy ? { permissions: b.permissions ?? 'r' } : {}),
      ...(expiry ? { expiry } : {}),
      ...(b.start ? { start: new Date(b.start) } : {}),
      ...(b.ip ? { ip: b.ip } : {}),
      ...(b.httpsOnly ? { httpsOnly: true } : {}),
      ...(b.policy ? { policy: b.policy } : {}),
      ...(b.key ? { key: checkKeyName(b.key) } : {}),
    });
    request.log.info({ container: b.container, blob: b.blob, permissions: b.permissions ?? 'r', policy: b.policy }, 'signed URL minted');
    return { url, ...(expiry ? { expiry: expiry.toISOString() } : {}) };
  });

  app.post<{ Params: { name: string } }>('/api/storage/keys/:name/rotate', { config: { auth: { role: 'admin' } } }, async (request) => {
    const name = checkKeyName(request.params.name);
    await storage.rotateKey(name);
    request.log.warn({ key: name }, 'account key rotated: URLs signed with the old key no longer work');
    return { rotated: name };
  });
}
