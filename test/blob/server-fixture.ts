/**
 * A real Quarry server on 127.0.0.1 (port 0) over a temp data dir, with an admin API token for
 * account-level storage calls (signed URLs need none).
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { openQuarryStore } from '../../src/app/open-store.js';
import { startServer, type RunningServer } from '../../src/api/server.js';
import { createToken } from '../../src/auth/tokens.js';
import { createUser } from '../../src/auth/users.js';
import { resolveConfig } from '../../src/core/config.js';
import type { Store } from '../../src/store/store.js';
import { tempDataDir } from '../store/temp-dir.js';

export interface Fixture {
  readonly dir: string;
  readonly store: Store;
  readonly server: RunningServer;
  /** Everything the server logged, as text. */
  readonly logs: () => string;
  /** fetch against the server; `auth: false` sends no token. */
  call(method: string, path: string, init?: { body?: BodyInit; headers?: Record<string, string>; auth?: boolean }): Promise<{ status: number; headers: Headers; text: string; json: any }>;
  close(): Promise<void>;
}

export async function startFixture(opts: { prepare?: (store: Store, dir: string) => Promise<void> } = {}): Promise<Fixture> {
  const dir = tempDataDir('quarry-storage-');
  const store = await openQuarryStore(dir);
  await opts.prepare?.(store, dir);
  let logText = '';
  const sink = new Writable({ write(chunk, _e, cb) { logText += chunk.toString(); cb(); } });
  const logger = pino({ level: 'info' }, sink);
  const config = resolveConfig({ data: dir, host: '127.0.0.1', port: 0 }, {});
  const server = await startServer({ store, config, logger });
  await createUser(store, { username: 'analyst1', password: 'correct-horse-battery-staple-42', role: 'admin' });
  const { token } = await createToken(store, { username: 'analyst1', name: 'storage-tests' });
  return {
    dir, store, server,
    logs: () => logText,
    async call(method, path, init = {}) {
      const headers: Record<string, string> = { ...(init.auth === false ? {} : { authorization: `Bearer ${token}` }), ...(init.headers ?? {}) };
      const res = await fetch(path.startsWith('http') ? path : server.url + path, { method, headers, ...(init.body !== undefined ? { body: init.body, duplex: 'half' } : {}) } as RequestInit);
      const text = await res.text();
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      return { status: res.status, headers: res.headers, text, json };
    },
    async close() {
      await server.close();
      await store.close();
    },
  };
}
