/**
 * The hunting API over real HTTP: the legacy Defender shape, exact 64-bit integers, the 100,000-row cap,
 * streamed bodies, errors with line/column, the per-token quota (429 + Retry-After), cancellation by
 * client disconnect and by id, the portal run with render hint and history, saved queries and the schema.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/auth/tokens.js';
import { call, startHarness, type ApiHarness } from './harness.js';

let h: ApiHarness;
const SLOW = 'range x from 1 to 3000000000 step 1 | summarize n = count() by k = x % 7';

beforeAll(async () => {
  // A tight quota so the 429 path is reachable in a test: 0.5 s of query time per 10-minute cycle.
  h = await startHarness({ auth: { quota: { budgetMs: 500, cycleMs: 10 * 60_000 } } });
  await h.store.append('DeviceNetworkEvents', [
    { Timestamp: '2024-05-01T10:00:00Z', DeviceName: 'ws-1', RemoteUrl: 'dancevida.com', InitiatingProcessId: 9007199254740993n, RemotePort: 443 },
    { Timestamp: '2024-05-01T11:00:00Z', DeviceName: 'ws-2', RemoteUrl: 'example.org', InitiatingProcessId: -9223372036854775807n, RemotePort: 80 },
  ]);
});

afterAll(async () => h?.close());

/** A fresh token per test so quotas do not interfere. */
async function freshToken(role: 'reader' | 'analyst' | 'admin' = 'reader', name = 'hunt test'): Promise<string> {
  return (await createToken(h.store, { username: `${role}-user`, name })).token;
}

describe('hunting API', () => {
  it('answers the legacy /api/advancedhunting/run shape', async () => {
    const r = await call(h.url, 'POST', '/api/advancedhunting/run', { token: await freshToken(), body: { Query: 'DeviceNetworkEvents | where RemoteUrl has "dancevida.com" | project Timestamp, DeviceName, RemotePort, InitiatingProcessId' } });
    expect(r.status).toBe(200);
    expect(Object.keys(r.json)).toEqual(['Stats', 'Schema', 'Results']);
    expect(r.json.Stats.ExecutionTime).toEqual(expect.any(Number));
    expect(r.json.Schema).toEqual([
      { Name: 'Timestamp', Type: 'DateTime' }, { Name: 'DeviceName', Type: 'String' }, { Name: 'RemotePort', Type: 'Int32' }, { Name: 'InitiatingProcessId', Type: 'Int64' },
    ]);
    expect(r.json.Results).toHaveLength(1);
  });

  it('keeps 64-bit longs exact in the JSON text and names every Graph type', async () => {
    const r = await call(h.url, 'POST', '/v1.0/security/runHuntingQuery', {
      token: await freshToken(),
      body: { Query: 'DeviceNetworkEvents | order by Timestamp asc | project InitiatingProcessId, b = true, d = 1.5, ts = 1h, g = toguid("74be27de-1e4e-49d9-b579-fe0b331d3642"), o = dynamic({"a":[1]}), i = toint(7)' },
    });
    expect(r.status).toBe(200);
    expect(r.text).toContain('"InitiatingProcessId":9007199254740993');
    expect(r.text).toContain('"InitiatingProcessId":-9223372036854775807');
    expect(r.json.schema.map((c: { type: string }) => c.type)).toEqual(['Int64', 'Boolean', 'Double', 'TimeSpan', 'Guid', 'Object', 'Int32']);
    expect(r.json.results[0]).toMatchObject({ b: true, d: 1.5, ts: '01:00:00', g: '74be27de-1e4e-49d9-b579-fe0b331d3642', o: { a: [1] }, i: 7 });
  });

  it('caps results at 100,000 rows, says so, and streams the body', async () => {
    const r = await fetch(`${h.url}/v1.0/security/runHuntingQuery`, {
      method: 'POST', headers: { authorization: `Bearer ${await freshToken()}`, 'content-type': 'application/json' },
      body: JSON.stringify({ Query: 'range x from 1 to 100005 step 1' }),
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('transfer-encoding')).toBe('chunked');
    expect(r.headers.get('x-quarry-truncated')).toMatch(/^true/);
    const body = (await r.json()) as { results: { x: number }[] };
    expect(body.results).toHaveLength(100_000);
    expect(body.results[99_999]).toEqual({ x: 100_000 });
  });

  it('reports query errors with code, message, line and column', async () => {
    const r = await call(h.url, 'POST', '/api/advancedhunting/run', { token: await freshToken(), body: { Query: 'DeviceNetworkEvents\n| where RemoteUrl hass "x"' } });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ code: expect.stringMatching(/^kql\//), message: expect.any(String), line: 2 });
    expect(r.json.column).toBeGreaterThan(1);
    const g = await call(h.url, 'POST', '/v1.0/security/runHuntingQuery', { token: await freshToken(), body: { Query: 'NoSuchTable | take 1' } });
    expect(g.status).toBe(400);
    expect(g.json.error).toMatchObject({ code: g.json.code, message: g.json.message, line: 1, column: 1 });
  });

  it('refuses a caller over its time quota with 429 and Retry-After, per token', async () => {
    const token = await freshToken();
    // Use up the budget: a long query, cancelled after 0.8 s, is charged for the time it ran.
    const first = call(h.url, 'POST', '/v1.0/security/runHuntingQuery', { token, body: { Query: SLOW }, headers: { 'client-request-id': 'quota-1' } });
    await new Promise((r) => setTimeout(r, 800));
    expect((await call(h.url, 'POST', '/api/hunt/running/quota-1/cancel', { token })).status).toBe(200);
    expect((await first).status).toBe(499);
    const second = await call(h.url, 'POST', '/v1.0/security/runHuntingQuery', { token, body: { Query: 'print 1' } });
    expect(second.status).toBe(429);
    expect(second.json.error.code).toBe('hunt/quota-exceeded');
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(second.headers.get('retry-after'))).toBeLessThanOrEqual(600);
    // Another token of the same user has its own budget.
    const other = await call(h.url, 'POST', '/v1.0/security/runHuntingQuery', { token: await freshToken(), body: { Query: 'print 1' } });
    expect(other.status).toBe(200);
  });

  it('cancels the statement when the client disconnects', async () => {
    const token = await freshToken();
    const started = Date.now();
    await new Promise<void>((resolve) => {
      const req = http.request(`${h.url}/api/advancedhunting/run`, {
        method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'client-request-id': 'walk-away-1' },
      });
      req.on('error', () => resolve());
      req.end(JSON.stringify({ Query: SLOW }));
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 400);
    });
    const admin = await freshToken('admin');
    // The query leaves the running list well before it could have finished (~40 s uncancelled).
    for (let i = 0; i < 50; i++) {
      const list = await call(h.url, 'GET', '/api/hunt/running', { token: admin });
      if (!list.json.queries.some((q: { id: string }) => q.id === 'walk-away-1')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const list = await call(h.url, 'GET', '/api/hunt/running', { token: admin });
    expect(list.json.queries.map((q: { id: string }) => q.id)).not.toContain('walk-away-1');
    expect(Date.now() - started).toBeLessThan(8000);
  });

  it('cancels a running query explicitly by its client-request-id', async () => {
    const token = await freshToken();
    const pending = call(h.url, 'POST', '/v1.0/security/runHuntingQuery', { token, body: { Query: SLOW }, headers: { 'client-request-id': 'cancel-me-1' } });
    let listed = false;
    for (let i = 0; i < 50 && !listed; i++) {
      await new Promise((r) => setTimeout(r, 50));
      listed = (await call(h.url, 'GET', '/api/hunt/running', { token })).json.queries.some((q: { id: string }) => q.id === 'cancel-me-1');
    }
    expect(listed).toBe(true);
    // Someone else (not admin) cannot cancel it.
    const other = await call(h.url, 'POST', '/api/hunt/running/cancel-me-1/cancel', { token: await freshToken('analyst') });
    expect(other.status).toBe(404);
    const c = await call(h.url, 'POST', '/api/hunt/running/cancel-me-1/cancel', { token });
    expect(c.json).toEqual({ id: 'cancel-me-1', cancelled: true });
    const r = await pending;
    expect(r.status).toBe(499);
    expect(r.json.error.code).toBe('hunt/cancelled');
  });

  it('runs portal queries with a render hint and records history', async () => {
    const token = await freshToken('analyst', 'portal');
    const r = await call(h.url, 'POST', '/api/hunt/run', { token, body: { query: 'DeviceNetworkEvents | summarize n = count() by DeviceName | render barchart', now: '2024-05-02T00:00:00Z' } });
    expect(r.status).toBe(200);
    expect(r.json.schema).toEqual([{ name: 'DeviceName', type: 'string' }, { name: 'n', type: 'long' }]);
    expect(r.json.render.kind).toBe('barchart');
    expect(r.json.stats).toMatchObject({ rows: 2, truncated: false });
    await call(h.url, 'POST', '/api/hunt/run', { token, body: { query: 'Nope | take 1' } });
    const hist = await call(h.url, 'GET', '/api/hunt/history?limit=5', { token });
    expect(hist.json.history.map((e: { status: string; errorCode: string | null }) => [e.status, e.errorCode])).toEqual([['error', 'kql/unknown-table'], ['ok', null]]);
    // History is per user: the reader sees none of it.
    expect((await call(h.url, 'GET', '/api/hunt/history', { token: await freshToken() })).json.history).toEqual([]);
  });

  it('keeps saved queries per user, shares them on request, and serves the editor schema', async () => {
    const analyst = await freshToken('analyst', 'saved');
    const reader = await freshToken('reader', 'saved');
    const mine = await call(h.url, 'POST', '/api/hunt/saved', { token: analyst, body: { name: 'dancevida', query: 'DeviceNetworkEvents | where RemoteUrl has "dancevida.com"' } });
    expect(mine.status).toBe(201);
    const shared = await call(h.url, 'POST', '/api/hunt/saved', { token: analyst, body: { name: 'all', query: 'DeviceNetworkEvents', shared: true } });
    expect((await call(h.url, 'GET', '/api/hunt/saved', { token: reader })).json.queries.map((q: { name: string }) => q.name)).toEqual(['all']);
    expect((await call(h.url, 'GET', `/api/hunt/saved/${mine.json.id}`, { token: reader })).status).toBe(404);
    expect((await call(h.url, 'DELETE', `/api/hunt/saved/${shared.json.id}`, { token: reader })).status).toBe(403);
    const upd = await call(h.url, 'PATCH', `/api/hunt/saved/${mine.json.id}`, { token: analyst, body: { description: 'IOC sweep' } });
    expect(upd.json).toMatchObject({ name: 'dancevida', description: 'IOC sweep', owner: 'analyst-user' });
    expect((await call(h.url, 'DELETE', `/api/hunt/saved/${mine.json.id}`, { token: analyst })).status).toBe(204);
    const schema = await call(h.url, 'GET', '/api/hunt/schema', { token: reader });
    const dne = schema.json.tables.find((t: { name: string }) => t.name === 'DeviceNetworkEvents');
    expect(dne.columns).toEqual(expect.arrayContaining([{ name: 'RemoteUrl', type: 'string' }]));
  });
});
