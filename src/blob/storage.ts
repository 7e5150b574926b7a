/**
 * The storage service the API, the CLI and the `externaldata` fetcher share: blobs, account keys,
 * stored access policies, minting signed URLs and authorizing requests that carry one.
 */
import { QuarryError } from '../core/errors.js';
import { loadAccountKeys, rotateAccountKey, type AccountKeys, type KeyName } from './account-keys.js';
import { openBlobStore, type BlobStore } from './blob-store.js';
import { checkBlobName, checkContainerName } from './names.js';
import { deletePolicy, listPolicies, setPolicy, type AccessPolicy } from './policies.js';
import { mintSas, verifySas, type MintOptions, type SasGrant, type SasRequest } from './sas.js';

export interface Storage {
  readonly blobs: BlobStore;
  keys(): Promise<AccountKeys>;
  rotateKey(name: KeyName): Promise<void>;
  listPolicies(container: string): Promise<AccessPolicy[]>;
  setPolicy(container: string, policy: AccessPolicy): Promise<AccessPolicy>;
  deletePolicy(container: string, id: string): Promise<void>;
  /** A full signed URL under `baseUrl` (`http(s)://host[:port]`). */
  mintUrl(baseUrl: string, opts: MintOptions): Promise<string>;
  /** Verifies a request's SAS parameters (keys are re-read so a rotation elsewhere applies at once). */
  authorize(req: SasRequest): Promise<SasGrant>;
}

/** `/storage/<container>[/<blob>]` with each blob path segment percent-encoded. */
export function storagePath(container: string, blob?: string): string {
  checkContainerName(container);
  if (blob === undefined) return `/storage/${container}`;
  return `/storage/${container}/${checkBlobName(blob).split('/').map(encodeURIComponent).join('/')}`;
}

/** The container and blob a `/storage/...` path names (`undefined` for other paths). */
export function parseStoragePath(pathname: string): { container: string; blob?: string } | undefined {
  const m = /^\/storage\/([^/]+)(?:\/(.+))?$/.exec(pathname);
  if (!m) return undefined;
  try {
    const container = decodeURIComponent(m[1]!);
    const blob = m[2] !== undefined ? m[2].split('/').map(decodeURIComponent).join('/') : undefined;
    return blob !== undefined ? { container, blob } : { container };
  } catch {
    throw new QuarryError('blob/bad-name', `'${pathname.slice(0, 120)}' is not a valid storage path (bad percent-encoding)`);
  }
}

export function openStorage(dataDir: string): Storage {
  const blobs = openBlobStore(dataDir);
  const layout = blobs.layout;
  const keys = () => loadAccountKeys(layout.keysFile);
  async function requireContainer(c: string): Promise<void> {
    if (!(await blobs.containerExists(c))) {
      throw new QuarryError('blob/not-found', `container '${c}' does not exist`, { details: { azureCode: 'ContainerNotFound' } });
    }
  }
  return {
    blobs,
    keys,
    async rotateKey(name) {
      await rotateAccountKey(layout.keysFile, name);
    },
    async listPolicies(container) {
      await requireContainer(container);
      return listPolicies(layout, container);
    },
    async setPolicy(container, policy) {
      await requireContainer(container);
      return setPolicy(layout, container, policy);
    },
    async deletePolicy(container, id) {
      await requireContainer(container);
      return deletePolicy(layout, container, id);
    },
    async mintUrl(baseUrl, opts) {
      if (opts.policy) {
        const p = (await listPolicies(layout, opts.container)).find((x) => x.id === opts.policy);
        if (!p) throw new QuarryError('blob/not-found', `container '${opts.container}' has no stored access policy '${opts.policy}'`);
      }
      const qs = mintSas(await keys(), opts);
      return `${baseUrl.replace(/\/+$/, '')}${storagePath(opts.container, opts.blob)}?${qs.toString()}`;
    },
    async authorize(req) {
      return verifySas(layout, await keys(), req);
    },
  };
}
