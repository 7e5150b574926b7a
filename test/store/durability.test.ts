/**
 * Acknowledged writes survive the end of the server process: a graceful SIGTERM (checkpoint on close) and a
 * SIGKILL (no shutdown at all: DuckDB replays its WAL on the next open).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuarryError } from '../../src/core/errors.js';
import { openStore } from '../../src/store/duckdb/open-store.js';
import { openQuarryStore } from '../../src/app/open-store.js';
import { createToken } from '../../src/auth/tokens.js';
import { createUser } from '../../src/auth/users.js';
import { ensureBuilt, runQuarry, startServe, stderrError } from '../cli/quarry-process.js';
import { removeTempDirs, tempDataDir } from './temp-dir.js';

beforeAll(() => ensureBuilt(), 180_000);
afterAll(removeTempDirs);

async function ingestBatches(url: string, token: string, batches: number, perBatch: number): Promise<number> {
  let acknowledged = 0;
  for (let b = 0; b < batches; b++) {
    const lines = Array.from({ length: perBatch }, (_, i) =>
      JSON.stringify({ Timestamp: new Date(Date.UTC(2024, 0, 1) + (b * perBatch + i) * 1000).toISOString(), DeviceName: `host-${b}-${i}`, RemotePort: i }),
    );
    // One row with an integer beyond 2^53 per batch, written as raw JSON digits.
    lines.push(`{"Timestamp":"2024-01-02T00:00:00Z","DeviceName":"big-${b}","InitiatingProcessId":9007199254740993}`);
    const res = await fetch(`${url}/api/ingest/DeviceNetworkEvents`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${token}` },
      body: lines.join('\n'),
    });
    expect(res.status).toBe(200);
    acknowledged += ((await res.json()) as { accepted: number }).accepted;
  }
  return acknowledged;
}

async function storedRows(dir: string): Promise<{ count: bigint; big: bigint }> {
  const store = await openStore(dir);
  try {
    const r = await store.query('SELECT count(*), count(*) FILTER (WHERE "InitiatingProcessId" = 9007199254740993) FROM "DeviceNetworkEvents"');
    return { count: r.rows[0]![0] as bigint, big: r.rows[0]![1] as bigint };
  } finally {
    await store.close();
  }
}

describe('durability of acknowledged appends', () => {
  it.each([
    ['SIGTERM', 0],
    ['SIGKILL', 'SIGKILL'],
  ] as const)('a restart after %s sees every acknowledged row', async (signal, expectedExit) => {
    const dir = tempDataDir('quarry-durable-');
    // The server requires credentials: an analyst with a token, created before the server owns the store.
    const setup = await openQuarryStore(dir);
    let token: string;
    try {
      await createUser(setup, { username: 'sender', password: 'correct horse battery staple 42', role: 'analyst' });
      token = (await createToken(setup, { username: 'sender', name: 'durability' })).token;
    } finally {
      await setup.close();
    }
    const srv = await startServe(dir);
    const acknowledged = await ingestBatches(srv.url, token, 20, 250);
    expect(acknowledged).toBe(20 * 251);
    srv.child.kill(signal);
    expect(await srv.exited).toBe(expectedExit);
    // SIGTERM checkpoints on close (no WAL left); SIGKILL leaves the committed rows only in the WAL.
    expect(fs.existsSync(path.join(dir, 'quarry.duckdb.wal'))).toBe(signal === 'SIGKILL');
    const after = await storedRows(dir);
    expect(after.count).toBe(BigInt(acknowledged));
    expect(after.big).toBe(20n);
  });
});

describe('ownership across processes', () => {
  it('a server cannot start on a directory this process holds open', async () => {
    const dir = tempDataDir('quarry-durable-');
    const store = await openStore(dir, { tables: [] });
    try {
      const r = await runQuarry(['serve', '--data', dir, '--port', '0']);
      expect(r.code).toBe(1);
      const err = stderrError(r.stderr);
      expect(err.code).toBe('store/locked');
      expect(err.details).toMatchObject({ pid: process.pid });
    } finally {
      await store.close();
    }
  });

  it('this process gets store/locked while a server owns the directory', async () => {
    const dir = tempDataDir('quarry-durable-');
    const srv = await startServe(dir);
    try {
      const e = await openStore(dir).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(QuarryError);
      expect((e as QuarryError).code).toBe('store/locked');
      expect((e as QuarryError).message).toContain(`process ${srv.pid}`);
    } finally {
      srv.child.kill('SIGTERM');
      await srv.exited;
    }
  });
});
