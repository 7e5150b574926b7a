/**
 * api-hunting: `POST /v1.0/security/runHuntingQuery` throughput with 16 concurrent clients over real HTTP on
 * 127.0.0.1 (bearer token, auth hook, quota, JSON streaming), against calling `runKql` in-process with the
 * same 16-way concurrency on the same store. The unit is requests per second (the harness labels rates
 * rows/s; here one unit = one request); ratio = API ÷ in-process, so 1 − ratio is the API overhead share.
 * p50/p95 latencies of both sides are in the notes.
 */
import path from 'node:path';
import { openQuarryStore } from '../../src/app/open-store.js';
import { createToken } from '../../src/auth/tokens.js';
import { createUser } from '../../src/auth/users.js';
import { startServer, type RunningServer } from '../../src/api/server.js';
import { resolveConfig } from '../../src/core/config.js';
import { silentLogger } from '../../src/core/log.js';
import { runKql } from '../../src/hunt/run.js';
import type { Store } from '../../src/store/store.js';
import type { Benchmark } from '../harness.js';

const CLIENTS = 16;
const QUERY = 'DeviceNetworkEvents | where RemoteUrl has "dancevida.com" | summarize Connections = count() by DeviceName | top 10 by Connections';

interface State {
  readonly store: Store;
  readonly server: RunningServer;
  readonly token: string;
  readonly requests: number;
  readonly latencies: { api: number[]; inproc: number[] };
}

function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

/** Runs `total` calls of `one` with `CLIENTS` workers; returns wall time and per-call latencies. */
async function closedLoop(total: number, one: () => Promise<void>): Promise<{ ms: number; lat: number[] }> {
  let next = 0;
  const lat: number[] = [];
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (next < total) {
      next++;
      const s = performance.now();
      await one();
      lat.push(performance.now() - s);
    }
  }));
  return { ms: performance.now() - t0, lat };
}

const benchmark: Benchmark<State> = {
  name: 'api-hunting',
  description: `runHuntingQuery over HTTP (${CLIENTS} concurrent clients, 127.0.0.1, bearer token) vs runKql in-process (${CLIENTS}-way); query \`${QUERY}\` on 5,000 DeviceNetworkEvents; unit = requests/s.`,
  unit: 'rows/s',

  async setup(ctx) {
    const dir = path.join(ctx.workDir, 'store');
    const store = await openQuarryStore(dir);
    const rows = Array.from({ length: 5000 }, (_, i) => ({
      Timestamp: new Date(Date.UTC(2024, 3, 1) + i * 60_000).toISOString(),
      DeviceName: `ws-${i % 50}`,
      RemoteUrl: i % 7 === 0 ? 'dancevida.com' : `host-${i % 300}.example.org`,
      RemotePort: 443,
    }));
    await store.append('DeviceNetworkEvents', rows);
    await createUser(store, { username: 'bench', password: 'bench-password-1', role: 'reader' });
    const token = (await createToken(store, { username: 'bench', name: 'bench' })).token;
    const config = resolveConfig({ data: dir, host: '127.0.0.1', port: 0 }, {});
    // The quota would (correctly) stop a benchmark: give the bench token an unlimited budget.
    const server = await startServer({ store, config, logger: silentLogger, auth: { quota: { budgetMs: Number.MAX_SAFE_INTEGER } } });
    const requests = ctx.scale === 'tiny' ? 400 : 2000;
    return { store, server, token, requests, latencies: { api: [], inproc: [] } };
  },

  subject: {
    label: `HTTP runHuntingQuery ×${CLIENTS}`,
    async run(_ctx, s) {
      const url = `${s.server.url}/v1.0/security/runHuntingQuery`;
      const body = JSON.stringify({ Query: QUERY });
      const r = await closedLoop(s.requests, async () => {
        const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' }, body });
        const json = (await res.json()) as { results?: unknown[] };
        if (res.status !== 200 || !json.results?.length) throw new Error(`runHuntingQuery answered ${res.status}`);
      });
      s.latencies.api = r.lat;
      return { ms: r.ms, units: s.requests };
    },
  },

  baseline: {
    label: `runKql in-process ×${CLIENTS}`,
    async run(_ctx, s) {
      const r = await closedLoop(s.requests, async () => {
        const out = await runKql(s.store, QUERY, { maxRows: 100_000 });
        if (!out.results.length) throw new Error('no rows');
      });
      s.latencies.inproc = r.lat;
      return { ms: r.ms, units: s.requests };
    },
  },

  notes(s) {
    const f = (xs: number[]) => `p50 ${percentile(xs, 50).toFixed(1)} ms, p95 ${percentile(xs, 95).toFixed(1)} ms`;
    return `Last rep latencies: HTTP ${f(s.latencies.api)}; in-process ${f(s.latencies.inproc)}; ${s.requests} requests per rep.`;
  },

  async teardown(_ctx, s) {
    await s.server.close();
    await s.store.close();
  },
};

export default benchmark;
