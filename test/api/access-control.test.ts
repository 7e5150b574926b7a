/**
 * Acceptance: every route in the OpenAPI document — including routes other modules add later, since the
 * cases are generated from `/api/openapi.json` at run time — answers 401 without credentials and 403 for
 * a caller that must not use it: the role just below the one the route needs, or, for reader routes, a
 * reader token scoped to another area. The route's own role gets past the gate (no 401/403 from it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roleBelow, type Role } from '../../src/auth/roles.js';
import { createToken } from '../../src/auth/tokens.js';
import { call, startHarness, type ApiHarness } from './harness.js';

interface Op {
  'x-quarry-auth': { mode: string; role?: Role; scope?: string };
}

let h: ApiHarness;
let ops: { method: string; path: string; url: string; auth: Op['x-quarry-auth'] }[] = [];
let offScope: Record<Role, string>;

beforeAll(async () => {
  h = await startHarness();
  const doc = (await call(h.url, 'GET', '/api/openapi.json')).json as { paths: Record<string, Record<string, Op>> };
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      // Path parameters get a harmless value; the gate must answer before any lookup.
      ops.push({ method: method.toUpperCase(), path, url: path.replace(/\{[^}]+\}/g, 'x1'), auth: op['x-quarry-auth'] });
    }
  }
  offScope = {} as Record<Role, string>;
  for (const role of ['reader', 'analyst', 'admin'] as const) {
    offScope[role] = (await createToken(h.store, { username: `${role}-user`, name: 'scoped elsewhere', scopes: ['no-such-area'] })).token;
  }
});

afterAll(async () => h?.close());

/** Quarry's `code`, or the same code inside a protocol's own error body (TAXII `error_code`). */
const codeOf = (json: any): string | undefined => json?.code ?? json?.error_code;

const bodyFor = (method: string) => (method === 'GET' || method === 'HEAD' || method === 'DELETE' ? {} : { body: {} });

describe('access control generated from the OpenAPI document', () => {
  it('documents every route with its access rule', () => {
    expect(ops.length).toBeGreaterThan(20);
    for (const op of ops) expect(op.auth?.mode, `${op.method} ${op.path}`).toMatch(/^(public|credentials|sas|taxii)$/);
    // The routes the issue names are public, nothing else by accident.
    const pub = ops.filter((o) => o.auth.mode === 'public').map((o) => `${o.method} ${o.path}`).sort();
    expect(pub).toEqual(expect.arrayContaining(['GET /api/docs', 'GET /api/openapi.json', 'GET /healthz', 'POST /api/auth/login']));
    expect(pub.filter((p) => !['GET /api/docs', 'GET /api/openapi.json', 'GET /healthz', 'POST /api/auth/login'].includes(p))).toEqual([]);
    const admin = ops.filter((o) => /^\/api\/(admin|users|tokens)(\/|$)/.test(o.path));
    for (const o of admin) expect(o.auth.role, `${o.method} ${o.path}`).toBe('admin');
  });

  it('answers 401 without credentials on every protected route', async () => {
    const checked: string[] = [];
    for (const op of ops.filter((o) => o.auth.mode === 'credentials' || o.auth.mode === 'sas')) {
      const r = await call(h.url, op.method, op.url, bodyFor(op.method));
      expect(r.status, `${op.method} ${op.path}`).toBe(401);
      expect(codeOf(r.json), `${op.method} ${op.path}`).toBe('api/unauthorized');
      expect(r.headers.get('www-authenticate')).toContain('Bearer');
      const bad = await call(h.url, op.method, op.url, { ...bodyFor(op.method), token: 'qtk_aaaaaaaaaaaa_' + 'b'.repeat(43) });
      expect(bad.status, `${op.method} ${op.path} with a forged token`).toBe(401);
      checked.push(`${op.method} ${op.path}`);
    }
    expect(checked.length).toBeGreaterThan(15);
  });

  it('answers 403 to a role or token scope that must not use the route', async () => {
    for (const op of ops.filter((o) => o.auth.mode === 'credentials' || o.auth.mode === 'sas')) {
      const role = op.auth.role!;
      const lower = roleBelow(role);
      const token = lower ? h.tokens[lower] : offScope[role];
      const r = await call(h.url, op.method, op.url, { ...bodyFor(op.method), token });
      expect(r.status, `${op.method} ${op.path} as ${lower ?? `${role} scoped elsewhere`}`).toBe(403);
      expect(codeOf(r.json), `${op.method} ${op.path}`).toBe('api/forbidden');
      if (lower) {
        // Scope too: the route's own role, scoped elsewhere, is refused as well.
        const s = await call(h.url, op.method, op.url, { ...bodyFor(op.method), token: offScope[role] });
        expect(s.status, `${op.method} ${op.path} scoped elsewhere`).toBe(403);
      }
    }
  });

  it('lets the required role through the gate', async () => {
    for (const op of ops.filter((o) => o.auth.mode === 'credentials' || o.auth.mode === 'sas')) {
      const r = await call(h.url, op.method, op.url, { ...bodyFor(op.method), token: h.tokens[op.auth.role!] });
      expect(r.status, `${op.method} ${op.path}: ${r.text.slice(0, 200)}`).not.toBe(401);
      expect(r.json?.details?.required, `${op.method} ${op.path}`).toBeUndefined();
    }
  });
});
