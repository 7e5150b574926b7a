/**
 * Collectors other than Zeek DNS: Zeek x509/ssl certificates (real WRCCDC logs), passive DNS from the store's
 * DnsEvents / DeviceEvents DnsQueryResponse / IdentityQueryEvents with watermarks, CIRCL COF import/export.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCof, importCof } from '../../src/explorer/collectors/cof.js';
import { collectZeekCertificates } from '../../src/explorer/collectors/certs-zeek.js';
import { collectStoreDns } from '../../src/explorer/collectors/pdns-store.js';
import type { Store } from '../../src/store/store.js';
import { missingShared, removeTempStores, rows, sharedData, tempStore } from './helpers.js';

const ZEEK = 'brimdata-zed-sample-data/zeek-default';
const skipZeek = missingShared(`${ZEEK}/x509.log.gz`);
if (skipZeek) console.warn(`skipping Zeek certificate test: ${skipZeek}`);

describe('collectors', () => {
  let store: Store;
  beforeAll(async () => {
    store = await tempStore();
  });
  afterAll(async () => {
    await store?.close();
    removeTempStores();
  });

  it.skipIf(skipZeek !== null)('Zeek x509.log + ssl.log give certificates and host links with ports', async () => {
    await collectZeekCertificates(store, { x509: sharedData(`${ZEEK}/x509.log.gz`), ssl: sharedData(`${ZEEK}/ssl.log.gz`) });
    const [c] = await rows(store, 'SELECT count(*) AS n, count(*) FILTER (WHERE SelfSigned) AS self FROM ExplorerCertificates');
    expect(Number(c!['n'])).toBeGreaterThan(50);
    expect(Number(c!['self'])).toBeGreaterThan(0);
    const link = await rows(
      store,
      "SELECT Host, Port FROM ExplorerHostCertificates WHERE Fingerprint = 'b2dafbcdbc75210672f137f27ce882ccb799887631655d4f11191d5a678e44fe' AND Host = '10.47.3.200'",
    );
    expect(link).toEqual([{ Host: '10.47.3.200', Port: 443 }]);
    const vm = await rows(store, "SELECT SubjectCommonName, IssuerOrganization FROM ExplorerCertificates WHERE Fingerprint = 'b2dafbcdbc75210672f137f27ce882ccb799887631655d4f11191d5a678e44fe'");
    expect(vm).toEqual([{ SubjectCommonName: 'localhost.localdomain', IssuerOrganization: 'VMware Installer' }]);
  });

  it('passive DNS from DnsEvents, DeviceEvents and IdentityQueryEvents; re-runs add only new events', async () => {
    await store.append('DnsEvents', [
      { TimeGenerated: '2024-05-01T10:00:00Z', Name: 'c2.example.net', QueryType: 'A', IPAddresses: '192.0.2.10, 192.0.2.11', SubType: 'LookupQuery' },
      { TimeGenerated: '2024-05-02T10:00:00Z', Name: 'c2.example.net', QueryType: 'A', IPAddresses: '192.0.2.10', SubType: 'LookupQuery' },
    ]);
    await store.append('DeviceEvents', [
      {
        Timestamp: '2024-05-03T00:00:00Z', ActionType: 'DnsQueryResponse', ReportId: 1,
        AdditionalFields: JSON.stringify({ DnsQueryString: 'c2.example.net', DnsQueryResult: [{ DnsQueryType: 1, DnsQueryTypeName: 'A', Address: '192.0.2.10' }] }),
      },
    ]);
    await store.append('IdentityQueryEvents', [
      { Timestamp: '2024-05-04T00:00:00Z', ActionType: 'DNS query', QueryTarget: 'dc-seen.example.org', QueryType: 'A', ReportId: 'x', AdditionalFields: { Answers: ['198.51.100.5'] } },
    ]);
    expect((await collectStoreDns(store, 'DnsEvents')).events).toBe(2);
    expect((await collectStoreDns(store, 'DeviceEvents')).events).toBe(1);
    expect((await collectStoreDns(store, 'IdentityQueryEvents')).events).toBe(1);
    const r = await rows(store, "SELECT Resolve, SeenCount, FirstSeen, LastSeen, Source FROM ExplorerResolutions WHERE Host = 'c2.example.net' ORDER BY Resolve, Source");
    expect(r.map((x) => [x['Resolve'], x['SeenCount'], x['Source']])).toEqual([
      ['192.0.2.10', 2n, 'DnsEvents'], ['192.0.2.10', 1n, 'DeviceEvents'], ['192.0.2.11', 1n, 'DnsEvents'],
    ].sort((a, b) => String(a[0]).localeCompare(String(b[0])) || String(a[2]).localeCompare(String(b[2]))));
    expect(await rows(store, "SELECT Resolve FROM ExplorerResolutions WHERE Host = 'dc-seen.example.org'")).toEqual([{ Resolve: '198.51.100.5' }]);
    expect((await collectStoreDns(store, 'DnsEvents')).events).toBe(0); // watermark: nothing new
    await store.append('DnsEvents', [{ TimeGenerated: '2024-05-05T10:00:00Z', Name: 'c2.example.net', QueryType: 'A', IPAddresses: '192.0.2.10', SubType: 'LookupQuery' }]);
    expect((await collectStoreDns(store, 'DnsEvents')).events).toBe(1);
    const [e] = await rows(store, "SELECT SeenCount, LastSeen FROM ExplorerResolutions WHERE Host = 'c2.example.net' AND Resolve = '192.0.2.10' AND Source = 'DnsEvents'");
    expect(e!['SeenCount']).toBe(3n);
    expect(e!['LastSeen']).toBe(BigInt(Date.parse('2024-05-05T10:00:00Z')) * 1000n);
  });

  it('imports and exports CIRCL COF', async () => {
    const cof = [
      { rrname: 'cof.example.com', rrtype: 'A', rdata: '192.0.2.77', time_first: 1700000000, time_last: 1700090000, count: 12, sensor_id: 'circl' },
      { rrname: 'cof.example.com', rrtype: 'NS', rdata: ['ns1.example.com', 'ns2.example.com'], time_first: 1700000000, time_last: 1700000000 },
      { rrname: '77.2.0.192.in-addr.arpa', rrtype: 'PTR', rdata: 'cof.example.com', time_first: 1700000000, time_last: 1700000000 },
    ].map((o) => JSON.stringify(o)).join('\n');
    await importCof(store, cof);
    expect(await rows(store, "SELECT Address, Value FROM ExplorerReverseDns WHERE Value = 'cof.example.com'")).toEqual([{ Address: '192.0.2.77', Value: 'cof.example.com' }]);
    const out = (await exportCof(store, 'cof.example.com')).trim().split('\n').map((l) => JSON.parse(l));
    expect(out).toEqual([
      { rrname: 'cof.example.com', rrtype: 'A', rdata: '192.0.2.77', time_first: 1700000000, time_last: 1700090000, count: 12, sensor_id: 'circl' },
      { rrname: 'cof.example.com', rrtype: 'NS', rdata: 'ns1.example.com', time_first: 1700000000, time_last: 1700000000, count: 1, sensor_id: 'cof' },
      { rrname: 'cof.example.com', rrtype: 'NS', rdata: 'ns2.example.com', time_first: 1700000000, time_last: 1700000000, count: 1, sensor_id: 'cof' },
    ]);
    await expect(importCof(store, '{not json')).rejects.toThrow(/COF line 1 is not JSON/);
  });
});
