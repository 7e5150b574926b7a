/**
 * Listeners called after each committed ingest batch (per table, with the committed rows), before the batch is
 * acknowledged. Detection registers its near-real-time matcher here from the composition root, so ingest does
 * not depend on detection. A listener's failure is logged and never fails the ingest: the rows are committed.
 */
import type { Logger } from '../core/log.js';
import type { Store } from '../store/store.js';

export type CommitListener = (table: string, rows: readonly Record<string, unknown>[]) => Promise<unknown>;

/** Whether a listener wants the rows of `table` now (a listener without one wants every table's rows). */
export type WantsRows = (table: string) => boolean;

const listeners = new WeakMap<Store, Set<CommitListener>>();
const wanting = new WeakMap<CommitListener, WantsRows>();

/**
 * Registers `fn` for batches committed to `store`; returns a function that removes it. `wants` lets bulk
 * paths skip reading committed rows back nobody would look at; it is asked after the commit, so a listener
 * whose answer turns true at any later moment gets every batch committed from then on.
 */
export function onBatchCommitted(store: Store, fn: CommitListener, wants?: WantsRows): () => void {
  let set = listeners.get(store);
  if (!set) listeners.set(store, (set = new Set()));
  set.add(fn);
  if (wants) wanting.set(fn, wants);
  return () => set!.delete(fn);
}

/**
 * True when some listener registered for `store` wants the rows (of `table`, when given): lets bulk paths skip
 * materialising committed rows.
 */
export function hasCommitListeners(store: Store, table?: string): boolean {
  const set = listeners.get(store);
  if (!set) return false;
  for (const fn of set) {
    const w = wanting.get(fn);
    if (!w || table === undefined || w(table)) return true;
  }
  return false;
}

export async function notifyBatchCommitted(store: Store, rows: ReadonlyMap<string, readonly Record<string, unknown>[]>, logger?: Logger): Promise<void> {
  const set = listeners.get(store);
  if (!set || set.size === 0) return;
  for (const fn of set) {
    const w = wanting.get(fn);
    for (const [table, list] of rows) {
      if (list.length === 0 || (w && !w(table))) continue;
      try {
        await fn(table, list);
      } catch (e) {
        logger?.error({ err: e, table }, 'a commit listener failed; the batch stays committed');
      }
    }
  }
}
