/**
 * Passive DNS from a Zeek `dns.log`: every answered query (rcode NOERROR, answers present) becomes
 * resolutions (see `pdns-aggregate.ts` for the chain rules), DNS records and reverse DNS; the hosts seen feed
 * Subdomains. Timestamps are Zeek's `ts`, exact to the microsecond.
 */
import path from 'node:path';
import type { Store } from '../../store/store.js';
import { datasets } from '../datasets.js';
import { mergeMany, type MergeResult } from '../merge.js';
import { PdnsAggregator } from './pdns-aggregate.js';
import { readZeekLog, zeekList, zeekTimeMicros, type ZeekLogMeta } from './zeek-tsv.js';

export interface CollectResult {
  readonly events: number;
  readonly merged: readonly MergeResult[];
}

/** Reads a dns.log into an aggregator (no store): the part the benchmark and tests time on their own. */
export async function aggregateZeekDns(file: string, source = 'zeek-dns'): Promise<PdnsAggregator> {
  const agg = new PdnsAggregator(source);
  const meta: ZeekLogMeta = { fields: [], setSeparator: ',' };
  for await (const r of readZeekLog(file, meta)) {
    agg.events++;
    const ts = r['ts'];
    const query = r['query'];
    if (!ts || !query) continue;
    if (r['rcode_name'] !== undefined && r['rcode_name'] !== null && r['rcode_name'] !== 'NOERROR') continue;
    const answers = zeekList(r['answers'], meta.setSeparator);
    agg.addAnswers(query, r['qtype_name'] ?? '', answers, zeekTimeMicros(ts));
  }
  return agg;
}

/** Persists an aggregator's edges (resolutions, DNS, reverse DNS, subdomains) in one transaction. */
export async function mergePdns(store: Store, agg: PdnsAggregator, batchPrefix?: string): Promise<MergeResult[]> {
  const id = (d: string) => (batchPrefix ? { batchId: `${batchPrefix}:${d}` } : {});
  return mergeMany(store, [
    { spec: datasets.resolutions, rows: agg.resolutionRows(), ...id('resolutions') },
    { spec: datasets.dns, rows: agg.dnsRows(), ...id('dns') },
    { spec: datasets.reverseDns, rows: agg.reverseRows(), ...id('reverseDns') },
    { spec: datasets.subdomains, rows: agg.subdomainRows(), ...id('subdomains') },
  ]);
}

/** Collects passive DNS from a Zeek dns.log (plain or gzipped) into the store. */
export async function collectZeekDns(store: Store, file: string): Promise<CollectResult> {
  const agg = await aggregateZeekDns(file);
  const merged = await mergePdns(store, agg);
  return { events: agg.events, merged };
}

export const zeekDnsSourceName = (file: string) => `zeek-dns:${path.basename(file)}`;
