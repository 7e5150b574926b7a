/**
 * The blob store on a real temp data dir: metadata (size, type, MD5, etag, created), atomic overwrite,
 * the size cap leaving nothing behind, and names that cannot escape their container.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBlobStore, type BlobStore } from '../../src/blob/blob-store.js';
import { removeTempDirs, tempDataDir } from '../store/temp-dir.js';

let dir: string;
let blobs: BlobStore;

beforeAll(async () => {
  dir = tempDataDir('quarry-blobs-');
  blobs = openBlobStore(dir);
  await blobs.createContainer('intel');
});
afterAll(() => removeTempDirs());

/** Every file under the container (content, metadata, temp files). */
function filesOf(container: string): string[] {
  const root = path.join(dir, 'storage', 'containers', container);
  return fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.join(d.parentPath, d.name));
}

async function readAll(s: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

describe('blob store', () => {
  it('stores a blob with size, content type, MD5, etag and times, and reads it back', async () => {
    const text = 'parentHostname,childHostname\ndancevida.com,www.dancevida.com\n';
    const m = await blobs.putBlob('intel', 'mdti/hostpairs.csv', text, { contentType: 'text/csv' });
    expect(m).toMatchObject({ container: 'intel', name: 'mdti/hostpairs.csv', size: Buffer.byteLength(text), contentType: 'text/csv' });
    expect(m.md5).toBe(createHash('md5').update(text).digest('base64'));
    expect(m.etag).toMatch(/^"0x[0-9A-F]+"$/);
    expect(m.created).toBe(m.lastModified);
    const { meta, stream } = await blobs.openBlob('intel', 'mdti/hostpairs.csv');
    expect(meta.etag).toBe(m.etag);
    expect(await readAll(stream)).toBe(text);
    expect((await blobs.listBlobs('intel')).map((b) => b.name)).toEqual(['mdti/hostpairs.csv']);
    expect(await blobs.listBlobs('intel', 'other/')).toEqual([]);
  });

  it('overwrites atomically: new etag and content, same created time, old content file removed', async () => {
    const first = await blobs.putBlob('intel', 'a.txt', 'one');
    await new Promise((r) => setTimeout(r, 5));
    const second = await blobs.putBlob('intel', 'a.txt', Readable.from([Buffer.from('tw'), Buffer.from('o!')]));
    expect(second.etag).not.toBe(first.etag);
    expect(second.created).toBe(first.created);
    expect(second.size).toBe(4);
    expect(await readAll((await blobs.openBlob('intel', 'a.txt')).stream)).toBe('two!');
    expect(fs.existsSync(blobs.contentPath(first))).toBe(false);
    expect(fs.existsSync(blobs.contentPath(second))).toBe(true);
  });

  it('refuses a blob over the cap and leaves nothing: no blob, no temp file, the old version intact', async () => {
    const before = filesOf('intel').sort();
    const chunks = Array.from({ length: 11 }, () => Buffer.alloc(1024, 120));
    await expect(blobs.putBlob('intel', 'big.bin', Readable.from(chunks), { maxBytes: 10 * 1024 })).rejects.toMatchObject({ code: 'core/too-large' });
    await expect(blobs.statBlob('intel', 'big.bin')).rejects.toMatchObject({ code: 'blob/not-found', details: { azureCode: 'BlobNotFound' } });
    // Over the cap on an existing name: the previous content stays.
    await expect(blobs.putBlob('intel', 'a.txt', Readable.from(chunks), { maxBytes: 10 * 1024 })).rejects.toMatchObject({ code: 'core/too-large' });
    expect(await readAll((await blobs.openBlob('intel', 'a.txt')).stream)).toBe('two!');
    expect(filesOf('intel').sort()).toEqual(before);
  });

  it('a failing source stream leaves nothing half-written', async () => {
    const before = filesOf('intel').sort();
    async function* broken() {
      yield Buffer.from('partial data');
      throw new Error('client went away');
    }
    await expect(blobs.putBlob('intel', 'broken.csv', broken())).rejects.toThrow(/client went away/);
    expect(filesOf('intel').sort()).toEqual(before);
  });

  it('rejects names that could be paths out of the container; odd but valid names stay inside', async () => {
    for (const bad of ['../escape', 'a/../../x', '/abs', 'a//b', 'a\\b', '', 'x'.repeat(1025), 'nul\u0000']) {
      await expect(blobs.putBlob('intel', bad, 'x')).rejects.toMatchObject({ code: 'blob/bad-name' });
    }
    for (const bad of ['..', 'UPPER', 'a', 'a--b', '-ab', 'a_b', '../x']) {
      await expect(blobs.createContainer(bad)).rejects.toMatchObject({ code: 'blob/bad-name' });
    }
    const m = await blobs.putBlob('intel', 'dir/…/ünïcode ;%2e%2e.csv', 'ok');
    expect(path.dirname(blobs.contentPath(m))).toBe(path.join(dir, 'storage', 'containers', 'intel', 'data'));
    expect(fs.readdirSync(path.join(dir, 'storage', 'containers'))).toEqual(['intel']);
  });

  it('missing container and blob are 404s with Azure codes; delete removes content and metadata', async () => {
    await expect(blobs.putBlob('nocontainer', 'x', 'x')).rejects.toMatchObject({ code: 'blob/not-found', details: { azureCode: 'ContainerNotFound' } });
    await expect(blobs.openBlob('intel', 'nope.csv')).rejects.toMatchObject({ code: 'blob/not-found' });
    const m = await blobs.putBlob('intel', 'gone.csv', 'bye');
    await blobs.deleteBlob('intel', 'gone.csv');
    expect(fs.existsSync(blobs.contentPath(m))).toBe(false);
    await expect(blobs.deleteBlob('intel', 'gone.csv')).rejects.toMatchObject({ code: 'blob/not-found' });
    await blobs.createContainer('scratch');
    await expect(blobs.createContainer('scratch')).rejects.toMatchObject({ code: 'blob/exists' });
    await blobs.deleteContainer('scratch');
    expect(await blobs.listContainers()).toEqual(['intel']);
  });
});
