/**
 * `serve --demo`: loads the generated demo data set once per data directory. The generator lives in
 * `src/generate/demo.ts` (another module); it is imported dynamically so `serve` works without it.
 * A `_quarry_meta` marker records a finished load so restarts do not load twice.
 */
import type { Logger } from '../core/log.js';
import { getMeta, setMeta } from '../store/meta.js';
import type { Store } from '../store/store.js';

export const DEMO_MARKER = 'demo.loaded';
const DEMO_MODULE = '../generate/demo.js';

type LoadDemoData = (store: Store, opts?: { log?: Logger }) => Promise<{ rows: number }>;

export type DemoOutcome = 'loaded' | 'already-loaded' | 'unavailable' | 'failed';

export async function loadDemoOnce(store: Store, logger: Logger): Promise<DemoOutcome> {
  const marker = await getMeta(store, DEMO_MARKER);
  if (marker) {
    logger.info({ loadedAt: marker }, 'demo data already loaded');
    return 'already-loaded';
  }
  let loadDemoData: LoadDemoData | undefined;
  try {
    const mod = (await import(DEMO_MODULE)) as { loadDemoData?: LoadDemoData };
    loadDemoData = mod.loadDemoData;
  } catch (e) {
    logger.warn({ reason: (e as Error).message }, 'demo data generator (src/generate/demo) is not available in this build: serving without demo data');
    return 'unavailable';
  }
  if (typeof loadDemoData !== 'function') {
    logger.warn('src/generate/demo does not export loadDemoData: serving without demo data');
    return 'unavailable';
  }
  const started = Date.now();
  try {
    const { rows } = await loadDemoData(store, { log: logger });
    await (await import('../intel/demo.js')).loadDemoIntel(store, { log: logger });
    await (await import('../explorer/demo.js')).loadDemoExplorer(store);
    await setMeta(store, DEMO_MARKER, new Date().toISOString());
    logger.info({ rows, ms: Date.now() - started }, 'demo data loaded');
    return 'loaded';
  } catch (e) {
    logger.error({ err: e }, 'loading demo data failed; the server keeps running without it');
    return 'failed';
  }
}
