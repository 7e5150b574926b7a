/**
 * Subdomains are derived: every hostname a collector observes under a registered domain is a subdomain of
 * it, seen over the same interval as the observation.
 */
import { isIpAddress, registeredDomain } from './hostnames.js';

export interface HostTime {
  readonly host: string;
  readonly first: bigint;
  readonly last: bigint;
}

export function subdomainRowsFrom(hosts: readonly HostTime[], source: string): Record<string, unknown>[] {
  const agg = new Map<string, { first: bigint; last: bigint; count: number }>();
  for (const h of hosts) {
    if (!h.host || isIpAddress(h.host)) continue;
    const domain = registeredDomain(h.host);
    if (domain === h.host || !h.host.includes('.')) continue;
    const key = `${domain}\u0000${h.host}`;
    const e = agg.get(key);
    if (!e) agg.set(key, { first: h.first, last: h.last, count: 1 });
    else {
      if (h.first < e.first) e.first = h.first;
      if (h.last > e.last) e.last = h.last;
      e.count++;
    }
  }
  return [...agg].map(([k, e]) => {
    const [domain, host] = k.split('\u0000') as [string, string];
    return { Domain: domain, Hostname: host, FirstSeen: e.first, LastSeen: e.last, SeenCount: e.count, Source: source };
  });
}
