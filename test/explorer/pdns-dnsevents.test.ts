/**
 * DnsEvents are aggregated set-based in SQL; the same events through the row-by-row path (every event via
 * `PdnsAggregator`) must give the same resolutions, DNS records and subdomains. The events mix what the
 * normalisation and address test must get right: case, trailing dots, IPv6 in capitals, every separator
 * (space, tab, comma, semicolon, no-break space), tokens that are no address, empty and missing answers,
 * MX/TXT/PTR/untyped queries, other subtypes, and a second batch after the watermark.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectStoreDns, collectStoreDnsRows } from '../../src/explorer/collectors/pdns-store.js';
import type { Store } from '../../src/store/store.js';
import { removeTempStores, rows, tempStore } from './helpers.js';

const batch1 = [
  { TimeGenerated: '2024-05-01T10:00:00Z', Name: 'WWW.Example.COM.', QueryType: 'A', IPAddresses: '192.0.2.1, 192.0.2.2', SubType: 'LookupQuery' },
  { TimeGenerated: '2024-05-01T11:00:00.123456Z', Name: 'www.example.com', QueryType: 'a', IPAddresses: '192.0.2.1;192.0.2.3\t192.0.2.1', SubType: 'LookupQuery' },
  { TimeGenerated: '2024-05-01T12:00:00Z', Name: 'v6.example.com', QueryType: 'AAAA', IPAddresses: '2001:DB8::1 2001:db8::1\u00a0198.51.100.9', SubType: null },
  { TimeGenerated: '2024-05-01T13:00:00Z', Name: 'mail.example.org', QueryType: 'MX', IPAddresses: '203.0.113.5', SubType: 'LookupQuery' },
  { TimeGenerated: '2024-05-01T13:30:00Z', Name: 'example.org', QueryType: 'TXT', IPAddresses: 'v=spf1 203.0.113.6', SubType: 'LookupQuery' },
  { TimeGenerated: '2024-05-01T14:00:00Z', Name: '5.113.0.203.in-addr.arpa', QueryType: 'PTR', IPAddresses: '203.0.113.5', SubType: 'LookupQuery' },
  { TimeGenerated: '2024-05-01T15:00:00Z', Name: 'noanswer.example.com', QueryType: 'A', IPAddresses: null, SubType: 'LookupQuery' },
  { TimeGenerated: '2024-05-01T15:30:00Z', Name: 'junk.example.com', QueryType: null, IPAddresses: 'foo, [::1], 999.1.1.1, ,;', SubType: 'LookupQuery' },
  { TimeGenerated: '2024-05-01T16:00:00Z', Name: 'untyped.example.co.uk', QueryType: '', IPAddresses: '192.0.2.50', SubType: 'LookupQuery' },
  { TimeGenerated: '2024-05-01T16:30:00Z', Name: '192.0.2.77', QueryType: 'A', IPAddresses: '192.0.2.77', SubType: 'LookupQuery' },
  { TimeGenerated: '2024-05-01T17:00:00Z', Name: 'dynamic.example.com', QueryType: 'A', IPAddresses: '192.0.2.9', SubType: 'DynamicUpdate' },
];
const batch2 = [
  { TimeGenerated: '2024-05-02T10:00:00Z', Name: 'www.example.com', QueryType: 'A', IPAddresses: '192.0.2.1', SubType: 'LookupQuery' },
  { TimeGenerated: '2024-05-02T11:00:00Z', Name: 'new.example.net', QueryType: 'A', IPAddresses: '192.0.2.60', SubType: 'LookupQuery' },
];

const dump = async (store: Store) => ({
  resolutions: await rows(store, 'SELECT * FROM ExplorerResolutions ORDER BY ALL'),
  dns: await rows(store, 'SELECT * FROM ExplorerDns ORDER BY ALL'),
  reverse: await rows(store, 'SELECT * FROM ExplorerReverseDns ORDER BY ALL'),
  subdomains: await rows(store, 'SELECT * FROM ExplorerSubdomains ORDER BY ALL'),
});

describe('passive DNS from DnsEvents, set-based', () => {
  let sql: Store;
  let byRow: Store;
  beforeAll(async () => {
    [sql, byRow] = [await tempStore(), await tempStore()];
  });
  afterAll(async () => {
    await sql?.close();
    await byRow?.close();
    removeTempStores();
  });

  it('gives the same edges as the row-by-row path, batch after batch', async () => {
    for (const batch of [batch1, batch2]) {
      await sql.append('DnsEvents', batch);
      await byRow.append('DnsEvents', batch);
      const a = await collectStoreDns(sql, 'DnsEvents');
      const b = await collectStoreDnsRows(byRow, 'DnsEvents');
      expect(a.events).toBe(b.events);
      expect(await dump(sql)).toEqual(await dump(byRow));
    }
    const d = await dump(sql);
    expect(d.resolutions.length).toBeGreaterThan(6);
    expect(d.resolutions.find((r) => r['Host'] === 'www.example.com' && r['Resolve'] === '192.0.2.1')).toMatchObject({ SeenCount: 4n, RecordType: 'A' });
    expect(d.resolutions.some((r) => r['Resolve'] === '2001:db8::1' && r['SeenCount'] === 2n)).toBe(true);
    expect(d.dns.map((r) => [r['Host'], r['RecordType'], r['Value']])).toEqual([
      ['example.org', 'TXT', '203.0.113.6'],
      ['mail.example.org', 'MX', '203.0.113.5'],
    ]);
    expect(d.subdomains.map((r) => r['Hostname'])).toContain('untyped.example.co.uk');
    expect((await collectStoreDns(sql, 'DnsEvents')).events).toBe(0); // watermark: nothing new
  });
});
