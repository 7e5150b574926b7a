import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/core/config.js';
import { silentLogger } from '../../src/core/log.js';
import { installErrorHandlers } from '../../src/api/error-handler.js';
import { startServer, type RunningServer } from '../../src/api/server.js';
import { openStore } from '../../src/store/duckdb/open-store.js';
import type { Store } from '../../src/store/store.js';
import { removeTempDirs, tempDataDir } from '../store/temp-dir.js';
import { openQuarryStore } from '../../src/app/open-store.js';
import { createToken } from '../../src/auth/tokens.js';
import { createUser } from '../../src/auth/users.js';

let store: Store;
let server: RunningServer;
/** Every route but /healthz needs credentials: these tests act as an analyst with an API token. */
let bearer = '';

beforeAll(async () => {
  const dir = tempDataDir('quarry-api-');
  store = await openQuarryStore(dir);
  await createUser(store, { username: 'server-test', password: 'server-test-password', role: 'analyst' });
  bearer = `Bearer ${(await createToken(store, { username: 'server-test', name: 'server.test.ts' })).token}`;
  const config = resolveConfig({ data: dir, host: '127.0.0.1', port: 0, bodyLimit: 64 * 1024 }, {});
  server = await startServer({ store, config, logger: silentLogger });
});

afterAll(async () => {
  await server?.close();
  await store?.close();
  removeTempDirs();
});

async function call(method: string, path: string, body?: string, contentType?: string, headers: Record<string, string> = {}) {
  const res = await fetch(server.url + path, {
    method,
    body,
    headers: { authorization: bearer, ...(contentType ? { 'content-type': contentType } : {}), ...headers },
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

describe('HTTP server', () => {
  it('answers /healthz with version and store status, security headers and a request id', async () => {
    const r = await call('GET', '/healthz', undefined, undefined, { 'x-request-id': 'trace-123' });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ status: 'ok', version: expect.any(String), store: { ok: true } });
    expect((r.json!.store as { tables: number }).tables).toBeGreaterThan(10);
    expect(r.headers.get('x-request-id')).toBe('trace-123');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('x-frame-options')).toBe('DENY');
    expect(r.headers.get('content-security-policy')).toContain("default-src 'self'");
    const fresh = await call('GET', '/healthz', undefined, undefined, { 'x-request-id': 'bad id with spaces' });
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('lists the catalog on /api/tables', async () => {
    const r = await call('GET', '/api/tables');
    expect(r.status).toBe(200);
    const tables = r.json!.tables as { name: string; origin: string; timeColumn?: string; columns: { name: string; type: string }[]; entityColumns: { column: string; kind: string }[] }[];
    const dne = tables.find((t) => t.name === 'DeviceNetworkEvents')!;
    expect(dne.origin).toBe('defender');
    expect(dne.timeColumn).toBe('Timestamp');
    expect(dne.columns).toEqual(expect.arrayContaining([{ name: 'RemotePort', type: 'int' }, { name: 'Timestamp', type: 'datetime' }]));
    expect(dne.entityColumns).toEqual(expect.arrayContaining([{ column: 'RemoteIP', kind: 'ip' }]));
    const one = await call('GET', '/api/tables/EmailUrlInfo');
    expect(one.json).toMatchObject({ name: 'EmailUrlInfo', origin: 'defender' });
    const missing = await call('GET', '/api/tables/DeviceNetworkEvent');
    expect(missing.status).toBe(400);
    expect(missing.json).toMatchObject({ code: 'catalog/unknown-table', details: { suggestion: 'DeviceNetworkEvents' } });
  });

  it('answers unknown routes with a 404 error body', async () => {
    const r = await call('GET', '/api/nothing-here?x=1');
    expect(r.status).toBe(404);
    expect(r.json).toEqual({ code: 'api/not-found', message: 'no route for GET /api/nothing-here' });
  });

  it('ingests NDJSON in one transaction, keeping big integers exact', async () => {
    const body = [
      '{"Timestamp":"2024-05-01T10:00:00.123456Z","DeviceName":"host-1","RemoteIP":"10.0.0.1","InitiatingProcessId":9007199254740993,"AdditionalFields":{"n":12345678901234567890}}',
      '',
      '{"Timestamp":"2024-05-01T10:00:01Z","DeviceName":"host-2","RemotePort":443}',
    ].join('\n');
    const r = await call('POST', '/api/ingest/DeviceNetworkEvents', body, 'application/x-ndjson');
    expect(r.json).toMatchObject({ accepted: 2, rejected: 0 });
    const q = await store.query('SELECT "Timestamp", "InitiatingProcessId", "AdditionalFields", "RemotePort" FROM "DeviceNetworkEvents" ORDER BY "Timestamp"');
    expect(q.rows).toEqual([
      [1714557600123456n, 9007199254740993n, '{"n":12345678901234567890}', null],
      [1714557601000000n, null, null, 443],
    ]);
  });

  it('ingests a JSON array; bad rows are quarantined with a reason, good ones committed', async () => {
    const ok = await call('POST', '/api/ingest/EmailUrlInfo', JSON.stringify([{ Timestamp: '2024-05-01T00:00:00Z', Url: 'https://a.example/x', UrlDomain: 'a.example' }]), 'application/json');
    expect(ok.json).toMatchObject({ accepted: 1, rejected: 0 });
    const bad = await call(
      'POST',
      '/api/ingest/EmailUrlInfo',
      JSON.stringify([{ Timestamp: '2024-05-01T00:00:01Z', Url: 'https://b.example/' }, { Timestamp: 'not a time' }]),
      'application/json; charset=utf-8',
    );
    expect(bad.status).toBe(200);
    expect(bad.json).toMatchObject({ accepted: 1, rejected: 1 });
    expect(await store.count('EmailUrlInfo')).toBe(2n);
  });

  it('maps malformed bodies and sizes to error codes', async () => {
    const badJson = await call('POST', '/api/ingest/EmailUrlInfo', '[{"Url": ', 'application/json');
    expect(badJson.status).toBe(400);
    expect(badJson.json).toMatchObject({ code: 'ingest/bad-format' });
    const big = await call('POST', '/api/ingest/EmailUrlInfo', JSON.stringify([{ Url: 'x'.repeat(70 * 1024) }]), 'application/json');
    expect(big.status).toBe(413);
    expect(big.json).toMatchObject({ code: 'core/too-large' });
    for (const r of [badJson, big]) expect(r.text).not.toMatch(/\bat .*\.(ts|js):\d+/);
  });
});

describe('error handler', () => {
  it('hides internal error details and stacks', async () => {
    const app = Fastify();
    installErrorHandlers(app);
    app.get('/boom', async () => {
      throw new Error('secret internal detail at /srv/x.js:1:2');
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const addr = app.server.address() as { port: number };
      const res = await fetch(`http://127.0.0.1:${addr.port}/boom`);
      expect(res.status).toBe(500);
      const body = (await res.json()) as { code: string; message: string };
      expect(body.code).toBe('core/internal');
      expect(body.message).not.toContain('secret');
      expect(Object.keys(body)).toEqual(['code', 'message']);
    } finally {
      await app.close();
    }
  });
});

describe('health when the store is gone', () => {
  it('answers 503 after the store closed', async () => {
    const dir = tempDataDir('quarry-api-');
    const s = await openStore(dir, { tables: [] });
    const srv = await startServer({ store: s, config: resolveConfig({ data: dir, port: 0 }, {}), logger: silentLogger });
    try {
      await s.close();
      const res = await fetch(srv.url + '/healthz');
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: 'unavailable', store: { ok: false } });
    } finally {
      await srv.close();
    }
  });
});
