/**
 * ART indexes on the columns Explorer looks artifacts up by, so a host lookup stays a point lookup at tens
 * of millions of edges. Catalog tables are created after migrations run, so the indexes are ensured lazily
 * (once per store handle) by the lookup paths and the collectors, with `CREATE INDEX IF NOT EXISTS`.
 */
import type { Store } from '../store/store.js';

export const explorerIndexes: readonly [table: string, column: string][] = [
  ['ExplorerResolutions', 'Host'], ['ExplorerResolutions', 'Resolve'], ['ExplorerHostPairs', 'ParentHost'], ['ExplorerHostPairs', 'ChildHost'],
  ['ExplorerWhois', 'Domain'], ['ExplorerHostCertificates', 'Host'], ['ExplorerHostCertificates', 'Fingerprint'], ['ExplorerCertificates', 'Fingerprint'],
  ['ExplorerSubdomains', 'Domain'], ['ExplorerTrackers', 'Host'], ['ExplorerComponents', 'Host'], ['ExplorerCookies', 'Host'],
  ['ExplorerDns', 'Host'], ['ExplorerDns', 'Value'], ['ExplorerReverseDns', 'Address'], ['ExplorerServices', 'Address'], ['ExplorerCrawls', 'Host'],
];

const done = new WeakSet<Store>();

export async function ensureExplorerIndexes(store: Store): Promise<void> {
  if (done.has(store)) return;
  for (const [t, c] of explorerIndexes) await store.exec(`CREATE INDEX IF NOT EXISTS "ix_${t}_${c}" ON "${t}" ("${c}")`);
  done.add(store);
}
