/**
 * Administration (admin role): users under `/api/users`, every API token under `/api/tokens`, and the
 * audit log at `/api/admin/audit`. Passwords are generated when not given and then returned once.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { listAudit } from '../../auth/audit.js';
import { generatePassword } from '../../auth/password.js';
import { roles } from '../../auth/roles.js';
import { createToken, listTokens, revokeToken } from '../../auth/tokens.js';
import { createUser, deleteUser, listUsers, requireUser, updateUser } from '../../auth/users.js';
import { parseWith } from '../plugins/validate.js';
import type { RouteDeps } from './index.js';
import { tokenBody } from './auth.js';

export const userCreateBody = z.strictObject({ username: z.string().min(1).max(64), password: z.string().max(1024).optional(), role: z.enum(roles) });
export const userPatchBody = z.strictObject({ role: z.enum(roles).optional(), password: z.string().max(1024).optional(), disabled: z.boolean().optional() });
export const adminTokenBody = tokenBody.extend({ username: z.string().min(1).max(64) });
export const auditQuery = z.object({ limit: z.coerce.number().int().min(1).max(10_000).optional(), actor: z.string().max(64).optional(), since: z.iso.datetime({ offset: true }).optional() });

export function registerAuthAdminRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const meta = (summary: string, extra: object = {}) => ({ config: { openapi: { summary, tags: ['admin'], ...extra } } });

  app.get('/api/users', meta('List users'), async () => ({ users: await listUsers(deps.store) }));

  app.post('/api/users', meta('Create a user (a generated password is returned once)', { body: userCreateBody }), async (request, reply) => {
    const body = parseWith(userCreateBody, request.body, 'user');
    const password = body.password ?? generatePassword();
    const user = await createUser(deps.store, { username: body.username, password, role: body.role });
    request.auditNote = { details: { username: user.username, role: user.role } };
    return reply.status(201).send({ ...user, ...(body.password === undefined ? { password } : {}) });
  });

  app.get<{ Params: { username: string } }>('/api/users/:username', meta('One user'), async (request) => requireUser(deps.store, request.params.username));

  app.patch<{ Params: { username: string } }>('/api/users/:username', meta('Change role, password or disabled state', { body: userPatchBody }), async (request) => {
    const body = parseWith(userPatchBody, request.body, 'user change');
    const user = await updateUser(deps.store, request.params.username, body);
    request.server.quarryAuth.invalidate();
    request.auditNote = { details: { ...(body.role ? { role: body.role } : {}), ...(body.password ? { password: 'changed' } : {}), ...(body.disabled !== undefined ? { disabled: body.disabled } : {}) } };
    return user;
  });

  app.delete<{ Params: { username: string } }>('/api/users/:username', meta('Delete a user (ends sessions, revokes tokens)'), async (request, reply) => {
    await deleteUser(deps.store, request.params.username);
    request.server.quarryAuth.invalidate();
    return reply.status(204).send();
  });

  app.get<{ Querystring: { user?: string } }>('/api/tokens', meta('List API tokens (optionally of one user)', { query: z.object({ user: z.string().optional() }) }), async (request) => ({
    tokens: await listTokens(deps.store, typeof request.query.user === 'string' ? request.query.user : undefined),
  }));

  app.post('/api/tokens', meta('Create an API token for a user; the secret is returned once', { body: adminTokenBody }), async (request, reply) => {
    const body = parseWith(adminTokenBody, request.body, 'token');
    const t = await createToken(deps.store, { username: body.username, name: body.name, ...(body.role ? { role: body.role } : {}), ...(body.scopes ? { scopes: body.scopes } : {}), ...(body.expires ? { expires: body.expires } : {}) });
    request.auditNote = { details: { tokenId: t.id, owner: t.username, role: t.role, scopes: t.scopes } };
    return reply.status(201).send(t);
  });

  app.delete<{ Params: { id: string } }>('/api/tokens/:id', meta('Revoke an API token'), async (request) => {
    const t = await revokeToken(deps.store, request.params.id);
    request.server.quarryAuth.invalidate();
    return t;
  });

  app.get('/api/admin/audit', meta('The audit log, newest first', { query: auditQuery }), async (request) => {
    const q = parseWith(auditQuery, request.query, 'query string');
    return { entries: await listAudit(deps.store, { ...(q.limit ? { limit: q.limit } : {}), ...(q.actor ? { actor: q.actor } : {}), ...(q.since ? { since: new Date(q.since) } : {}) }) };
  });
}
