/**
 * portal-hunting-load: first load of the Advanced hunting page in Chromium on 127.0.0.1 — a cold browser
 * context (empty cache), signed in, from navigation to a Monaco + monaco-kusto editor ready to type in
 * (the page's code, Monaco, the Kusto worker and `/api/hunt/schema`). Baseline: the same cold load of the
 * Threat analytics page (no editor), so the ratio shows what the editor costs. Target: under 2 s.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { openQuarryStore } from '../../src/app/open-store.js';
import { createUser } from '../../src/auth/users.js';
import { startServer, type RunningServer } from '../../src/api/server.js';
import { resolveConfig } from '../../src/core/config.js';
import { silentLogger } from '../../src/core/log.js';
import type { Store } from '../../src/store/store.js';
import type { Benchmark } from '../harness.js';

const CHROMIUM = process.env.QUARRY_CHROMIUM ?? '/usr/bin/chromium';
const portal = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/web');
const PASSWORD = 'bench-password-1';

interface State {
  readonly store: Store;
  readonly server: RunningServer;
  readonly browser: Browser;
  readonly loads: { hunting: number[]; dashboard: number[] };
}

async function coldLoad(s: State, pagePath: string, ready: string): Promise<number> {
  const context = await s.browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const login = await context.request.post(`${s.server.url}/api/auth/login`, { data: { username: 'bench', password: PASSWORD } });
    if (!login.ok()) throw new Error(`login answered ${login.status()}`);
    const page = await context.newPage();
    const t0 = performance.now();
    await page.goto(`${s.server.url}${pagePath}`);
    await page.locator(ready).first().waitFor({ timeout: 30_000 });
    return performance.now() - t0;
  } finally {
    await context.close();
  }
}

const benchmark: Benchmark<State> = {
  name: 'portal-hunting-load',
  description: 'Cold first load of the portal\'s Advanced hunting page (Monaco + monaco-kusto ready, schema loaded) in Chromium on 127.0.0.1, vs the Threat analytics page; unit = ms.',
  unit: 'ms',

  async available() {
    if (!existsSync(CHROMIUM)) return `Chromium is not installed at ${CHROMIUM} (apt-get install -y chromium)`;
    if (!existsSync(path.join(portal, 'index.html'))) return 'the portal is not built (dist/web): run `npm run build`';
    return null;
  },

  async setup(ctx) {
    const dir = path.join(ctx.workDir, 'store');
    const store = await openQuarryStore(dir);
    await createUser(store, { username: 'bench', password: PASSWORD, role: 'analyst' });
    const config = resolveConfig({ data: dir, host: '127.0.0.1', port: 0 }, {});
    const server = await startServer({ store, config, logger: silentLogger });
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    return { store, server, browser, loads: { hunting: [], dashboard: [] } };
  },

  subject: {
    label: 'cold load: Advanced hunting (editor ready)',
    async run(_ctx, s) {
      const ms = await coldLoad(s, '/hunting', '[data-testid="kql-editor"][data-state="ready"] .monaco-editor');
      s.loads.hunting.push(ms);
      return { ms, units: 1 };
    },
  },

  baseline: {
    label: 'cold load: Threat analytics',
    async run(_ctx, s) {
      const ms = await coldLoad(s, '/', 'h1:has-text("Threat analytics")');
      s.loads.dashboard.push(ms);
      return { ms, units: 1 };
    },
  },

  notes(s) {
    // The first sample of each side is the harness's warm-up (cold Chromium): left out of the verdict.
    const timed = s.loads.hunting.slice(1).sort((a, b) => a - b);
    const median = timed[Math.floor(timed.length / 2)] ?? NaN;
    return `Hunting page cold loads (after warm-up): ${s.loads.hunting.slice(1).map((x) => x.toFixed(0)).join(', ')} ms, median ${median.toFixed(0)} ms — target < 2000 ms ${median < 2000 ? 'met' : 'NOT met'}; dashboard: ${s.loads.dashboard.slice(1).map((x) => x.toFixed(0)).join(', ')} ms.`;
  },

  async teardown(_ctx, s) {
    await s.browser.close();
    await s.server.close();
    await s.store.close();
  },
};

export default benchmark;
