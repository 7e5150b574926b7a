/**
 * CIRCL passive DNS Common Output Format (draft-dulaunoy-dnsop-passive-dns-cof): NDJSON, one object per
 * record with `rrname`, `rrtype`, `rdata`, `time_first`, `time_last` (epoch seconds), optional `count`,
 * `sensor_id`, `zone_time_first/last`. Import merges into Resolutions (A/AAAA/CNAME), DNS (MX/NS/TXT/SOA/SRV)
 * and Reverse DNS (PTR); export writes Resolutions/DNS rows back as COF.
 */
import { QuarryError } from '../../core/errors.js';
import type { Store } from '../../store/store.js';
import { datasets } from '../datasets.js';
import { normaliseHost } from '../hostnames.js';
import { mergeMany, type MergeResult } from '../merge.js';
import { ptrNameToAddress } from './pdns-aggregate.js';

const secToMicros = (v: unknown) => BigInt(Math.trunc(Number(v))) * 1_000_000n;

export function cofRows(text: string, source = 'cof'): { resolutions: Record<string, unknown>[]; dns: Record<string, unknown>[]; reverse: Record<string, unknown>[] } {
  const out = { resolutions: [] as Record<string, unknown>[], dns: [] as Record<string, unknown>[], reverse: [] as Record<string, unknown>[] };
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new QuarryError('explorer/bad-input', `COF line ${i + 1} is not JSON`);
    }
    const rrname = normaliseHost(String(o['rrname'] ?? ''));
    const rrtype = String(o['rrtype'] ?? '').toUpperCase();
    const first = o['time_first'] ?? o['zone_time_first'];
    const last = o['time_last'] ?? o['zone_time_last'] ?? first;
    if (!rrname || !rrtype || first === undefined) throw new QuarryError('explorer/bad-input', `COF line ${i + 1} lacks rrname, rrtype or time_first`);
    const seen = { FirstSeen: secToMicros(first), LastSeen: secToMicros(last), SeenCount: Number(o['count'] ?? 1), Source: String(o['sensor_id'] ?? source) };
    const values = Array.isArray(o['rdata']) ? (o['rdata'] as unknown[]).map(String) : [String(o['rdata'] ?? '')];
    for (const raw of values) {
      const v = rrtype === 'TXT' ? raw : normaliseHost(raw);
      if (!v) continue;
      if (rrtype === 'A' || rrtype === 'AAAA' || rrtype === 'CNAME') {
        out.resolutions.push({ Host: rrname, Resolve: v, RecordType: rrtype, ResolveKind: rrtype === 'CNAME' ? 'domain' : 'ip', ...seen });
        if (rrtype === 'CNAME') out.dns.push({ Host: rrname, RecordType: rrtype, Value: v, ...seen });
      } else if (rrtype === 'PTR') out.reverse.push({ Address: ptrNameToAddress(rrname) || rrname, RecordType: 'PTR', Value: v, ...seen });
      else out.dns.push({ Host: rrname, RecordType: rrtype, Value: v, ...seen });
    }
  }
  return out;
}

export async function importCof(store: Store, text: string, source = 'cof'): Promise<MergeResult[]> {
  const r = cofRows(text, source);
  return mergeMany(store, [
    { spec: datasets.resolutions, rows: r.resolutions },
    { spec: datasets.dns, rows: r.dns.filter((d) => d['RecordType'] !== 'CNAME') },
    { spec: datasets.reverseDns, rows: r.reverse },
  ]);
}

/** Resolutions (and other DNS records) of one host as COF lines. */
export async function exportCof(store: Store, host: string): Promise<string> {
  const h = normaliseHost(host);
  const r = await store.query(
    `SELECT Host, RecordType, Resolve, epoch(FirstSeen), epoch(LastSeen), SeenCount, Source FROM ExplorerResolutions WHERE Host = $1
     UNION ALL SELECT Host, RecordType, Value, epoch(FirstSeen), epoch(LastSeen), SeenCount, Source FROM ExplorerDns WHERE Host = $1 AND RecordType <> 'CNAME'
     ORDER BY 1, 2, 3`,
    { params: [h] },
  );
  return r.rows
    .map(([rrname, rrtype, rdata, f, l, c, s]) =>
      JSON.stringify({ rrname, rrtype, rdata, time_first: Math.trunc(Number(f)), time_last: Math.trunc(Number(l)), count: Number(c ?? 1), sensor_id: s }),
    )
    .join('\n') + (r.rows.length ? '\n' : '');
}
