/**
 * The storage API over real HTTP on 127.0.0.1: upload/download/list/delete, signed URLs as the only
 * credential, Azure-meaning refusals that leave nothing written, the 100 MB cap, the one-click CSV →
 * signed URL + KQL snippet, and no signature in the server log.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKql } from '../../src/hunt/run.js';
import { storageFetcher } from '../../src/blob/storage-fetcher.js';
import { removeTempDirs } from '../store/temp-dir.js';
import { startFixture, type Fixture } from './server-fixture.js';

let fx: Fixture;
const CSV = 'parentHostname,childHostname,firstSeen,lastSeen,attributeCause,Tags\ndancevida.com,www.dancevida.com,05/03/2023 14:20,05/04/2023 09:00,redirect,Phishing|Kit\n';

beforeAll(async () => {
  fx = await startFixture();
}, 60_000);
afterAll(async () => {
  await fx?.close();
  removeTempDirs();
});

function containerFiles(container: string): string[] {
  const root = path.join(fx.dir, 'storage', 'containers', container);
  return fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => d.name).sort();
}

async function sas(body: Record<string, unknown>): Promise<string> {
  const r = await fx.call('POST', '/api/storage/sas', { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  expect(r.status, r.text).toBe(200);
  return r.json.url as string;
}

describe('storage API', () => {
  it('creates a container, uploads, lists, downloads with metadata headers, deletes', async () => {
    expect((await fx.call('PUT', '/storage/intel')).status).toBe(201);
    expect((await fx.call('PUT', '/storage/intel')).json).toMatchObject({ code: 'blob/exists' });
    const put = await fx.call('PUT', '/storage/intel/mdti/hostpairs.csv', { body: CSV, headers: { 'content-type': 'text/csv' } });
    expect(put.status, put.text).toBe(201);
    expect(put.json).toMatchObject({ name: 'mdti/hostpairs.csv', size: CSV.length, contentType: 'text/csv' });
    expect(put.headers.get('content-md5')).toBe(put.json.md5);
    const list = await fx.call('GET', '/storage/intel');
    expect(list.json.blobs.map((b: { name: string }) => b.name)).toEqual(['mdti/hostpairs.csv']);
    const get = await fx.call('GET', '/storage/intel/mdti/hostpairs.csv');
    expect(get.status).toBe(200);
    expect(get.text).toBe(CSV);
    expect(get.headers.get('etag')).toBe(put.json.etag);
    expect(get.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(get.headers.get('content-disposition')).toBe('attachment');
    expect((await fx.call('GET', '/storage/intel/mdti/hostpairs.csv', { headers: { 'if-none-match': put.json.etag } })).status).toBe(304);
    await fx.call('PUT', '/storage/intel/tmp.txt', { body: 'x' });
    expect((await fx.call('DELETE', '/storage/intel/tmp.txt')).status).toBe(202);
    expect((await fx.call('GET', '/storage/intel/tmp.txt')).status).toBe(404);
  });

  it('without a token or a signature the data plane is closed', async () => {
    const r = await fx.call('GET', '/storage/intel/mdti/hostpairs.csv', { auth: false });
    expect(r.status).toBe(401);
  });

  it('a signed URL alone reads the blob; missing blob is 404 BlobNotFound', async () => {
    const url = await sas({ container: 'intel', blob: 'mdti/hostpairs.csv', permissions: 'r', validFor: 'PT1H' });
    expect(url.startsWith(`${fx.server.url}/storage/intel/mdti/hostpairs.csv?`)).toBe(true);
    const r = await fx.call('GET', url, { auth: false });
    expect(r.status).toBe(200);
    expect(r.text).toBe(CSV);
    const missing = await sas({ container: 'intel', blob: 'nope.csv', permissions: 'r', validFor: 'PT1H' });
    const m = await fx.call('GET', missing, { auth: false });
    expect(m.status).toBe(404);
    expect(m.json).toMatchObject({ code: 'blob/not-found', details: { azureCode: 'BlobNotFound' } });
  });

  it('expired, tampered and revoked URLs are 403 AuthenticationFailed with a reason', async () => {
    const expired = await sas({ container: 'intel', blob: 'mdti/hostpairs.csv', permissions: 'r', start: '2020-01-01T00:00:00Z', expiry: '2020-01-02T00:00:00Z' });
    const e = await fx.call('GET', expired, { auth: false });
    expect(e.status).toBe(403);
    expect(e.json).toMatchObject({ code: 'blob/authentication-failed', details: { azureCode: 'AuthenticationFailed' } });
    expect(e.json.message).toMatch(/expired/);
    const good = new URL(await sas({ container: 'intel', blob: 'mdti/hostpairs.csv', permissions: 'r', validFor: 'PT1H' }));
    good.searchParams.set('sig', Buffer.alloc(32, 7).toString('base64'));
    const t = await fx.call('GET', good.href, { auth: false });
    expect(t.status).toBe(403);
    expect(t.json.message).toMatch(/signature does not match/);
    const put = await fx.call('PUT', '/api/storage/containers/intel/policies/team', { body: JSON.stringify({ permissions: 'r', expiry: new Date(Date.now() + 3_600_000).toISOString() }), headers: { 'content-type': 'application/json' } });
    expect(put.status, put.text).toBe(200);
    const under = await sas({ container: 'intel', blob: 'mdti/hostpairs.csv', policy: 'team' });
    expect((await fx.call('GET', under, { auth: false })).status).toBe(200);
    expect((await fx.call('DELETE', '/api/storage/containers/intel/policies/team')).status).toBe(202);
    const revoked = await fx.call('GET', under, { auth: false });
    expect(revoked.status).toBe(403);
    expect(revoked.json.message).toMatch(/stored access policy 'team' does not exist/);
  });

  it('a write or delete with a read-only URL is 403 and changes nothing', async () => {
    const before = containerFiles('intel');
    const ro = await sas({ container: 'intel', blob: 'mdti/hostpairs.csv', permissions: 'r', validFor: 'PT1H' });
    const w = await fx.call('PUT', ro, { auth: false, body: 'overwritten!' });
    expect(w.status).toBe(403);
    expect(w.json).toMatchObject({ code: 'blob/permission-mismatch', details: { azureCode: 'AuthorizationPermissionMismatch' } });
    expect((await fx.call('DELETE', ro, { auth: false })).status).toBe(403);
    expect(containerFiles('intel')).toEqual(before);
    expect((await fx.call('GET', ro, { auth: false })).text).toBe(CSV);
    // A write URL does write.
    const rw = await sas({ container: 'intel', blob: 'uploaded-by-sas.csv', permissions: 'w', validFor: 'PT1H' });
    expect((await fx.call('PUT', rw, { auth: false, body: 'a\n' })).status).toBe(201);
  });

  it('a 101 MB upload is refused (413) and leaves nothing behind', async () => {
    await fx.call('PUT', '/storage/bulk');
    await fx.call('PUT', '/storage/bulk/keep.csv', { body: 'keep\n' });
    const before = containerFiles('bulk');
    const big = Buffer.alloc(101 * 1024 * 1024, 97);
    // Declared length: refused before the body is read.
    const declared = await fx.call('PUT', '/storage/bulk/big.csv', { body: big }).catch((e: Error) => ({ status: -1, json: { message: e.message } }));
    expect(declared.status).toBe(413);
    expect(declared.json).toMatchObject({ code: 'core/too-large', details: { azureCode: 'RequestBodyTooLarge' } });
    // Streamed without a length: cut off at the cap.
    const chunks = (async function* () {
      for (let i = 0; i < 101; i++) yield Buffer.alloc(1024 * 1024, 98);
    })();
    const streamed = await fx.call('PUT', '/storage/bulk/big2.csv', { body: Readable.toWeb(Readable.from(chunks)) as unknown as BodyInit }).catch((e: Error) => ({ status: -1, json: { message: e.message } }));
    expect(streamed.status).toBe(413);
    expect(streamed.json.message).toMatch(/larger than the limit of 104857600 bytes; nothing was stored/);
    expect((await fx.call('GET', '/storage/bulk/big.csv')).status).toBe(404);
    expect((await fx.call('GET', '/storage/bulk/big2.csv')).status).toBe(404);
    expect(containerFiles('bulk')).toEqual(before);
  }, 60_000);

  it('one click: a CSV in, a signed URL and a runnable KQL snippet out', async () => {
    const r = await fx.call('POST', '/api/storage/externaldata?name=dancevida-hostpairs.csv&validFor=PT2H', { body: CSV, headers: { 'content-type': 'text/csv' } });
    expect(r.status, r.text).toBe(201);
    expect(r.json.layout).toBe('hostPairs');
    expect(r.json.columns.map((c: { name: string; type: string }) => `${c.name}:${c.type}`)).toEqual([
      'parentHostName:string', 'childHostName:string', 'firstSeen:datetime', 'lastSeen:datetime', 'attributeCause:string', 'tags:string',
    ]);
    expect(r.json.url).toMatch(/\/storage\/hunting\/dancevida-hostpairs\.csv\?sv=/);
    expect(r.json.kql).toContain("with (format='csv', ignoreFirstRecord=true)");
    const fetchExternal = storageFetcher({ dataDir: fx.dir, ownOrigins: [fx.server.url] });
    const res = await runKql(fx.store, r.json.kql, { fetchExternal });
    expect(res.results).toEqual([{
      parentHostName: 'dancevida.com', childHostName: 'www.dancevida.com', firstSeen: '2023-05-03T14:20:00.0000000Z', lastSeen: '2023-05-04T09:00:00.0000000Z',
      attributeCause: 'redirect', tags: ['Phishing', 'Kit'],
    }]);
    // Any CSV: names from the header, types inferred.
    const other = await fx.call('POST', '/api/storage/externaldata?name=iocs.csv', { body: 'Indicator Value,Score,First Seen,active\n203.0.113.77,85,2024-05-01T00:00:00Z,true\n', headers: { 'content-type': 'text/csv' } });
    expect(other.json.layout).toBe('generic');
    expect(other.json.externaldata).toMatch(/^externaldata \(Indicator_Value:string, Score:long, First_Seen:datetime, active:bool\)/);
    const rows = await runKql(fx.store, other.json.kql, { fetchExternal });
    expect(rows.results).toEqual([{ Indicator_Value: '203.0.113.77', Score: 85n, First_Seen: '2024-05-01T00:00:00.0000000Z', active: true }]);
  });

  it('never writes a signature into the server log', async () => {
    const url = new URL(await sas({ container: 'intel', blob: 'mdti/hostpairs.csv', permissions: 'r', validFor: 'PT1H' }));
    await fx.call('GET', url.href, { auth: false });
    url.searchParams.set('sig', Buffer.alloc(32, 9).toString('base64'));
    await fx.call('GET', url.href, { auth: false });
    const logs = fx.logs();
    expect(logs).toContain('/storage/intel/mdti/hostpairs.csv');
    expect(logs).toContain('signed URL refused');
    for (const line of logs.split('\n')) {
      const m = /sig=([^&"\s]*)/.exec(line);
      if (m) expect(m[1]).toBe('REDACTED');
    }
  });
});
