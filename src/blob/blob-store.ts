/**
 * Containers and blobs under `<data>/storage/containers/<container>/`. Uploads stream into a temp file
 * (MD5 and size counted on the way, the size cap enforced before the next chunk is written), which is
 * fsynced and renamed to a content file named after the new etag; writing the metadata file (atomically)
 * is the commit point. A failed or oversized upload leaves no trace; an overwrite replaces the blob at
 * once, and readers holding the old content file keep reading it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { QuarryError } from '../core/errors.js';
import { syncDir, tempName, writeFileAtomic } from './atomic-file.js';
import { blobKey, checkBlobName, checkContainerName, storageLayout, type StorageLayout } from './names.js';

export const DEFAULT_MAX_BLOB_BYTES = 100 * 1024 * 1024;

export interface BlobMeta {
  readonly container: string;
  readonly name: string;
  readonly size: number;
  readonly contentType: string;
  /** Base64 MD5 of the content, as Azure's `Content-MD5`. */
  readonly md5: string;
  /** Quoted, as sent in the `ETag` header. */
  readonly etag: string;
  readonly created: string;
  readonly lastModified: string;
  /** Content file name inside the container's data directory. */
  readonly file: string;
}

export interface PutOptions {
  readonly contentType?: string;
  readonly maxBytes?: number;
}

export interface BlobStore {
  readonly layout: StorageLayout;
  createContainer(name: string, opts?: { ifMissing?: boolean }): Promise<{ created: boolean }>;
  deleteContainer(name: string): Promise<void>;
  containerExists(name: string): Promise<boolean>;
  listContainers(): Promise<string[]>;
  putBlob(container: string, name: string, body: Readable | AsyncIterable<Uint8Array> | Uint8Array | string, opts?: PutOptions): Promise<BlobMeta>;
  /** Metadata, or a `blob/not-found` error (Azure `BlobNotFound` / `ContainerNotFound`). */
  statBlob(container: string, name: string): Promise<BlobMeta>;
  /** Absolute path of the blob's current content file (stable while read: overwrites make new files). */
  contentPath(meta: BlobMeta): string;
  openBlob(container: string, name: string): Promise<{ meta: BlobMeta; stream: Readable }>;
  listBlobs(container: string, prefix?: string): Promise<BlobMeta[]>;
  deleteBlob(container: string, name: string): Promise<void>;
}

function notFound(what: 'container' | 'blob', container: string, name?: string): QuarryError {
  return what === 'container'
    ? new QuarryError('blob/not-found', `container '${container}' does not exist`, { details: { azureCode: 'ContainerNotFound' } })
    : new QuarryError('blob/not-found', `blob '${name}' does not exist in container '${container}'`, { details: { azureCode: 'BlobNotFound' } });
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

async function* chunksOf(body: Readable | AsyncIterable<Uint8Array> | Uint8Array | string): AsyncIterable<Uint8Array> {
  if (typeof body === 'string') yield Buffer.from(body, 'utf8');
  else if (body instanceof Uint8Array) yield body;
  else for await (const c of body as AsyncIterable<Uint8Array | string>) yield typeof c === 'string' ? Buffer.from(c) : c;
}

function newEtag(): string {
  // Azure etags look like "0x8DB4C2A1F2E3D4C"; ours: time in hex plus randomness, unique per write.
  return `0x${Date.now().toString(16).toUpperCase()}${randomBytes(4).toString('hex').toUpperCase()}`;
}

export function openBlobStore(dataDir: string): BlobStore {
  const layout = storageLayout(dataDir);

  async function requireContainer(c: string): Promise<void> {
    if (!(await isDir(layout.containerDir(c)))) throw notFound('container', c);
  }

  async function readMeta(c: string, b: string): Promise<BlobMeta | undefined> {
    try {
      return JSON.parse(await readFile(layout.metaFile(c, b), 'utf8')) as BlobMeta;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  const store: BlobStore = {
    layout,

    async createContainer(name, opts = {}) {
      const dir = layout.containerDir(name);
      if (await isDir(dir)) {
        if (opts.ifMissing) return { created: false };
        throw new QuarryError('blob/exists', `container '${name}' already exists`, { details: { azureCode: 'ContainerAlreadyExists' } });
      }
      await mkdir(path.join(dir, 'data'), { recursive: true });
      await mkdir(path.join(dir, 'meta'), { recursive: true });
      await syncDir(path.dirname(dir));
      return { created: true };
    },

    async deleteContainer(name) {
      const dir = layout.containerDir(name);
      if (!(await isDir(dir))) throw notFound('container', name);
      // Rename first so the container disappears at once, then remove the content.
      const doomed = path.join(layout.root, `.deleted-${name}-${randomBytes(4).toString('hex')}`);
      await rename(dir, doomed);
      await rm(doomed, { recursive: true, force: true });
    },

    async containerExists(name) {
      return isDir(layout.containerDir(name));
    },

    async listContainers() {
      try {
        const names = await readdir(path.join(layout.root, 'containers'));
        return names.filter((n) => !n.startsWith('.')).sort();
      } catch {
        return [];
      }
    },

    async putBlob(container, name, body, opts = {}) {
      checkContainerName(container);
      checkBlobName(name);
      await requireContainer(container);
      const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BLOB_BYTES;
      const dataDir = layout.dataDir(container);
      const tmp = tempName(dataDir);
      const md5 = createHash('md5');
      let size = 0;
      const etag = newEtag();
      const file = `${blobKey(name)}.${etag}`;
      const target = path.join(dataDir, file);
      try {
        const fh = await open(tmp, 'wx', 0o644);
        try {
          for await (const chunk of chunksOf(body)) {
            size += chunk.byteLength;
            if (size > maxBytes) {
              throw new QuarryError('core/too-large', `blob '${name}' is larger than the limit of ${maxBytes} bytes; nothing was stored`, {
                details: { azureCode: 'RequestBodyTooLarge', maxBytes },
              });
            }
            md5.update(chunk);
            await fh.write(chunk);
          }
          await fh.sync();
        } finally {
          await fh.close();
        }
        await rename(tmp, target);
        await syncDir(dataDir);
        const previous = await readMeta(container, name);
        const now = new Date().toISOString();
        const meta: BlobMeta = {
          container, name, size,
          contentType: opts.contentType?.trim() || 'application/octet-stream',
          md5: md5.digest('base64'),
          etag: `"${etag}"`,
          created: previous?.created ?? now,
          lastModified: now,
          file,
        };
        await writeFileAtomic(layout.metaFile(container, name), JSON.stringify(meta) + '\n');
        if (previous && previous.file !== file) await rm(path.join(dataDir, previous.file), { force: true });
        return meta;
      } catch (e) {
        await rm(tmp, { force: true });
        // The content file is only referenced once the metadata is written; if that failed, drop it.
        const current = await readMeta(container, name).catch(() => undefined);
        if (current?.file !== file) await rm(target, { force: true });
        throw e;
      }
    },

    async statBlob(container, name) {
      checkContainerName(container);
      checkBlobName(name);
      await requireContainer(container);
      const meta = await readMeta(container, name);
      if (!meta) throw notFound('blob', container, name);
      return meta;
    },

    contentPath(meta) {
      return path.join(layout.dataDir(meta.container), path.basename(meta.file));
    },

    async openBlob(container, name) {
      // Content files are never rewritten in place; if an overwrite removed ours between stat and
      // open, the new metadata names the new file.
      for (let attempt = 0; ; attempt++) {
        const meta = await store.statBlob(container, name);
        try {
          const fh = await open(store.contentPath(meta), 'r');
          return { meta, stream: fh.createReadStream() };
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 2) throw e;
        }
      }
    },

    async listBlobs(container, prefix = '') {
      await requireContainer(container);
      const dir = layout.metaDir(container);
      const out: BlobMeta[] = [];
      for (const f of await readdir(dir)) {
        if (!f.endsWith('.json')) continue;
        try {
          const m = JSON.parse(await readFile(path.join(dir, f), 'utf8')) as BlobMeta;
          if (m.name.startsWith(prefix)) out.push(m);
        } catch {
          // deleted while listing
        }
      }
      return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    },

    async deleteBlob(container, name) {
      const meta = await store.statBlob(container, name);
      await rm(layout.metaFile(container, name), { force: true });
      await syncDir(layout.metaDir(container));
      await rm(store.contentPath(meta), { force: true });
    },
  };
  return store;
}
