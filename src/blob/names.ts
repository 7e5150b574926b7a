/**
 * Container and blob names, checked against Azure Blob Storage's naming rules, and the on-disk layout.
 * Blob content and metadata live under a SHA-256 of the blob name, never under the name itself, so no
 * name (`..`, `/`, NUL, a drive letter, a long Unicode string) can reach outside its container directory.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { QuarryError } from '../core/errors.js';

/** Azure: 3–63 characters, lowercase letters, digits and single hyphens, starting and ending with a letter or digit. */
const CONTAINER_RE = /^[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9]$/;

export function checkContainerName(name: string): string {
  if (!CONTAINER_RE.test(name)) {
    throw new QuarryError('blob/bad-name', `'${name.slice(0, 80)}' is not a valid container name`, {
      hints: ['use 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit'],
      details: { azureCode: 'InvalidResourceName' },
    });
  }
  return name;
}

/**
 * Azure allows 1–1024 characters. Quarry also refuses what makes a name ambiguous as a path: control
 * characters, backslashes, empty, `.` or `..` segments, a leading or trailing slash.
 */
export function checkBlobName(name: string): string {
  const bad = (why: string) =>
    new QuarryError('blob/bad-name', `'${name.slice(0, 80)}' is not a valid blob name: ${why}`, { details: { azureCode: 'InvalidResourceName' } });
  if (name.length === 0 || name.length > 1024) throw bad('it must have 1 to 1024 characters');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(name)) throw bad('control characters and backslashes are not allowed');
  const segments = name.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) throw bad("empty, '.' and '..' path segments are not allowed");
  return name;
}

export interface StorageLayout {
  readonly root: string;
  readonly keysFile: string;
  containerDir(container: string): string;
  /** Directory holding blob content files (`<hash>.<etag>`) and temp files of uploads in progress. */
  dataDir(container: string): string;
  metaDir(container: string): string;
  metaFile(container: string, blob: string): string;
  policiesFile(container: string): string;
}

export function blobKey(blob: string): string {
  return createHash('sha256').update(blob, 'utf8').digest('hex');
}

export function storageLayout(dataDir: string): StorageLayout {
  const root = path.join(path.resolve(dataDir), 'storage');
  const containerDir = (c: string) => path.join(root, 'containers', checkContainerName(c));
  return {
    root,
    keysFile: path.join(root, 'account-keys.json'),
    containerDir,
    dataDir: (c) => path.join(containerDir(c), 'data'),
    metaDir: (c) => path.join(containerDir(c), 'meta'),
    metaFile: (c, b) => path.join(containerDir(c), 'meta', `${blobKey(checkBlobName(b))}.json`),
    policiesFile: (c) => path.join(containerDir(c), 'policies.json'),
  };
}
