/**
 * Access control over real HTTP: password hashing, API tokens (shown once, stored hashed, scoped,
 * expiring, revocable, capped by the owner's role), portal sessions with HttpOnly cookies and CSRF, login
 * rate limiting, the audit log of writes, CORS off by default, and secrets kept out of request logs.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../src/auth/password.js';
import { createToken } from '../../src/auth/tokens.js';
import { updateUser } from '../../src/auth/users.js';
import { createLogger } from '../../src/core/log.js';
import { call, PASSWORD, startHarness, type ApiHarness } from './harness.js';

let h: ApiHarness;
const logLines: string[] = [];

beforeAll(async () => {
  const sink = new Writable({ write(chunk, _enc, done) { logLines.push(String(chunk)); done(); } });
  h = await startHarness({ auth: { throttle: { maxPerUser: 3, maxPerAddress: 50 } }, logger: createLogger('info', sink) });
});

afterAll(async () => h?.close());

async function login(username: string, password = PASSWORD) {
  const r = await call(h.url, 'POST', '/api/auth/login', { body: { username, password } });
  const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0]!;
  return { r, cookie, csrf: r.json?.csrfToken as string };
}

describe('passwords', () => {
  it('hashes with scrypt, salted, and verifies in constant time', async () => {
    const a = await hashPassword('s3cret-passphrase');
    const b = await hashPassword('s3cret-passphrase');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('s3cret-passphrase', a)).toBe(true);
    expect(await verifyPassword('s3cret-passphrasf', a)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });
});

describe('API tokens', () => {
  it('are shown once, stored only as a hash, and identify their owner', async () => {
    const created = await call(h.url, 'POST', '/api/auth/tokens', { token: h.tokens.analyst, body: { name: 'notebook', scopes: ['hunt'] } });
    expect(created.status).toBe(201);
    const secret = created.json.token as string;
    expect(secret).toMatch(/^qtk_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    const rows = await h.store.query('SELECT secret_hash FROM _quarry_tokens WHERE id = $1', { params: [created.json.id] });
    expect(String(rows.rows[0]![0])).toMatch(/^[0-9a-f]{64}$/);
    expect(String(rows.rows[0]![0])).not.toContain(secret.slice(17));
    const listed = await call(h.url, 'GET', '/api/auth/tokens', { token: h.tokens.analyst });
    expect(JSON.stringify(listed.json)).not.toContain(secret.slice(17));
    const me = await call(h.url, 'GET', '/api/auth/me', { token: secret });
    // The token is scoped to hunt only: /api/auth/me is another area.
    expect(me.status).toBe(403);
    const hunt = await call(h.url, 'POST', '/v1.0/security/runHuntingQuery', { token: secret, body: { Query: 'print 1' } });
    expect(hunt.status).toBe(200);
  });

  it('honour read-only scopes, expiry and revocation', async () => {
    const ro = (await createToken(h.store, { username: 'analyst-user', name: 'ro', scopes: ['*:read'] })).token;
    expect((await call(h.url, 'GET', '/api/tables', { token: ro })).status).toBe(200);
    expect((await call(h.url, 'POST', '/api/ingest/DeviceEvents', { token: ro, body: [] })).status).toBe(403);
    const soon = await createToken(h.store, { username: 'reader-user', name: 'short', expires: new Date(Date.now() + 1200) });
    expect((await call(h.url, 'GET', '/api/tables', { token: soon.token })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1300));
    const expired = await call(h.url, 'GET', '/api/tables', { token: soon.token });
    expect(expired.status).toBe(401);
    expect(expired.json.code).toBe('auth/expired');
    const t = await call(h.url, 'POST', '/api/auth/tokens', { token: h.tokens.reader, body: { name: 'to revoke' } });
    expect((await call(h.url, 'GET', '/api/tables', { token: t.json.token })).status).toBe(200);
    expect((await call(h.url, 'DELETE', `/api/auth/tokens/${t.json.id}`, { token: h.tokens.reader })).json.revoked).toBe(true);
    expect((await call(h.url, 'GET', '/api/tables', { token: t.json.token })).json.code).toBe('auth/expired');
    // Nobody revokes someone else's token through the self-service route.
    const other = await call(h.url, 'POST', '/api/auth/tokens', { token: h.tokens.analyst, body: { name: 'mine' } });
    expect((await call(h.url, 'DELETE', `/api/auth/tokens/${other.json.id}`, { token: h.tokens.reader })).status).toBe(404);
  });

  it('never exceed the owner: no escalation at creation, demotion caps existing tokens', async () => {
    const up = await call(h.url, 'POST', '/api/auth/tokens', { token: h.tokens.reader, body: { name: 'escalate', role: 'admin' } });
    expect(up.status).toBe(400);
    expect(up.json.code).toBe('auth/bad-role');
    await call(h.url, 'POST', '/api/users', { token: h.tokens.admin, body: { username: 'temp-admin', role: 'admin' } });
    const t = (await createToken(h.store, { username: 'temp-admin', name: 'ops' })).token;
    expect((await call(h.url, 'GET', '/api/users', { token: t })).status).toBe(200);
    expect((await call(h.url, 'PATCH', '/api/users/temp-admin', { token: h.tokens.admin, body: { role: 'reader' } })).json.role).toBe('reader');
    expect((await call(h.url, 'GET', '/api/users', { token: t })).status).toBe(403);
    expect((await call(h.url, 'PATCH', '/api/users/temp-admin', { token: h.tokens.admin, body: { disabled: true } })).json.disabled).toBe(true);
    expect((await call(h.url, 'GET', '/api/tables', { token: t })).status).toBe(401);
  });
});

describe('portal sessions', () => {
  it('sign in with an HttpOnly SameSite cookie; writes need the CSRF header', async () => {
    const { r, cookie, csrf } = await login('analyst-user');
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ username: 'analyst-user', role: 'analyst', csrfToken: expect.any(String) });
    const setCookie = r.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\//);
    const me = await call(h.url, 'GET', '/api/auth/me', { headers: { cookie } });
    expect(me.json).toMatchObject({ username: 'analyst-user', credential: 'session', csrfToken: csrf });
    const body = { name: 'q', query: 'print 1' };
    const noCsrf = await call(h.url, 'POST', '/api/hunt/saved', { headers: { cookie }, body });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.json.code).toBe('auth/csrf');
    const wrong = await call(h.url, 'POST', '/api/hunt/saved', { headers: { cookie, 'x-csrf-token': csrf.slice(1) + 'x' }, body });
    expect(wrong.json.code).toBe('auth/csrf');
    const ok = await call(h.url, 'POST', '/api/hunt/saved', { headers: { cookie, 'x-csrf-token': csrf }, body });
    expect(ok.status).toBe(201);
    // Bearer requests need no CSRF token (a browser never attaches one on its own).
    expect((await call(h.url, 'POST', '/api/hunt/saved', { token: h.tokens.analyst, body })).status).toBe(201);
    const out = await call(h.url, 'POST', '/api/auth/logout', { headers: { cookie, 'x-csrf-token': csrf } });
    expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    const after = await call(h.url, 'GET', '/api/auth/me', { headers: { cookie } });
    expect(after.status).toBe(401);
    expect(after.json.code).toBe('auth/expired');
  });

  it('rate-limits failed logins per user name with 429 and Retry-After', async () => {
    for (let i = 0; i < 3; i++) {
      const bad = await login('reader-user', 'wrong password!');
      expect(bad.r.status).toBe(401);
      expect(bad.r.json.code).toBe('auth/bad-credentials');
    }
    const blocked = await login('reader-user');
    expect(blocked.r.status).toBe(429);
    expect(blocked.r.json.code).toBe('auth/login-throttled');
    expect(Number(blocked.r.headers.get('retry-after'))).toBeGreaterThan(0);
    // Unknown users get the same answer as wrong passwords.
    const ghost = await login('nobody-here', 'whatever-pass');
    expect(ghost.r.status).toBe(401);
    expect(ghost.r.json.message).toBe('wrong user name or password');
    // Another user is not affected.
    expect((await login('admin-user')).r.status).toBe(200);
  });
});

describe('administration', () => {
  it('creates users with a generated password shown once, and protects the last admin', async () => {
    const c = await call(h.url, 'POST', '/api/users', { token: h.tokens.admin, body: { username: 'new-hunter', role: 'analyst' } });
    expect(c.status).toBe(201);
    expect(c.json.password).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect((await login('new-hunter', c.json.password)).r.status).toBe(200);
    expect((await call(h.url, 'GET', '/api/users/new-hunter', { token: h.tokens.admin })).json.password).toBeUndefined();
    expect((await call(h.url, 'POST', '/api/users', { token: h.tokens.admin, body: { username: 'new-hunter', role: 'reader' } })).status).toBe(409);
    const weak = await call(h.url, 'POST', '/api/users', { token: h.tokens.admin, body: { username: 'weak', role: 'reader', password: 'short' } });
    expect(weak.json.code).toBe('auth/weak-password');
    const last = await call(h.url, 'PATCH', '/api/users/admin-user', { token: h.tokens.admin, body: { role: 'analyst' } });
    expect(last.status).toBe(403);
  });

  it('audits every write with who, what, when and outcome', async () => {
    await call(h.url, 'POST', '/api/ingest/DeviceEvents', { token: h.tokens.reader, body: [] });
    await call(h.url, 'POST', '/api/hunt/saved', { token: h.tokens.analyst, body: { name: 'audited', query: 'print 1' } });
    const a = await call(h.url, 'GET', '/api/admin/audit?limit=500', { token: h.tokens.admin });
    const entries = a.json.entries as { at: string; actor: string; actorKind: string; action: string; status: number; target: string; details?: Record<string, unknown> }[];
    expect(entries.find((e) => e.action === 'POST /api/ingest/:table' && e.actor === 'reader-user')).toMatchObject({ status: 403, target: '/api/ingest/DeviceEvents', actorKind: expect.stringMatching(/^token:/) });
    expect(entries.find((e) => e.action === 'POST /api/hunt/saved' && e.actor === 'analyst-user')).toMatchObject({ status: 201 });
    expect(entries.find((e) => e.action === 'POST /api/users' && e.details?.username === 'new-hunter')).toMatchObject({ actor: 'admin-user', status: 201 });
    expect(entries.find((e) => e.action === 'POST /api/auth/login' && e.actor === 'reader-user' && e.status === 401)).toBeDefined();
    expect(entries.find((e) => e.action === 'PATCH /api/users/:username' && e.status === 403)).toBeDefined();
    for (const e of entries) expect(Date.parse(e.at)).toBeGreaterThan(Date.now() - 10 * 60_000);
    // Hunting queries are reads: not audited.
    expect(entries.some((e) => e.action.includes('runHuntingQuery'))).toBe(false);
    expect(JSON.stringify(entries)).not.toContain(PASSWORD);
  });
});

describe('documentation', () => {
  it('serves the OpenAPI document and human docs without credentials', async () => {
    const doc = await call(h.url, 'GET', '/api/openapi.json');
    expect(doc.json.openapi).toBe('3.1.0');
    expect(doc.json.paths['/v1.0/security/runHuntingQuery'].post.requestBody.content['application/json'].schema.required).toEqual(['Query']);
    const html = await call(h.url, 'GET', '/api/docs');
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html.text).toContain('POST /v1.0/security/runHuntingQuery');
    expect(html.text).toContain('x-csrf-token');
    expect(html.text).not.toMatch(/<script/i);
  });
});

describe('hardening', () => {
  it('sends no CORS headers by default and does not answer preflights', async () => {
    const r = await call(h.url, 'GET', '/healthz', { headers: { origin: 'https://evil.example' } });
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
    const pre = await call(h.url, 'OPTIONS', '/v1.0/security/runHuntingQuery', { headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(pre.status).toBeGreaterThanOrEqual(400);
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('keeps tokens, passwords and SAS signatures out of the request log', async () => {
    await call(h.url, 'GET', '/storage/c/b.csv?sv=1&sig=SIGNATURE-SECRET-123', { token: h.tokens.reader });
    await login('admin-user');
    await call(h.url, 'GET', '/api/tables?token=QUERY-TOKEN-SECRET', { token: h.tokens.admin });
    const log = logLines.join('');
    expect(log).toContain('REDACTED');
    for (const secret of ['SIGNATURE-SECRET-123', 'QUERY-TOKEN-SECRET', PASSWORD, h.tokens.admin.slice(17), h.tokens.reader.slice(17)]) {
      expect(log).not.toContain(secret);
    }
  });
});
