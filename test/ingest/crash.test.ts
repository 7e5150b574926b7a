/**
 * `kill -9` of a real server (`node bin/quarry.js serve`, built with `npm run build`) in the middle of a large
 * HTTP ingest: after restart every acknowledged batch is present in full, no batch is partly visible, and the
 * sender's retry of everything unacknowledged completes without duplicates.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openQuarryStore } from '../../src/app/open-store.js';
import { createToken } from '../../src/auth/tokens.js';
import { createUser } from '../../src/auth/users.js';
import { startServe } from '../cli/quarry-process.js';
import { ensureIngestBuilt, networkRow, removeTempDirs, tempDir } from './helpers.js';

beforeAll(() => ensureIngestBuilt(), 240_000);
afterAll(removeTempDirs);

const BATCHES = 80;
const PER_BATCH = 2_000;
const SENDERS = 4;

function batchBody(b: number): string {
  return Array.from({ length: PER_BATCH }, (_, i) => JSON.stringify({ ...networkRow(b * PER_BATCH + i), DeviceName: `crash-${b}`, InitiatingProcessCommandLine: 'y'.repeat(120) })).join('\n');
}

async function send(url: string, token: string, b: number): Promise<{ accepted: number; duplicate: number }> {
  const res = await fetch(`${url}/api/ingest/DeviceNetworkEvents`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${token}`, 'x-batch-id': `crash-run/${b}` },
    body: batchBody(b),
  });
  if (res.status !== 200) throw new Error(`batch ${b}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as { accepted: number; duplicate: number };
}

async function batchCounts(dir: string): Promise<Map<number, number>> {
  const store = await openQuarryStore(dir);
  try {
    const r = await store.query(`SELECT DeviceName, count(*) FROM DeviceNetworkEvents WHERE DeviceName LIKE 'crash-%' GROUP BY 1`);
    return new Map(r.rows.map((row) => [Number(String(row[0]).slice(6)), Number(row[1])]));
  } finally {
    await store.close();
  }
}

describe('kill -9 during a large HTTP ingest', () => {
  it('keeps every acknowledged batch, shows no partial batch, and the retry completes without duplicates', async () => {
    const dir = path.join(tempDir('quarry-crash-'), 'data');
    const setup = await openQuarryStore(dir);
    let token: string;
    try {
      await createUser(setup, { username: 'sender', password: 'correct horse battery staple 42', role: 'analyst' });
      token = (await createToken(setup, { username: 'sender', name: 'crash-test' })).token;
    } finally {
      await setup.close();
    }

    const srv = await startServe(dir);
    const acked = new Set<number>();
    let next = 0;
    let killed = false;
    const sender = async () => {
      while (!killed && next < BATCHES) {
        const b = next++;
        try {
          const r = await send(srv.url, token, b);
          expect(r.accepted).toBe(PER_BATCH);
          acked.add(b);
        } catch {
          return; // the server went away mid-request: not acknowledged
        }
        if (acked.size >= 25 && !killed) {
          killed = true;
          srv.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: SENDERS }, sender));
    expect(await srv.exited).toBe('SIGKILL');
    expect(acked.size).toBeGreaterThanOrEqual(25);
    expect(acked.size).toBeLessThan(BATCHES);

    // After the crash: every acknowledged batch whole, no batch partial.
    const afterCrash = await batchCounts(dir);
    for (const b of acked) expect(afterCrash.get(b), `batch ${b}`).toBe(PER_BATCH);
    for (const [b, n] of afterCrash) expect(n, `batch ${b}`).toBe(PER_BATCH);
    const committedUnacked = [...afterCrash.keys()].filter((b) => !acked.has(b)).length;

    // Restart; the sender retries everything it has no acknowledgement for (at-least-once).
    const again = await startServe(dir);
    let duplicates = 0;
    try {
      for (let b = 0; b < BATCHES; b++) {
        if (acked.has(b)) continue;
        const r = await send(again.url, token, b);
        duplicates += r.duplicate;
        expect(r.accepted + r.duplicate).toBe(PER_BATCH);
      }
      // A sender that lost its acknowledgements re-sends acknowledged batches too: no-ops.
      for (const b of [...acked].slice(0, 3)) expect(await send(again.url, token, b)).toMatchObject({ accepted: 0, duplicate: PER_BATCH });
    } finally {
      again.child.kill('SIGTERM');
      await again.exited;
    }
    expect(duplicates).toBe(committedUnacked * PER_BATCH);
    const final = await batchCounts(dir);
    expect(final.size).toBe(BATCHES);
    for (let b = 0; b < BATCHES; b++) expect(final.get(b), `batch ${b}`).toBe(PER_BATCH);
    console.log(`kill -9 test: ${acked.size} batches acknowledged before the kill, ${committedUnacked} committed but unacknowledged (retried as duplicates), ${BATCHES - acked.size - committedUnacked} lost in flight and re-sent`);
  }, 240_000);
});
