/**
 * Crash-safe file writes: write a temp file in the target directory, fsync it, rename it over the target,
 * fsync the directory. A reader sees the old content or the new, never a torn file.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

export function tempName(dir: string): string {
  return path.join(dir, `.tmp-${process.pid}-${randomBytes(8).toString('hex')}`);
}

/** fsync a directory so a rename inside it survives a crash (a no-op where directories cannot be opened). */
export async function syncDir(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch {
    // Windows and some file systems refuse fsync on directories; the rename is still atomic there.
  } finally {
    await fh?.close();
  }
}

export async function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true });
  const tmp = tempName(dir);
  try {
    const fh = await open(tmp, 'wx', mode);
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  await syncDir(dir);
}
