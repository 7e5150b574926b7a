/**
 * hunt-filter: a typical IOC hunt in KQL through Quarry's compiler and store (`runKql`) against the
 * hand-written DuckDB SQL for the same question on the same store. Lower time is better; the ratio is
 * baseline ÷ subject (1.0 = no overhead). Listed as "not yet" until `src/hunt/run.ts` exports `runKql`.
 */
import type { Store } from '../../src/store/store.js';
import { HUNT_END, huntingStore } from '../fixtures.js';
import type { Benchmark } from '../harness.js';

type RunKql = (store: Store, text: string, opts?: { now?: Date; maxRows?: number }) => Promise<{ results: unknown[] }>;

interface State {
  readonly store: Store;
  readonly runKql: RunKql;
  readonly now: Date;
}

const KQL = 'DeviceNetworkEvents | where RemoteUrl has "dancevida.com" | summarize Connections = count() by DeviceName | order by Connections desc';
const SQL =
  "SELECT DeviceName, count(*) AS Connections FROM DeviceNetworkEvents WHERE RemoteUrl ILIKE '%dancevida.com%' GROUP BY DeviceName ORDER BY Connections DESC";

async function loadRunKql(): Promise<RunKql | string> {
  try {
    const mod = (await import('../../src/hunt/run.js')) as { runKql?: RunKql };
    return typeof mod.runKql === 'function' ? mod.runKql : 'src/hunt/run.ts does not export runKql yet';
  } catch (e) {
    return `KQL hunting is not available yet (${(e as Error).message.split('\n')[0]})`;
  }
}

const benchmark: Benchmark<State> = {
  name: 'hunt-filter',
  description: `KQL \`${KQL}\` via runKql vs the equivalent hand-written DuckDB SQL, over the scale's DeviceNetworkEvents rows.`,
  unit: 'ms',

  async available() {
    const r = await loadRunKql();
    return typeof r === 'string' ? r : null;
  },

  async setup(ctx) {
    const runKql = (await loadRunKql()) as RunKql;
    // The hunting fixture shared with hunt-q01…q13 (generated once per scale, cached in bench/data/).
    const store = await huntingStore(ctx.rows, ctx.log);
    return { store, runKql, now: HUNT_END };
  },

  subject: {
    label: 'Quarry runKql',
    async run(_ctx, s) {
      const t0 = performance.now();
      await s.runKql(s.store, KQL, { now: s.now, maxRows: 100_000 });
      return { ms: performance.now() - t0 };
    },
  },

  baseline: {
    label: 'DuckDB SQL',
    async run(_ctx, s) {
      const t0 = performance.now();
      await s.store.query(SQL);
      return { ms: performance.now() - t0 };
    },
  },

  async teardown(_ctx, s) {
    await s.store.close();
  },
};

export default benchmark;
