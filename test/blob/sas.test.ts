/**
 * Signed URLs against real key and policy files in a temp data dir: every refusal carries Azure's
 * meaning (AuthenticationFailed with a reason, permission/protocol/IP mismatches), key rotation keeps the
 * other key's URLs working, and revoking a stored access policy revokes its URLs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from '../../src/blob/storage.js';
import { QuarryError } from '../../src/core/errors.js';
import { removeTempDirs, tempDataDir } from '../store/temp-dir.js';

let storage: Storage;
const BASE = 'http://127.0.0.1:7070';
const HOUR = 3_600_000;
const now = () => new Date();

beforeAll(async () => {
  storage = openStorage(tempDataDir('quarry-sas-'));
  await storage.blobs.createContainer('intel');
  await storage.blobs.putBlob('intel', 'mdti/hostpairs.csv', 'a,b\n1,2\n', { contentType: 'text/csv' });
});
afterAll(() => removeTempDirs());

function paramsOf(url: string): URLSearchParams {
  return new URL(url).searchParams;
}

async function verify(url: string, over: Partial<{ permission: 'r' | 'w' | 'd' | 'l'; protocol: 'http' | 'https'; clientIp: string; blob: string | undefined; now: Date }> = {}) {
  const u = new URL(url);
  const [, , container, ...rest] = u.pathname.split('/');
  const blob = 'blob' in over ? over.blob : rest.length ? rest.map(decodeURIComponent).join('/') : undefined;
  return storage.authorize({
    container: container!, ...(blob !== undefined ? { blob } : {}), permission: over.permission ?? 'r', params: u.searchParams,
    protocol: over.protocol ?? 'http', clientIp: over.clientIp ?? '127.0.0.1', ...(over.now ? { now: over.now } : {}),
  });
}

async function refusal(p: Promise<unknown>): Promise<QuarryError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(QuarryError);
    return e as QuarryError;
  }
  throw new Error('expected a refusal');
}

describe('service SAS', () => {
  it('mints URLs with Azure parameters and verifies them', async () => {
    const url = await storage.mintUrl(BASE, { container: 'intel', blob: 'mdti/hostpairs.csv', permissions: 'r', expiry: new Date(Date.now() + HOUR) });
    expect(url.startsWith(`${BASE}/storage/intel/mdti/hostpairs.csv?`)).toBe(true);
    const p = paramsOf(url);
    expect(p.get('sv')).toBe('2022-11-02');
    expect(p.get('sr')).toBe('b');
    expect(p.get('sp')).toBe('r');
    expect(p.get('se')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(Buffer.from(p.get('sig')!, 'base64')).toHaveLength(32);
    const grant = await verify(url);
    expect(grant).toMatchObject({ resource: 'b', permissions: 'r', key: 'key1' });
  });

  it('refuses an expired URL: 403 AuthenticationFailed saying it expired', async () => {
    const url = await storage.mintUrl(BASE, { container: 'intel', blob: 'mdti/hostpairs.csv', permissions: 'r', start: new Date(Date.now() - 2 * HOUR), expiry: new Date(Date.now() - HOUR) });
    const e = await refusal(verify(url));
    expect(e.code).toBe('blob/authentication-failed');
    expect(e.httpStatus).toBe(403);
    expect(e.details).toMatchObject({ azureCode: 'AuthenticationFailed' });
    expect(e.message).toMatch(/expired/);
    // Not yet valid either.
    const later = await storage.mintUrl(BASE, { container: 'intel', blob: 'mdti/hostpairs.csv', permissions: 'r', start: new Date(Date.now() + HOUR), expiry: new Date(Date.now() + 2 * HOUR) });
    expect((await refusal(verify(later))).message).toMatch(/start time .* after the current time/);
  });

  it('refuses a tampered signature, and a tampered expiry, permission or resource', async () => {
    const url = await storage.mintUrl(BASE, { container: 'intel', blob: 'mdti/hostpairs.csv', permissions: 'r', expiry: new Date(Date.now() + HOUR) });
    const u = new URL(url);
    const sig = Buffer.from(u.searchParams.get('sig')!, 'base64');
    sig[0] = sig[0]! ^ 1;
    u.searchParams.set('sig', sig.toString('base64'));
    const e = await refusal(verify(u.href));
    expect(e.code).toBe('blob/authentication-failed');
    expect(e.message).toMatch(/signature does not match/);
    for (const [k, v] of [['se', '2099-01-01T00:00:00Z'], ['sp', 'rw']] as const) {
      const t = new URL(url);
      t.searchParams.set(k, v);
      expect((await refusal(verify(t.href, { permission: 'r' }))).message).toMatch(/signature does not match/);
    }
    // The same signature on another blob.
    const other = new URL(url.replace('/hostpairs.csv?', '/other.csv?'));
    expect((await refusal(verify(other.href))).code).toBe('blob/authentication-failed');
  });

  it('a read-only URL cannot write or delete; a blob URL cannot list', async () => {
    const url = await storage.mintUrl(BASE, { container: 'intel', blob: 'mdti/hostpairs.csv', permissions: 'r', expiry: new Date(Date.now() + HOUR) });
    const w = await refusal(verify(url, { permission: 'w' }));
    expect(w.code).toBe('blob/permission-mismatch');
    expect(w.details).toMatchObject({ azureCode: 'AuthorizationPermissionMismatch' });
    expect((await refusal(verify(url, { permission: 'd' }))).code).toBe('blob/permission-mismatch');
    const list = await refusal(verify(url, { permission: 'l', blob: undefined }));
    expect(list.details).toMatchObject({ azureCode: 'AuthorizationResourceTypeMismatch' });
  });

  it('a container URL with r and l reads any blob of the container and lists it', async () => {
    const url = await storage.mintUrl(BASE, { container: 'intel', permissions: 'lr', expiry: new Date(Date.now() + HOUR) });
    expect(paramsOf(url).get('sp')).toBe('rl');
    expect(paramsOf(url).get('sr')).toBe('c');
    const u = new URL(url);
    await expect(storage.authorize({ container: 'intel', permission: 'l', params: u.searchParams, protocol: 'http' })).resolves.toMatchObject({ resource: 'c' });
    await expect(storage.authorize({ container: 'intel', blob: 'mdti/hostpairs.csv', permission: 'r', params: u.searchParams, protocol: 'http' })).resolves.toBeDefined();
    await expect(storage.authorize({ container: 'other', permission: 'l', params: u.searchParams, protocol: 'http' })).rejects.toMatchObject({ code: 'blob/authentication-failed' });
  });

  it('enforces https-only and the IP range', async () => {
    const https = await storage.mintUrl(BASE, { container: 'intel', blob: 'mdti/hostpairs.csv', permissions: 'r', expiry: new Date(Date.now() + HOUR), httpsOnly: true });
    const e = await refusal(verify(https, { protocol: 'http' }));
    expect(e.code).toBe('blob/protocol-mismatch');
    await expect(verify(https, { protocol: 'https' })).resolves.toBeDefined();
    const ip = await storage.mintUrl(BASE, { container: 'intel', blob: 'mdti/hostpairs.csv', permissions: 'r', expiry: new Date(Date.now() + HOUR), ip: '10.1.0.0-10.1.255.255' });
    await expect(verify(ip, { clientIp: '10.1.2.3' })).resolves.toBeDefined();
    await expect(verify(ip, { clientIp: '::ffff:10.1.2.3' })).resolves.toBeDefined();
    const bad = await refusal(verify(ip, { clientIp: '10.2.0.1' }));
    expect(bad.code).toBe('blob/ip-mismatch');
    expect(bad.details).toMatchObject({ azureCode: 'AuthorizationSourceIPMismatch' });
  });

  it('revoking a stored access policy revokes every URL minted under it', async () => {
    await storage.setPolicy('intel', { id: 'hunt-team', permissions: 'r', expiry: new Date(Date.now() + HOUR).toISOString() });
    const a = await storage.mintUrl(BASE, { container: 'intel', blob: 'mdti/hostpairs.csv', policy: 'hunt-team' });
    const b = await storage.mintUrl(BASE, { container: 'intel', blob: 'mdti/hostpairs.csv', policy: 'hunt-team', ip: '127.0.0.1' });
    expect(paramsOf(a).has('se')).toBe(false);
    expect(await verify(a)).toMatchObject({ policy: 'hunt-team', permissions: 'r' });
    await verify(b);
    await storage.deletePolicy('intel', 'hunt-team');
    for (const url of [a, b]) {
      const e = await refusal(verify(url));
      expect(e.code).toBe('blob/authentication-failed');
      expect(e.message).toMatch(/stored access policy 'hunt-team' does not exist/);
    }
    // Re-creating the policy with a past expiry: URLs exist again but are expired.
    await storage.setPolicy('intel', { id: 'hunt-team', permissions: 'r', expiry: new Date(Date.now() - 1000).toISOString() });
    expect((await refusal(verify(a))).message).toMatch(/expired/);
  });

  it('a field given both in the URL and in its policy is refused, as in Azure', async () => {
    await storage.setPolicy('intel', { id: 'fixed', permissions: 'r', expiry: new Date(Date.now() + HOUR).toISOString() });
    const url = await storage.mintUrl(BASE, { container: 'intel', blob: 'mdti/hostpairs.csv', policy: 'fixed', permissions: 'r' });
    expect((await refusal(verify(url))).message).toMatch(/both in the URL and in stored access policy/);
  });

  it('rotating key1 invalidates its URLs while key2 URLs keep working', async () => {
    const k1 = await storage.mintUrl(BASE, { container: 'intel', blob: 'mdti/hostpairs.csv', permissions: 'r', expiry: new Date(Date.now() + HOUR), key: 'key1' });
    const k2 = await storage.mintUrl(BASE, { container: 'intel', blob: 'mdti/hostpairs.csv', permissions: 'r', expiry: new Date(Date.now() + HOUR), key: 'key2' });
    expect(await verify(k2)).toMatchObject({ key: 'key2' });
    await storage.rotateKey('key1');
    expect((await refusal(verify(k1))).message).toMatch(/signature does not match/);
    expect(await verify(k2)).toMatchObject({ key: 'key2' });
    const fresh = await storage.mintUrl(BASE, { container: 'intel', blob: 'mdti/hostpairs.csv', permissions: 'r', expiry: new Date(Date.now() + HOUR) });
    expect(await verify(fresh)).toMatchObject({ key: 'key1' });
  });

  it('refuses malformed URLs with a reason, and bad mint options', async () => {
    const url = new URL(await storage.mintUrl(BASE, { container: 'intel', blob: 'mdti/hostpairs.csv', permissions: 'r', expiry: new Date(Date.now() + HOUR) }));
    const noSv = new URL(url);
    noSv.searchParams.delete('sv');
    expect((await refusal(verify(noSv.href))).message).toMatch(/signed version 'sv' is missing/);
    const dup = new URL(url);
    dup.searchParams.append('sp', 'w');
    expect((await refusal(verify(dup.href))).message).toMatch(/more than once/);
    await expect(storage.mintUrl(BASE, { container: 'intel', blob: 'x', permissions: 'rx', expiry: now() })).rejects.toMatchObject({ code: 'core/bad-argument' });
    await expect(storage.mintUrl(BASE, { container: 'intel', blob: 'x', permissions: 'r' })).rejects.toThrow(/needs an expiry/);
    await expect(storage.mintUrl(BASE, { container: 'Bad_Name', blob: 'x', permissions: 'r', expiry: now() })).rejects.toMatchObject({ code: 'blob/bad-name' });
    await expect(storage.mintUrl(BASE, { container: 'intel', blob: 'x', policy: 'nope' })).rejects.toMatchObject({ code: 'blob/not-found' });
  });
});
