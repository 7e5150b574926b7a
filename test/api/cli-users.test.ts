/**
 * First-run bootstrap from the command line, as real child processes: `quarry users add NAME --admin`
 * prints a generated password once, `quarry tokens create` prints a token once, and both work against a
 * server started afterwards on the same data directory. Bad input exits 2 with a JSON error.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openQuarryStore } from '../../src/app/open-store.js';
import { listAudit } from '../../src/auth/audit.js';
import { startServer } from '../../src/api/server.js';
import { resolveConfig } from '../../src/core/config.js';
import { silentLogger } from '../../src/core/log.js';
import { removeTempDirs, tempDataDir } from '../store/temp-dir.js';
import { call } from './harness.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');

function quarry(args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'cli-entry.ts'), ...args], { cwd: repo, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d));
    p.stderr.on('data', (d: Buffer) => (stderr += d));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    p.stdin.end(stdin ?? '');
  });
}

afterAll(removeTempDirs);

describe('quarry users / tokens', () => {
  it('bootstraps an admin and a token that the server then accepts', async () => {
    const dir = tempDataDir('quarry-cli-auth-');
    const add = await quarry(['--data', dir, 'users', 'add', 'boss', '--admin']);
    expect(add.code, add.stderr).toBe(0);
    const user = JSON.parse(add.stdout) as { username: string; role: string; password: string };
    expect(user).toMatchObject({ username: 'boss', role: 'admin' });
    expect(user.password).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(add.stderr).toContain('shown once');

    const tok = await quarry(['--data', dir, 'tokens', 'create', '--user', 'boss', '--name', 'ci', '--scopes', 'hunt,users', '--expires', 'P30D']);
    expect(tok.code, tok.stderr).toBe(0);
    const token = JSON.parse(tok.stdout) as { token: string; scopes: string[]; expiresAt: string };
    expect(token.scopes).toEqual(['hunt', 'users']);
    expect(Date.parse(token.expiresAt)).toBeGreaterThan(Date.now() + 29 * 86_400_000);

    const dup = await quarry(['--data', dir, 'users', 'add', 'boss']);
    expect(dup.code).toBe(2);
    expect(JSON.parse(dup.stderr.trim().split('\n').pop()!)).toMatchObject({ code: 'auth/user-exists' });
    const weak = await quarry(['--data', dir, 'users', 'add', 'pat', '--password-stdin'], 'short\n');
    expect(weak.code).toBe(2);
    expect(weak.stderr).toContain('auth/weak-password');

    const store = await openQuarryStore(dir);
    try {
      expect((await listAudit(store)).map((e) => e.action).sort()).toEqual(['tokens.create', 'users.add']);
      const server = await startServer({ store, config: resolveConfig({ data: dir, host: '127.0.0.1', port: 0 }, {}), logger: silentLogger });
      try {
        const users = await call(server.url, 'GET', '/api/users', { token: token.token });
        expect(users.status).toBe(200);
        expect(users.json.users.map((u: { username: string }) => u.username)).toEqual(['boss']);
        const login = await call(server.url, 'POST', '/api/auth/login', { body: { username: 'boss', password: user.password } });
        expect(login.status).toBe(200);
      } finally {
        await server.close();
      }
    } finally {
      await store.close();
    }
  }, 60_000);
});
