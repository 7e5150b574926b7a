/**
 * One detection service per open store, shared by the API routes, the CLI and (through
 * `onBatchCommitted`) the ingest pipeline. `detectionFor(store)` opens it on first use.
 */
import type { Store } from '../store/store.js';
import { type Detection, type DetectionOptions, openDetection } from './detection.js';

const instances = new WeakMap<Store, Promise<Detection>>();

export function detectionFor(store: Store, opts: DetectionOptions = {}): Promise<Detection> {
  let d = instances.get(store);
  if (!d) {
    d = openDetection(store, opts);
    instances.set(store, d);
    d.catch(() => instances.delete(store));
  }
  return d;
}
