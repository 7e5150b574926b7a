/**
 * A real Quarry server for API tests: a fresh data directory, the application store (all migrations), one
 * user and one API token per role, listening on 127.0.0.1 with a random port.
 */
import { openQuarryStore } from '../../src/app/open-store.js';
import type { Role } from '../../src/auth/roles.js';
import { createToken } from '../../src/auth/tokens.js';
import { createUser } from '../../src/auth/users.js';
import { resolveConfig } from '../../src/core/config.js';
import { silentLogger, type Logger } from '../../src/core/log.js';
import type { AuthOptions } from '../../src/api/plugins/auth.js';
import { startServer, type RunningServer } from '../../src/api/server.js';
import type { Store } from '../../src/store/store.js';
import { removeTempDirs, tempDataDir } from '../store/temp-dir.js';

export const PASSWORD = 'correct horse battery staple';

export interface ApiHarness {
  readonly store: Store;
  readonly server: RunningServer;
  readonly url: string;
  /** Bearer tokens with full scope, one per role. */
  readonly tokens: Record<Role, string>;
  close(): Promise<void>;
}

export async function startHarness(opts: { auth?: AuthOptions; bodyLimit?: number; logger?: Logger } = {}): Promise<ApiHarness> {
  const dir = tempDataDir('quarry-api-');
  const store = await openQuarryStore(dir);
  const tokens = {} as Record<Role, string>;
  for (const role of ['reader', 'analyst', 'admin'] as const) {
    await createUser(store, { username: `${role}-user`, password: PASSWORD, role });
    tokens[role] = (await createToken(store, { username: `${role}-user`, name: `${role} test token` })).token;
  }
  const config = resolveConfig({ data: dir, host: '127.0.0.1', port: 0, ...(opts.bodyLimit ? { bodyLimit: opts.bodyLimit } : {}) }, {});
  const server = await startServer({ store, config, logger: opts.logger ?? silentLogger, ...(opts.auth ? { auth: opts.auth } : {}) });
  return {
    store, server, url: server.url, tokens,
    async close() {
      await server.close();
      await store.close();
      removeTempDirs();
    },
  };
}

export interface CallResult {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly json: any;
}

export async function call(
  base: string, method: string, path: string,
  opts: { token?: string; body?: unknown; raw?: string; contentType?: string; headers?: Record<string, string> } = {},
): Promise<CallResult> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.raw !== undefined) body = opts.raw;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined) headers['content-type'] = opts.contentType ?? 'application/json';
  const res = await fetch(base + path, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}
