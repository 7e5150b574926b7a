/**
 * The ingest routes over real HTTP on 127.0.0.1 (a Fastify app with Quarry's error handler and the ingest
 * route module, so these tests do not depend on the auth plugin's progress): one request = one batch,
 * retries are no-ops, bad rows are quarantined, a full queue answers 429 + Retry-After, envelopes route.
 */
import http from 'node:http';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installErrorHandlers } from '../../src/api/error-handler.js';
import { registerIngestRoutes } from '../../src/api/routes/ingest.js';
import { processCatalog } from '../../src/catalog/catalog.js';
import { resolveConfig } from '../../src/core/config.js';
import { silentLogger } from '../../src/core/log.js';
import type { Store } from '../../src/store/store.js';
import { networkRow, openIngestStore, removeTempDirs, tempDir } from './helpers.js';

let store: Store;
const apps: FastifyInstance[] = [];

async function serve(env: Record<string, string> = {}): Promise<string> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const app = Fastify();
    installErrorHandlers(app);
    registerIngestRoutes(app, { store, catalog: processCatalog(), config: resolveConfig({}), logger: silentLogger });
    await app.listen({ host: '127.0.0.1', port: 0 });
    apps.push(app);
    const addr = app.server.address() as { port: number };
    return `http://127.0.0.1:${addr.port}`;
  } finally {
    process.env = saved;
  }
}

let url: string;
beforeAll(async () => {
  store = await openIngestStore(path.join(tempDir(), 'data'));
  url = await serve();
});
afterAll(async () => {
  for (const a of apps) await a.close();
  await store?.close();
  removeTempDirs();
});

const post = (p: string, body: string, type: string, headers: Record<string, string> = {}) =>
  fetch(`${url}${p}`, { method: 'POST', headers: { 'content-type': type, ...headers }, body });

describe('POST /api/ingest/:table', () => {
  it('commits NDJSON as one batch, quarantines bad rows, and a retried body is a no-op', async () => {
    const lines = Array.from({ length: 100 }, (_, i) => JSON.stringify({ ...networkRow(i), DeviceName: 'http-1' }));
    lines[10] = '{"Timestamp":"2024-05-01T00:00:00Z","RemotePort":"x"}';
    const body = lines.join('\n');
    const r1 = await post('/api/ingest/DeviceNetworkEvents', body, 'application/x-ndjson');
    expect(r1.status).toBe(200);
    const j1 = await r1.json();
    expect(j1).toMatchObject({ accepted: 99, rejected: 1, duplicate: 0, batchId: expect.stringMatching(/^sha256:/) });
    const r2 = await post('/api/ingest/DeviceNetworkEvents', body, 'application/x-ndjson');
    expect(await r2.json()).toMatchObject({ accepted: 0, rejected: 0, duplicate: 100, batchId: j1.batchId });
    expect(Number((await store.query(`SELECT count(*) FROM DeviceNetworkEvents WHERE DeviceName = 'http-1'`)).rows[0]![0])).toBe(99);
  });

  it('honours X-Batch-Id, reads JSON arrays, CSV and ?format=zeek, and names unknown tables', async () => {
    const rows = [networkRow(1), networkRow(2)].map((r) => ({ ...r, DeviceName: 'http-2' }));
    const a = await post('/api/ingest/DeviceNetworkEvents', JSON.stringify(rows), 'application/json', { 'X-Batch-Id': 'agent-7/000001' });
    expect(await a.json()).toMatchObject({ accepted: 2, batchId: 'agent-7/000001' });
    const again = await post('/api/ingest/DeviceNetworkEvents', JSON.stringify(rows.slice(0, 1)), 'application/json', { 'X-Batch-Id': 'agent-7/000001' });
    expect(await again.json()).toMatchObject({ accepted: 0, duplicate: 1 });
    const csv = await post('/api/ingest/Syslog', 'TimeGenerated,Computer,SyslogMessage\n2024-05-01T00:00:00Z,csv-host,"a, b"\n', 'text/csv');
    expect(await csv.json()).toMatchObject({ accepted: 1 });
    const zeek = await post('/api/ingest/zeek?format=zeek&path=dns', '{"ts":1700000000.5,"query":"z.example","qtype_name":"A"}\n', 'application/octet-stream');
    expect(await zeek.json()).toMatchObject({ accepted: 1, tables: { DnsEvents: { accepted: 1, rejected: 0 } } });
    const unknown = await post('/api/ingest/DeviceNetworkEvent', '{}', 'application/json');
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ code: 'catalog/unknown-table', message: expect.stringContaining("Did you mean 'DeviceNetworkEvents'?") });
    const noFormat = await post('/api/ingest/Syslog', 'x', 'application/octet-stream');
    expect(noFormat.status).toBe(415);
  });

  it('POST /api/ingest/m365d routes the streaming envelope; /api/ingest/sentinel/:stream takes Logs Ingestion bodies', async () => {
    const env = { records: [{ time: '2024-05-01T00:00:00Z', tenantId: 't-1', operationName: 'Publish', category: 'AdvancedHunting-DeviceEvents', properties: { DeviceName: 'http-env', ActionType: 'AntivirusDetection' } }] };
    const r = await post('/api/ingest/m365d', JSON.stringify(env), 'application/json');
    expect(await r.json()).toMatchObject({ accepted: 1, tables: { DeviceEvents: { accepted: 1, rejected: 0 } } });
    const s = await post('/api/ingest/sentinel/Custom-Syslog', JSON.stringify([{ TimeGenerated: '2024-05-01T00:00:00Z', Computer: 'dcr-host' }]), 'application/json');
    expect(await s.json()).toMatchObject({ accepted: 1, tables: { Syslog: { accepted: 1, rejected: 0 } } });
  });

  it('GET /api/connectors shows the HTTP sources', async () => {
    const r = await fetch(`${url}/api/connectors`);
    const j = (await r.json()) as { connectors: { source: string; table: string; rowsToday: number }[] };
    expect(j.connectors).toEqual(expect.arrayContaining([expect.objectContaining({ source: 'http:ndjson', table: 'DeviceNetworkEvents', rowsToday: 99 })]));
  });
});

describe('backpressure', () => {
  it('answers 429 with Retry-After while the queue is full, and admits again once it drains', async () => {
    const small = await serve({ QUARRY_INGEST_QUEUE: '1' });
    const body = JSON.stringify({ ...networkRow(1), DeviceName: 'slow' });
    const { port } = new URL(small);
    // Request 1 sends its headers, then holds its body: it occupies the only slot.
    const first = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/api/ingest/DeviceNetworkEvents', method: 'POST', headers: { 'content-type': 'application/x-ndjson', 'content-length': Buffer.byteLength(body) } }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      });
      req.on('error', reject);
      req.write(body.slice(0, 10));
      setTimeout(() => req.end(body.slice(10)), 400);
    });
    await new Promise((r) => setTimeout(r, 150));
    const refused = await fetch(`${small}/api/ingest/DeviceNetworkEvents`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toMatchObject({ code: 'ingest/queue-full' });
    const done = await first;
    expect(done.status).toBe(200);
    expect(JSON.parse(done.body)).toMatchObject({ accepted: 1 });
    const after = await fetch(`${small}/api/ingest/DeviceNetworkEvents`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: body.replace('slow', 'after') });
    expect(after.status).toBe(200);
  });
});
