/**
 * Passive DNS from DNS telemetry already in the store: Sentinel `DnsEvents` (lookups with `IPAddresses`),
 * Defender `DeviceEvents` with ActionType `DnsQueryResponse` (`AdditionalFields.DnsQueryString` and
 * `DnsQueryResult[]`) and `IdentityQueryEvents` DNS queries (`QueryTarget`; answers when AdditionalFields
 * carries addresses). A watermark per source (`_explorer_watermarks`) makes re-runs add only new events.
 * DnsEvents goes set-based through SQL (`pdns-dnsevents-sql.ts`); the JSON-carrying sources row by row here.
 */
import type { Store } from '../../store/store.js';
import { isIpAddress } from '../hostnames.js';
import { mergePdns } from './pdns-zeek.js';
import { PdnsAggregator } from './pdns-aggregate.js';
import { collectDnsEventsSql } from './pdns-dnsevents-sql.js';
import type { MergeResult } from '../merge.js';

export type StoreDnsSource = 'DnsEvents' | 'DeviceEvents' | 'IdentityQueryEvents';

const queries: Record<StoreDnsSource, string> = {
  DnsEvents: `SELECT epoch_us(TimeGenerated), Name, QueryType, IPAddresses, NULL FROM DnsEvents
              WHERE TimeGenerated > $1 AND coalesce(SubType, 'LookupQuery') = 'LookupQuery' AND Name IS NOT NULL ORDER BY TimeGenerated`,
  DeviceEvents: `SELECT epoch_us(Timestamp), NULL, NULL, NULL, AdditionalFields FROM DeviceEvents
                 WHERE Timestamp > $1 AND ActionType = 'DnsQueryResponse' ORDER BY Timestamp`,
  IdentityQueryEvents: `SELECT epoch_us(Timestamp), QueryTarget, QueryType, NULL, CAST(AdditionalFields AS VARCHAR) FROM IdentityQueryEvents
                        WHERE Timestamp > $1 AND ActionType ILIKE '%dns%' AND QueryTarget IS NOT NULL ORDER BY Timestamp`,
};

/** Every address in a value of any shape (text split on whitespace, `,` and `;`; arrays; object values). */
export function addressesIn(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') {
    for (const part of v.split(/[\s,;]+/)) if (isIpAddress(part)) out.push(part);
  } else if (Array.isArray(v)) for (const x of v) addressesIn(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) addressesIn(x, out);
  return out;
}

/** Collects new events of one source; returns how many events were read. */
export async function collectStoreDns(store: Store, source: StoreDnsSource): Promise<{ events: number; merged: MergeResult[] }> {
  // DnsEvents carries plain columns: aggregated set-based in SQL (see pdns-dnsevents-sql.ts).
  if (source === 'DnsEvents') return collectDnsEventsSql(store, await watermarkText(store, source));
  return collectStoreDnsRows(store, source);
}

/** The source's watermark as timestamp text (the epoch when it has none). */
async function watermarkText(store: Store, source: StoreDnsSource): Promise<string> {
  const wm = await store.query('SELECT watermark FROM _explorer_watermarks WHERE source = $1', { params: [source] });
  const since = wm.rows[0]?.[0] !== undefined ? new Date(Number((wm.rows[0]![0] as bigint) / 1000n)) : new Date(0);
  return since.toISOString().replace('T', ' ').replace('Z', '');
}

/** The row-by-row path (every event through `PdnsAggregator`), for any source. */
export async function collectStoreDnsRows(store: Store, source: StoreDnsSource): Promise<{ events: number; merged: MergeResult[] }> {
  const r = await store.query(queries[source], { params: [await watermarkText(store, source)] });
  const agg = new PdnsAggregator(source);
  let max = -1n;
  for (const [ts, name, qtype, ips, extra] of r.rows as [bigint, string | null, string | null, string | null, string | null][]) {
    agg.events++;
    if (ts > max) max = ts;
    if (source === 'DeviceEvents') {
      let obj: Record<string, unknown> = {};
      try {
        obj = JSON.parse(String(extra ?? '{}')) as Record<string, unknown>;
      } catch {
        continue;
      }
      const q = obj['DnsQueryString'];
      if (typeof q === 'string') agg.addAnswers(q, 'A', addressesIn(obj['DnsQueryResult']), ts);
    } else if (source === 'DnsEvents') {
      agg.addAnswers(String(name), String(qtype ?? 'A'), addressesIn(ips ?? ''), ts);
    } else {
      let answers: string[] = [];
      try {
        answers = addressesIn(JSON.parse(String(extra ?? 'null')));
      } catch {
        answers = [];
      }
      agg.addAnswers(String(name), String(qtype ?? 'A'), answers, ts);
    }
  }
  if (agg.events === 0) return { events: 0, merged: [] };
  const merged = await mergePdns(store, agg);
  await store.exec(
    'INSERT INTO _explorer_watermarks (source, watermark) VALUES ($1, make_timestamp($2)) ON CONFLICT (source) DO UPDATE SET watermark = excluded.watermark, updated_at = now()::TIMESTAMP',
    [source, max],
  );
  return { events: agg.events, merged };
}
