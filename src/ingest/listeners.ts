/**
 * Listeners called after each committed ingest batch (per table, with the committed rows), before the batch is
 * acknowledged. Detection registers its near-real-time matcher here from the composition root, so ingest does
 * not depend on detection. A listener's failure is logged and never fails the ingest: the rows are committed.
 */
import type { Logger } from '../core/log.js';
import type { Store } from '../store/store.js';

export type CommitListener = (table: string, rows: readonly Record<string, unknown>[]) => Promise<unknown>;

const listeners = new WeakMap<Store, Set<CommitListener>>();

/** Registers `fn` for batches committed to `store`; returns a function that removes it. */
export function onBatchCommitted(store: Store, fn: CommitListener): () => void {
  let set = listeners.get(store);
  if (!set) listeners.set(store, (set = new Set()));
  set.add(fn);
  return () => set!.delete(fn);
}

/** True when some listener is registered for `store` (lets bulk paths skip materialising committed rows). */
export function hasCommitListeners(store: Store): boolean {
  return (listeners.get(store)?.size ?? 0) > 0;
}

export async function notifyBatchCommitted(store: Store, rows: ReadonlyMap<string, readonly Record<string, unknown>[]>, logger?: Logger): Promise<void> {
  const set = listeners.get(store);
  if (!set || set.size === 0) return;
  for (const fn of set) {
    for (const [table, list] of rows) {
      if (list.length === 0) continue;
      try {
        await fn(table, list);
      } catch (e) {
        logger?.error({ err: e, table }, 'a commit listener failed; the batch stays committed');
      }
    }
  }
}
