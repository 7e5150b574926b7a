/**
 * Storage settings from the environment (the lead may fold these into `QuarryConfig` later):
 * - `QUARRY_BLOB_MAX_BYTES`: largest blob accepted (default 100 MB, as MDTI's externaldata cap);
 * - `QUARRY_PUBLIC_URL`: the base URL minted signed URLs start with (default `http://<host>:<port>`);
 * - `QUARRY_EXTERNALDATA_ALLOW_HOSTS`: comma-separated names, IPs or CIDR ranges that `externaldata`
 *   may fetch although they are private, loopback or link-local.
 */
import { QuarryError } from '../core/errors.js';
import { DEFAULT_MAX_BLOB_BYTES } from './blob-store.js';

export interface StorageSettings {
  readonly maxBlobBytes: number;
  /** Without a trailing slash. */
  readonly publicUrl: string;
  readonly allowHosts: readonly string[];
}

export function storageSettings(config: { host: string; port: number }, env: NodeJS.ProcessEnv = process.env): StorageSettings {
  let maxBlobBytes = DEFAULT_MAX_BLOB_BYTES;
  if (env.QUARRY_BLOB_MAX_BYTES !== undefined) {
    maxBlobBytes = Number(env.QUARRY_BLOB_MAX_BYTES);
    if (!Number.isInteger(maxBlobBytes) || maxBlobBytes <= 0) {
      throw new QuarryError('core/bad-config', `QUARRY_BLOB_MAX_BYTES: expected a positive whole number of bytes, got '${env.QUARRY_BLOB_MAX_BYTES}'`);
    }
  }
  const host = config.host.includes(':') ? `[${config.host}]` : config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  const publicUrl = (env.QUARRY_PUBLIC_URL || `http://${host}:${config.port}`).replace(/\/+$/, '');
  try {
    const u = new URL(publicUrl);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http(s)');
  } catch {
    throw new QuarryError('core/bad-config', `QUARRY_PUBLIC_URL: '${publicUrl}' is not an http(s) URL`);
  }
  const allowHosts = (env.QUARRY_EXTERNALDATA_ALLOW_HOSTS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return { maxBlobBytes, publicUrl, allowHosts };
}
