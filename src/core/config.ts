/**
 * Configuration: flags override environment (`QUARRY_*`), which overrides defaults.
 */
import path from 'node:path';
import { QuarryError } from './errors.js';

export interface QuarryConfig {
  /** Data directory holding the DuckDB file, blobs and keys. */
  readonly dataDir: string;
  readonly host: string;
  readonly port: number;
  readonly logLevel: string;
  /** Largest accepted HTTP request body, bytes. */
  readonly bodyLimit: number;
}

export const defaults: QuarryConfig = {
  dataDir: './.quarry',
  host: '127.0.0.1',
  port: 7070,
  logLevel: 'info',
  bodyLimit: 16 * 1024 * 1024,
};

export interface ConfigFlags {
  data?: string;
  host?: string;
  port?: string | number;
  logLevel?: string;
  bodyLimit?: string | number;
}

function parsePort(v: string | number, source: string): number {
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new QuarryError('core/bad-config', `${source}: port must be an integer 0-65535, got '${v}'`);
  }
  return n;
}

function parsePositive(v: string | number, source: string): number {
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new QuarryError('core/bad-config', `${source}: expected a positive number, got '${v}'`);
  return n;
}

export function resolveConfig(flags: ConfigFlags = {}, env: NodeJS.ProcessEnv = process.env): QuarryConfig {
  const dataDir = flags.data ?? env.QUARRY_DATA ?? defaults.dataDir;
  const port = flags.port !== undefined ? parsePort(flags.port, '--port')
    : env.QUARRY_PORT !== undefined ? parsePort(env.QUARRY_PORT, 'QUARRY_PORT') : defaults.port;
  const bodyLimit = flags.bodyLimit !== undefined ? parsePositive(flags.bodyLimit, '--body-limit')
    : env.QUARRY_BODY_LIMIT !== undefined ? parsePositive(env.QUARRY_BODY_LIMIT, 'QUARRY_BODY_LIMIT') : defaults.bodyLimit;
  return {
    dataDir: path.resolve(dataDir),
    host: flags.host ?? env.QUARRY_HOST ?? defaults.host,
    port,
    logLevel: flags.logLevel ?? env.QUARRY_LOG_LEVEL ?? defaults.logLevel,
    bodyLimit,
  };
}
