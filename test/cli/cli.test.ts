import { beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDataDir } from '../store/temp-dir.js';
import { ensureBuilt, runQuarry, startServe, stderrError } from './quarry-process.js';
import { afterAll } from 'vitest';

beforeAll(() => ensureBuilt(), 180_000);
afterAll(removeTempDirs);

describe('quarry CLI: exit codes', () => {
  it('tables --format json prints the catalog and exits 0', async () => {
    const r = await runQuarry(['tables', '--format', 'json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { tables: { name: string; columns: unknown[] }[] };
    expect(out.tables.map((t) => t.name)).toContain('DeviceNetworkEvents');
    const table = await runQuarry(['tables']);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^TABLE\s+ORIGIN/);
    expect(table.stdout).toMatch(/^DeviceNetworkEvents\s+defender\s+event/m);
  });

  it('exits 2 with a JSON error on stderr for bad input', async () => {
    const cases: [string[], string][] = [
      [['tables', '--format', 'xml'], 'core/bad-argument'],
      [['no-such-command'], 'core/bad-argument'],
      [['tables', '--bogus'], 'core/bad-argument'],
      [['serve', '--port', 'seventy'], 'core/bad-config'],
    ];
    for (const [args, code] of cases) {
      const r = await runQuarry(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(stderrError(r.stderr).code).toBe(code);
    }
  });

  it('exits 0 for --version and --help', async () => {
    const v = await runQuarry(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const h = await runQuarry(['--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('serve');
    expect(h.stdout).toContain('--data');
  });
});

describe('quarry serve', () => {
  it('prints its URL, serves /healthz and exits 0 on SIGTERM', async () => {
    const dir = tempDataDir('quarry-cli-');
    const srv = await startServe(dir);
    const res = await fetch(srv.url + '/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', store: { ok: true } });
    srv.child.kill('SIGTERM');
    expect(await srv.exited).toBe(0);
  });

  it('refuses a data directory another process owns: exit 1, store/locked naming dir and pid', async () => {
    const dir = tempDataDir('quarry-cli-');
    const owner = await startServe(dir);
    try {
      const second = await runQuarry(['serve', '--data', dir, '--port', '0']);
      expect(second.code).toBe(1);
      const err = stderrError(second.stderr);
      expect(err.code).toBe('store/locked');
      expect(err.message).toContain(dir);
      expect(err.details).toMatchObject({ dataDir: dir, pid: owner.pid });
    } finally {
      owner.child.kill('SIGTERM');
      expect(await owner.exited).toBe(0);
    }
    // Released on exit: the next owner opens it.
    const next = await startServe(dir);
    next.child.kill('SIGINT');
    expect(await next.exited).toBe(0);
  });

  it('serve --demo answers /healthz within 30 s on a fresh data directory', async () => {
    const dir = tempDataDir('quarry-cli-');
    const t0 = Date.now();
    const srv = await startServe(dir, ['--demo'], 30_000);
    try {
      const res = await fetch(srv.url + '/healthz');
      expect(res.status).toBe(200);
      expect(Date.now() - t0).toBeLessThan(30_000);
    } finally {
      srv.child.kill('SIGTERM');
      expect(await srv.exited).toBe(0);
    }
  });
});
