/**
 * The watched-folder connector: a file dropped into the folder is ingested once, then moved to `done/`
 * (with a `.result.json` summary) or, when the input as a whole cannot be read, to `failed/` (with a
 * `.error.json`). Rows rejected inside a readable file do not fail it: they are in the quarantine.
 *
 * A file is taken only once its size and modification time stopped changing for `settleMs`, and names
 * starting with `.` or ending in `.tmp`/`.part` are ignored (write there, then rename). If the process dies
 * between the commit and the move, the file is seen again on restart and its batches are duplicates: it is
 * moved without adding rows. Format and table come from the options or the file name (see `files.ts`).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Catalog } from '../catalog/catalog.js';
import { toQuarryError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import type { Store } from '../store/store.js';
import { ingestFile } from './files.js';
import type { IngestSummary } from './types.js';

export interface WatchOptions {
  readonly dir: string;
  readonly table?: string;
  readonly format?: string;
  readonly intervalMs?: number;
  /** How long a file must stay unchanged before it is taken (default 1000 ms). */
  readonly settleMs?: number;
  readonly catalog?: Catalog;
  readonly logger?: Logger;
  readonly now?: () => Date;
  readonly onFile?: (file: string, outcome: { summary?: IngestSummary; error?: string }) => void;
}

export interface FolderWatcher {
  /** Looks at the folder once and ingests every settled file; resolves with the files handled. */
  scanOnce(): Promise<string[]>;
  stop(): Promise<void>;
}

function ignored(name: string): boolean {
  return name.startsWith('.') || name.endsWith('.tmp') || name.endsWith('.part');
}

function moveTo(dir: string, file: string, stamp: string): string {
  fs.mkdirSync(dir, { recursive: true });
  let target = path.join(dir, path.basename(file));
  if (fs.existsSync(target)) target = path.join(dir, `${stamp}-${path.basename(file)}`);
  fs.renameSync(file, target);
  return target;
}

export function watchFolder(store: Store, opts: WatchOptions): FolderWatcher {
  const now = opts.now ?? (() => new Date());
  const settleMs = opts.settleMs ?? 1000;
  const doneDir = path.join(opts.dir, 'done');
  const failedDir = path.join(opts.dir, 'failed');
  fs.mkdirSync(opts.dir, { recursive: true });
  let scanning: Promise<string[]> | null = null;
  let stopped = false;

  const handle = async (file: string): Promise<void> => {
    const stamp = now().toISOString().replace(/[:.]/g, '-');
    try {
      const summary = await ingestFile(store, file, {
        source: `watch:${path.basename(opts.dir)}`,
        ...(opts.table ? { table: opts.table } : {}),
        ...(opts.format ? { format: opts.format } : {}),
        ...(opts.catalog ? { catalog: opts.catalog } : {}),
        now,
      });
      const target = moveTo(doneDir, file, stamp);
      fs.writeFileSync(`${target}.result.json`, JSON.stringify({ ...summary, batchIds: undefined }, null, 2) + '\n');
      opts.logger?.info({ file: path.basename(file), accepted: summary.accepted, rejected: summary.rejected }, 'watched file ingested');
      opts.onFile?.(file, { summary });
    } catch (e) {
      const err = toQuarryError(e);
      const target = moveTo(failedDir, file, stamp);
      fs.writeFileSync(`${target}.error.json`, JSON.stringify(err.toJSON(), null, 2) + '\n');
      opts.logger?.warn({ file: path.basename(file), code: err.code, message: err.message }, 'watched file failed');
      opts.onFile?.(file, { error: err.message });
    }
  };

  const scan = async (): Promise<string[]> => {
    const handled: string[] = [];
    const entries = fs.readdirSync(opts.dir, { withFileTypes: true }).filter((e) => e.isFile() && !ignored(e.name)).map((e) => e.name).sort();
    for (const name of entries) {
      if (stopped) break;
      const file = path.join(opts.dir, name);
      let st: fs.Stats;
      try {
        st = fs.statSync(file);
      } catch {
        continue; // gone meanwhile
      }
      if (settleMs > 0 && now().getTime() - st.mtimeMs < settleMs) continue; // still being written
      await handle(file);
      handled.push(name);
    }
    return handled;
  };

  const scanOnce = (): Promise<string[]> => {
    scanning ??= scan().finally(() => (scanning = null));
    return scanning;
  };

  const timer = setInterval(() => {
    scanOnce().catch((e: unknown) => opts.logger?.warn({ err: e }, 'watched folder scan failed'));
  }, opts.intervalMs ?? 2000);
  timer.unref();

  return {
    scanOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      if (scanning) await scanning.catch(() => undefined);
    },
  };
}
