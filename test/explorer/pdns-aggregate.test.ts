/**
 * The passive-DNS aggregator on hand-written answer sets: CNAME chains, addresses of both families, PTR,
 * MX/TXT, names that need normalising, DNSSEC noise, and timestamps beyond what a double holds exactly.
 */
import { describe, expect, it } from 'vitest';
import { PdnsAggregator } from '../../src/explorer/collectors/pdns-aggregate.js';
import { subdomainRowsFrom } from '../../src/explorer/subdomains.js';

const pick = (rows: Record<string, unknown>[]) => rows.map((r) => ({ ...r, Source: undefined }));

describe('PdnsAggregator', () => {
  it('turns answer sets into edges with first/last seen and count', () => {
    const agg = new PdnsAggregator('t');
    agg.addAnswers('WWW.Example.COM.', 'A', ['cdn.example.net', 'edge.cdn.example.net.', '192.0.2.1', 'RRSIG 5 3 300'], 30n);
    agg.addAnswers('www.example.com', 'a', ['cdn.example.net', 'edge.cdn.example.net', '192.0.2.1'], 10n);
    agg.addAnswers('www.example.com', 'AAAA', ['2001:DB8::1'], 20n);
    agg.addAnswers('1.2.0.192.in-addr.arpa', 'PTR', ['host.example.org.', '192.0.2.9'], 5n);
    agg.addAnswers('example.com', 'MX', ['mail.example.com'], 7n);
    agg.addAnswers('example.com', 'TXT', ['TXT 11 v=spf1 -all'], 8n);
    agg.addAnswers('', 'A', ['192.0.2.1'], 1n);
    agg.addAnswers('nothing.example.com', 'A', [], 1n);
    expect(pick(agg.resolutionRows())).toEqual([
      { Host: 'www.example.com', Resolve: 'cdn.example.net', RecordType: 'CNAME', ResolveKind: 'domain', FirstSeen: 10n, LastSeen: 30n, SeenCount: 2, Source: undefined },
      { Host: 'cdn.example.net', Resolve: 'edge.cdn.example.net', RecordType: 'CNAME', ResolveKind: 'domain', FirstSeen: 10n, LastSeen: 30n, SeenCount: 2, Source: undefined },
      { Host: 'edge.cdn.example.net', Resolve: '192.0.2.1', RecordType: 'A', ResolveKind: 'ip', FirstSeen: 10n, LastSeen: 30n, SeenCount: 2, Source: undefined },
      { Host: 'www.example.com', Resolve: '192.0.2.1', RecordType: 'A', ResolveKind: 'ip', FirstSeen: 10n, LastSeen: 30n, SeenCount: 2, Source: undefined },
      { Host: 'www.example.com', Resolve: '2001:db8::1', RecordType: 'AAAA', ResolveKind: 'ip', FirstSeen: 20n, LastSeen: 20n, SeenCount: 1, Source: undefined },
    ]);
    expect(agg.dnsRows().map((r) => [r['Host'], r['RecordType'], r['Value'], r['SeenCount']])).toEqual([
      ['www.example.com', 'CNAME', 'cdn.example.net', 2],
      ['cdn.example.net', 'CNAME', 'edge.cdn.example.net', 2],
      ['example.com', 'MX', 'mail.example.com', 1],
      ['example.com', 'TXT', 'v=spf1 -all', 1],
    ]);
    expect(agg.reverseRows().map((r) => [r['Address'], r['RecordType'], r['Value'], r['FirstSeen']])).toEqual([['192.0.2.1', 'PTR', 'host.example.org', 5n]]);
    // Subdomains: every name of a resolution's host side (and CNAME targets), as derived row by row.
    const hostTimes = agg.resolutionRows().flatMap((r) => [
      { host: r['Host'] as string, first: r['FirstSeen'] as bigint, last: r['LastSeen'] as bigint },
      ...(r['RecordType'] === 'CNAME' ? [{ host: r['Resolve'] as string, first: r['FirstSeen'] as bigint, last: r['LastSeen'] as bigint }] : []),
    ]);
    expect(agg.subdomainRows()).toEqual(subdomainRowsFrom(hostTimes, 't'));
    expect(agg.subdomainRows().map((r) => [r['Domain'], r['Hostname'], r['SeenCount']])).toEqual([
      ['example.com', 'www.example.com', 3],
      ['example.net', 'cdn.example.net', 2],
      ['example.net', 'edge.cdn.example.net', 2],
    ]);
  });

  it('keeps microsecond timestamps exact beyond 2^53', () => {
    const agg = new PdnsAggregator('t');
    const big = 2n ** 60n + 1n;
    agg.addAnswers('a.example.com', 'A', ['192.0.2.1'], 100n);
    agg.addAnswers('a.example.com', 'A', ['192.0.2.1'], big);
    agg.addAnswers('a.example.com', 'A', ['192.0.2.1'], big + 2n);
    agg.addAnswers('b.example.com', 'A', ['192.0.2.2'], -big);
    agg.addAnswers('b.example.com', 'A', ['192.0.2.2'], 7n);
    expect(agg.resolutionRows().map((r) => [r['Host'], r['FirstSeen'], r['LastSeen'], r['SeenCount']])).toEqual([
      ['a.example.com', 100n, big + 2n, 3],
      ['b.example.com', -big, 7n, 2],
    ]);
  });

  it('clears its edges', () => {
    const agg = new PdnsAggregator('t');
    agg.addAnswers('a.example.com', 'A', ['192.0.2.1'], 1n);
    agg.resolutions.clear();
    expect(agg.resolutions.size).toBe(0);
    agg.addAnswers('a.example.com', 'A', ['192.0.2.3'], 2n);
    expect(agg.resolutionRows().map((r) => r['Resolve'])).toEqual(['192.0.2.3']);
  });
});
