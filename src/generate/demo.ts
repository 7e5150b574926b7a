/**
 * The demo data set Quarry ships: ~50k events over the last 7 days (ending at the current hour), a fixed
 * seed, the default planted infrastructure. Loaded in one transaction together with its marker in
 * `_quarry_meta`, so a restart never loads it twice and a crash mid-load leaves nothing half-loaded.
 */
import type { Logger } from '../core/log.js';
import { getMeta, setMeta } from '../store/meta.js';
import type { Store } from '../store/store.js';
import { generateInto } from './engine.js';
import type { GenerateOptions } from './options.js';

/** `_quarry_meta` key recording a finished demo load (same key `quarry serve --demo` checks). */
export const DEMO_MARKER = 'demo.loaded';

/** The blog's publication date: MDTI ⇄ Defender interoperability, 2023-05-03. */
export const DEMO_SEED = 20230503;
export const DEMO_ROWS = 50_000;

export function demoOptions(end?: Date | string): GenerateOptions {
  return { seed: DEMO_SEED, rows: DEMO_ROWS, days: 7, ...(end !== undefined ? { end } : {}) };
}

export interface LoadDemoOptions {
  readonly log?: Logger;
  /** Fix the end of the window (tests); default: now rounded down to the hour. */
  readonly end?: Date | string;
}

/** Loads the demo set unless the marker says it is there; returns the rows loaded now (0 when already loaded). */
export async function loadDemoData(store: Store, opts: LoadDemoOptions = {}): Promise<{ rows: number; alreadyLoaded: boolean }> {
  const log = opts.log;
  return store.transaction(async (tx) => {
    const marker = await getMeta(tx, DEMO_MARKER);
    if (marker) {
      log?.info({ loadedAt: marker }, 'demo data already loaded');
      return { rows: 0, alreadyLoaded: true };
    }
    let lastLog = 0;
    const result = await generateInto(tx, demoOptions(opts.end), {
      onProgress: (p) => {
        if (log && p.rows - lastLog >= 10_000) {
          lastLog = p.rows;
          log.debug({ rows: p.rows, total: p.total }, 'loading demo data');
        }
      },
    });
    await setMeta(tx, DEMO_MARKER, new Date().toISOString());
    log?.info({ rows: result.rows, tables: Object.keys(result.counts).length, ms: Math.round(result.elapsedMs) }, 'demo data generated');
    return { rows: result.rows, alreadyLoaded: false };
  });
}
