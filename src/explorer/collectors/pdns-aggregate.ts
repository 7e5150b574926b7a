/**
 * Passive-DNS aggregation: DNS answers (from any telemetry) → edges with first/last seen and count.
 *
 * One answer set of a query is interpreted as DNS resolvers return it: names before the addresses are the
 * CNAME chain in order (query → c1 → c2 …), addresses belong to the last name of the chain. So a set yields
 * `query -CNAME→ c1`, `c1 -CNAME→ c2`, …, `last -A/AAAA→ ip` and also `query -A/AAAA→ ip` (what the queried
 * name finally resolved to). PTR answers go to Reverse DNS; MX/NS/TXT/SOA/SRV to the DNS data set.
 */
import { isHostname, isIpAddress, normaliseHost, registeredDomain } from '../hostnames.js';

export interface EdgeAgg {
  first: bigint;
  last: bigint;
  count: number;
}

function bump(map: Map<string, EdgeAgg>, key: string, ts: bigint): void {
  const e = map.get(key);
  if (!e) map.set(key, { first: ts, last: ts, count: 1 });
  else {
    if (ts < e.first) e.first = ts;
    if (ts > e.last) e.last = ts;
    e.count++;
  }
}

const SEP = '\u0000';

/** `4.3.2.1.in-addr.arpa` → `1.2.3.4`; IPv6 nibble form → compressed address; '' otherwise. */
export function ptrNameToAddress(name: string): string {
  const n = normaliseHost(name);
  if (n.endsWith('.in-addr.arpa')) {
    const parts = n.slice(0, -'.in-addr.arpa'.length).split('.');
    return parts.length === 4 ? parts.reverse().join('.') : '';
  }
  if (n.endsWith('.ip6.arpa')) {
    const nib = n.slice(0, -'.ip6.arpa'.length).split('.').reverse();
    if (nib.length !== 32) return '';
    const groups: string[] = [];
    for (let i = 0; i < 32; i += 4) groups.push(nib.slice(i, i + 4).join(''));
    return groups.map((g) => g.replace(/^0+(?=.)/, '')).join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
  }
  return '';
}

export class PdnsAggregator {
  readonly resolutions = new Map<string, EdgeAgg>();
  readonly dns = new Map<string, EdgeAgg>();
  readonly reverse = new Map<string, EdgeAgg>();
  /** Input events read (answered or not); collectors count them. */
  events = 0;

  constructor(readonly source: string) {}

  /** One answered query: `answers` as the resolver listed them (names and addresses), `qtype` e.g. `A`. */
  addAnswers(query: string, qtype: string, answers: readonly string[], ts: bigint): void {
    const q = normaliseHost(query);
    if (!q || answers.length === 0) return;
    const type = (qtype || '').toUpperCase();
    if (type === 'PTR') {
      const addr = ptrNameToAddress(q);
      for (const a of answers) {
        const v = normaliseHost(a);
        if (addr && v && !isIpAddress(v)) bump(this.reverse, [addr, 'PTR', v].join(SEP), ts);
      }
      return;
    }
    if (type === 'MX' || type === 'NS' || type === 'TXT' || type === 'SOA' || type === 'SRV') {
      for (const a of answers) {
        const v = type === 'TXT' ? a.replace(/^TXT \d+ /, '') : normaliseHost(a);
        if (v) bump(this.dns, [q, type, v].join(SEP), ts);
      }
      return;
    }
    // A, AAAA, CNAME, ANY and untyped answers: chain semantics.
    let prev = q;
    for (const raw of answers) {
      const a = normaliseHost(raw);
      if (!a) continue;
      if (isIpAddress(a)) {
        const rt = a.includes(':') ? 'AAAA' : 'A';
        bump(this.resolutions, [prev, a, rt].join(SEP), ts);
        if (prev !== q) bump(this.resolutions, [q, a, rt].join(SEP), ts);
      } else if (a !== prev && isHostname(a)) {
        // Only names continue the chain: DNSSEC records (`rrsig 5 …`) and other typed answers do not.
        bump(this.resolutions, [prev, a, 'CNAME'].join(SEP), ts);
        bump(this.dns, [prev, 'CNAME', a].join(SEP), ts);
        prev = a;
      }
    }
  }

  resolutionRows(): Record<string, unknown>[] {
    return [...this.resolutions].map(([k, e]) => {
      const [host, resolve, rt] = k.split(SEP) as [string, string, string];
      return {
        Host: host, Resolve: resolve, RecordType: rt, ResolveKind: rt === 'CNAME' ? 'domain' : 'ip',
        FirstSeen: e.first, LastSeen: e.last, SeenCount: e.count, Source: this.source,
      };
    });
  }

  dnsRows(): Record<string, unknown>[] {
    return [...this.dns].map(([k, e]) => {
      const [host, rt, value] = k.split(SEP) as [string, string, string];
      return { Host: host, RecordType: rt, Value: value, FirstSeen: e.first, LastSeen: e.last, SeenCount: e.count, Source: this.source };
    });
  }

  /**
   * Subdomains observed: every host of a resolution (and every CNAME target) under its registered domain, over
   * the interval of the edges it appears in, counted once per edge — what `subdomainRowsFrom` derives from
   * the resolution rows, without building a row per edge first (a pDNS batch is a million edges).
   */
  subdomainRows(): Record<string, unknown>[] {
    const slotOf = new Map<string, number>(); // host → row index, -1 when the host is no subdomain
    const rows: { Domain: string; Hostname: string; FirstSeen: bigint; LastSeen: bigint; SeenCount: number; Source: string }[] = [];
    const visit = (host: string, e: EdgeAgg) => {
      let s = slotOf.get(host);
      if (s === undefined) {
        const domain = host && !isIpAddress(host) ? registeredDomain(host) : '';
        if (!domain || domain === host || !host.includes('.')) s = -1;
        else {
          s = rows.length;
          rows.push({ Domain: domain, Hostname: host, FirstSeen: e.first, LastSeen: e.last, SeenCount: 0, Source: this.source });
        }
        slotOf.set(host, s);
      }
      if (s < 0) return;
      const r = rows[s]!;
      if (e.first < r.FirstSeen) r.FirstSeen = e.first;
      if (e.last > r.LastSeen) r.LastSeen = e.last;
      r.SeenCount++;
    };
    for (const [k, e] of this.resolutions) {
      const [host, resolve, rt] = k.split(SEP) as [string, string, string];
      visit(host, e);
      if (rt === 'CNAME') visit(resolve, e);
    }
    return rows;
  }

  reverseRows(): Record<string, unknown>[] {
    return [...this.reverse].map(([k, e]) => {
      const [addr, rt, value] = k.split(SEP) as [string, string, string];
      return { Address: addr, RecordType: rt, Value: value, FirstSeen: e.first, LastSeen: e.last, SeenCount: e.count, Source: this.source };
    });
  }
}
