/**
 * Zeek logs through the real pipeline into a real store: all of brimdata's dns.log.gz lands in DnsEvents
 * with correct types, and a KQL count by QueryType (runKql) equals a count made independently from the raw
 * file; ssl.log / x509.log land in ZeekSsl / ZeekX509; Zeek JSON and conn.log map as documented.
 */
import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKql } from '../../src/hunt/run.js';
import { bufferSource, fileSource } from '../../src/ingest/input.js';
import { ingest } from '../../src/ingest/pipeline.js';
import type { Store } from '../../src/store/store.js';
import { openIngestStore, removeTempDirs, tempDir, zeekDir } from './helpers.js';

const dnsFile = path.join(zeekDir, 'dns.log.gz');
const haveData = fs.existsSync(dnsFile);
if (!haveData) console.warn(`SKIPPED Zeek sample tests: ${dnsFile} is absent (../shared/data not mounted)`);

let store: Store;
beforeAll(async () => {
  store = await openIngestStore(tempDir());
});
afterAll(async () => {
  await store?.close();
  removeTempDirs();
});

/** The independent count: parse the raw TSV by its #fields header, QueryType per the documented mapping. */
function rawQueryTypeCounts(): { counts: Map<string, number>; rows: number; firstTs: string } {
  const text = gunzipSync(fs.readFileSync(dnsFile)).toString('utf8');
  const lines = text.split('\n');
  const fields = lines.find((l) => l.startsWith('#fields'))!.split('\t').slice(1);
  const qn = fields.indexOf('qtype_name');
  const counts = new Map<string, number>();
  let rows = 0;
  let firstTs = '';
  for (const l of lines) {
    if (l === '' || l.startsWith('#')) continue;
    const cells = l.split('\t');
    rows++;
    if (!firstTs) firstTs = cells[0]!;
    const name = cells[qn]!;
    const key = name === '-' ? '' : name === '*' ? 'ANY' : name;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return { counts, rows, firstTs };
}

describe.skipIf(!haveData)('Zeek dns.log.gz → DnsEvents', () => {
  it('lands all 53,615 rows with correct types; KQL count by QueryType matches the raw file', async () => {
    const summary = await ingest(store, fileSource(dnsFile), { source: 'test', format: 'zeek' });
    const raw = rawQueryTypeCounts();
    expect(raw.rows).toBe(53_615);
    expect(summary).toMatchObject({ records: 53_615, accepted: 53_615, rejected: 0, duplicate: 0 });
    expect(summary.tables).toEqual({ DnsEvents: { accepted: 53_615, rejected: 0 } });

    const r = await runKql(store, 'DnsEvents | summarize n = count() by QueryType');
    const kql = new Map(r.results.map((row) => [String(row.QueryType ?? ''), Number(row.n)]));
    expect(kql).toEqual(raw.counts);
    expect(raw.counts.get('A')).toBe(35_525);

    // Types: the first row's time keeps its microseconds, ResultCode is an int, answers are kept.
    const first = await runKql(store, 'DnsEvents | top 1 by TimeGenerated asc | project TimeGenerated, ClientIP, Computer, Name, QueryType, IPAddresses, ResultCode, Result');
    const schema = Object.fromEntries(first.schema.map((c) => [c.name, c.type]));
    expect(schema).toMatchObject({ TimeGenerated: 'datetime', ResultCode: 'int', IPAddresses: 'string' });
    const row = first.results[0]!;
    const [secs, frac] = raw.firstTs.split('.');
    expect(String(row.TimeGenerated)).toBe(new Date(Number(secs) * 1000).toISOString().slice(0, 19) + `.${frac}0Z`);
    expect(row).toMatchObject({ ClientIP: '10.47.1.100', Computer: '10.0.0.100', Name: 'ise.wrccdc.org', QueryType: 'A', IPAddresses: 'ise.wrccdc.cpp.edu,134.71.3.16', ResultCode: 0, Result: 'NOERROR' });
  }, 120_000);

  it('ingesting the same log again adds nothing', async () => {
    const again = await ingest(store, fileSource(dnsFile), { source: 'test', format: 'zeek' });
    expect(again).toMatchObject({ accepted: 0, rejected: 0, duplicate: 53_615 });
    expect(await store.count('DnsEvents')).toBe(53_615n);
  }, 120_000);

  it('ssl.log and x509.log land in ZeekSsl and ZeekX509', async () => {
    for (const [file, table] of [['ssl.log.gz', 'ZeekSsl'], ['x509.log.gz', 'ZeekX509']] as const) {
      const lines = gunzipSync(fs.readFileSync(path.join(zeekDir, file))).toString('utf8').split('\n').filter((l) => l !== '' && !l.startsWith('#'));
      const s = await ingest(store, fileSource(path.join(zeekDir, file)), { source: 'test', format: 'zeek' });
      expect(s, file).toMatchObject({ accepted: lines.length, rejected: 0 });
      expect(await store.count(table)).toBe(BigInt(lines.length));
    }
    const x = await runKql(store, 'ZeekX509 | where CertificateKeyLength == 2048 and isnotempty(Fingerprint) | take 1 | project CertificateNotValidAfter, SanDns, BasicConstraintsCa');
    expect(x.results.length).toBe(1);
    expect(x.schema.find((c) => c.name === 'CertificateNotValidAfter')?.type).toBe('datetime');
  }, 120_000);
});

describe('Zeek JSON and conn.log', () => {
  it('maps conn.log (TSV) to NetworkSession and Zeek JSON dns to DnsEvents', async () => {
    const conn = [
      '#separator \\x09',
      '#path\tconn',
      '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\tresp_pkts',
      '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount',
      '1700000000.250000\tCabc\t10.0.0.5\t51000\t93.184.216.34\t443\ttcp\tssl\t1.500000\t900\t5000\tSF\tT\tF\t0\tShADadFf\t10\t12',
      '1700000001.000000\tCdef\t10.0.0.6\t51001\t10.0.0.7\t22\ttcp\t-\t-\t-\t-\tREJ\tT\tT\t0\tSr\t1\t1',
      '1700000002.000000\tCbad\t10.0.0.6\tnotaport\t10.0.0.7\t22\ttcp\t-\t-\t-\t-\tREJ\tT\tT\t0\tSr\t1\t1',
    ].join('\n');
    const s = await ingest(store, bufferSource(conn), { source: 'test', format: 'zeek' });
    expect(s).toMatchObject({ accepted: 2, rejected: 1 });
    const r = await runKql(store, 'NetworkSession | where NetworkSessionId == "Cabc" | project EventStartTime, EventEndTime, SrcIpAddr, DstPortNumber, NetworkProtocol, NetworkDuration, NetworkBytes, NetworkDirection, EventResult, AdditionalFields');
    expect(r.results[0]).toMatchObject({ SrcIpAddr: '10.0.0.5', DstPortNumber: 443, NetworkProtocol: 'TCP', NetworkDuration: 1500, NetworkBytes: 5900n, NetworkDirection: 'Outbound', EventResult: 'Success' });
    expect(String(r.results[0]!.EventEndTime)).toBe('2023-11-14T22:13:21.7500000Z');
    const rej = await runKql(store, 'NetworkSession | where NetworkSessionId == "Cdef" | project EventResult, NetworkDirection');
    expect(rej.results[0]).toMatchObject({ EventResult: 'Failure', NetworkDirection: 'Local' });

    const json = [
      '{"_path":"dns","ts":1700000000.123456,"uid":"Cj1","id.orig_h":"10.1.1.1","id.orig_p":5353,"id.resp_h":"10.1.1.53","id.resp_p":53,"proto":"udp","query":"json.example","qtype":28,"qtype_name":"AAAA","rcode":3,"rcode_name":"NXDOMAIN","answers":["2001:db8::1"]}',
      '{"_path":"dns","ts":"2023-11-14T22:13:20.5Z","query":"iso.example","qtype":65,"rcode":0,"rcode_name":"NOERROR"}',
      '{"_path":"dns","ts":"yesterday","query":"bad.example"}',
    ].join('\n');
    const j = await ingest(store, bufferSource(json), { source: 'test', format: 'zeek' });
    expect(j).toMatchObject({ accepted: 2, rejected: 1 });
    const d = await runKql(store, 'DnsEvents | where Name endswith ".example" | order by Name asc | project Name, QueryType, ResultCode, IPAddresses, TimeGenerated');
    expect(d.results.map((x) => [x.Name, x.QueryType])).toEqual([['iso.example', 'TYPE65'], ['json.example', 'AAAA']]);
    expect(String(d.results[1]!.TimeGenerated)).toBe('2023-11-14T22:13:20.1234560Z');
    const q = await store.query("SELECT reason FROM _ingest_quarantine WHERE raw LIKE '%bad.example%'");
    expect(String(q.rows[0]![0])).toMatch(/TimeGenerated.*date-time/);
  });
});
