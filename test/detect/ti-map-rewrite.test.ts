/**
 * The built-in TI-map rules are written for speed (no parse_url bag, no JSON arrays for the parent domains,
 * CIDR prefixes only of the lengths the active indicators use). Their answer is defined by the straightforward
 * form in `fixtures/ti-map-reference/`: each shipped rule must return exactly the rows of its reference query —
 * every column, same order — on events and indicators full of edge cases (ports, user info, bracketed hosts,
 * deep and trailing-dot domains, spaces, line breaks, comma lists of addresses, CIDR blocks of several
 * lengths, invalid addresses, STIX indicators, expired and inactive ones).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processCatalog } from '../../src/catalog/catalog.js';
import { loadBuiltInRules } from '../../src/detect/builtin-rules.js';
import type { RuleSpec } from '../../src/detect/rule-types.js';
import { runKql } from '../../src/hunt/run.js';
import type { Store } from '../../src/store/store.js';
import { openDetectStore, removeTempDirs, tempDir } from './detect-fixture.js';

const NOW = Date.parse('2024-06-01T12:00:00Z');
const referenceDir = path.resolve(import.meta.dirname, 'fixtures/ti-map-reference');

const hosts = [
  'https://www.Evil.example.com/path', 'http://user:pw@evil.example.com:8080/x?y=1#z', 'evil.example.com', 'evil.example.com:443',
  'evil.example.com/p:q', ' evil.example.com ', 'HTTP://EVIL.EXAMPLE.COM', 'http://a.b.c.d.e.f.evil.example.com/', 'g.h.i.j.k.evil.example.com',
  'evil.example.com.', 'http://[::1]:80/', 'ftp://evil.example.com', '1http://evil.example.com', '://evil.example.com', '', 'http://evil.example.com/#frag\nline',
  'http://evil.example.com/\npath', 'x..evil.example.com', 'evil', 'user@evil.example.com', 'http://evil.example.com@other.example.org/', 'https://good.example.net/',
  'http://x.other.example.org?q', 'http://[a#b]\n/x', 'http://', 'http://?q', 'ht!tp://evil.example.com', 'h-t.tp://evil.example.com#x',
  'https://evil.example.com:8443', 'https://EVIL.example.com?x=1', 'http://evil.example.com/a@b', 'http://evil.example.com/[x]', 'http://evil.example.com/\n',
];
const ips = [
  '203.0.113.5', '203.0.113.5,10.0.0.1', ' 198.51.100.7 ', '198.51.100.300', '010.0.0.1', '2001:DB8::1', '', '192.0.2.0/24', '1.2.3.4/16',
  '10.1.2.3, 172.16.0.1', '203.0.113.200', '8.8.8.8', '198.51.100.0', '0.0.0.0', '255.255.255.255',
];
const hashes = ['ABCDEF0123456789ABCDEF0123456789ABCDEF01', ' abcdef0123456789abcdef0123456789abcdef01', 'deadbeef', ''];
const emails = ['Bad@Evil.example.com', 'ok@good.example.net', ' bad@evil.example.com', ''];
const urls = ['https://evil.example.com/login', 'HTTPS://EVIL.EXAMPLE.COM/LOGIN', ' https://evil.example.com/login ', 'https://good.example.net/', ''];

function valuesFor(rule: RuleSpec): string[] {
  switch (rule.tiMap?.indicatorKind) {
    case 'domain': return hosts;
    case 'ip': return ips;
    case 'url': return urls;
    case 'file-hash': return hashes;
    case 'email': return emails;
    default: return [];
  }
}

async function loadIndicators(store: Store): Promise<void> {
  const base = { TimeGenerated: new Date(NOW - 3_600_000), Active: true, ThreatType: 'C2', Description: 'test', ConfidenceScore: 80, ActivityGroupNames: 'STORM-1', ExpirationDateTime: new Date(NOW + 86_400_000) };
  let n = 0;
  const rows: Record<string, unknown>[] = [];
  // Distinct times: indicators sharing a value (192.0.2.0/24 as an address and as a normalized block) are then
  // resolved by arg_max without a tie, whose winner would depend on row order.
  const add = (fields: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    rows.push({ ...base, TimeGenerated: new Date(NOW - 3_600_000 - n * 60_000), IndicatorId: `I${n++}`, ...fields, ...extra });
  for (const d of ['evil.example.com', 'EVIL.example.com ', 'example.com', 'other.example.org', 'evil', 'f.evil.example.com', '[::1]', '   ', 'com.', 'k.evil.example.com']) add({ DomainName: d });
  add({ DomainName: 'good.example.net' }, { Active: false });
  add({ DomainName: 'net' }, { ExpirationDateTime: new Date(NOW - 60_000) });
  add({ DomainName: 'example.net' }, { Description: 'State: falsepos; checked' });
  for (const ip of ['203.0.113.5', '2001:db8::1', '1.2.3.4/32', ' 8.8.8.8', '192.0.2.0/24']) add({ NetworkIP: ip });
  for (const c of ['198.51.100.0/24', '10.0.0.0/8', '192.0.2.7/24', '1.0.0.0/7', '172.16.0.0/32', '203.0.113.128/25', 'junk/24', '0.0.0.0/0']) add({ NetworkCidrBlock: c });
  add({ NetworkSourceCidrBlock: '172.16.0.0/12', NetworkDestinationIP: '10.1.2.3' });
  add({ EmailSourceIpAddress: '255.255.255.255' });
  for (const h of ['abcdef0123456789abcdef0123456789abcdef01', 'DEADBEEF']) add({ FileHashValue: h });
  for (const e of ['bad@evil.example.com']) add({ EmailSenderAddress: e });
  add({ EmailRecipient: 'OK@good.example.net' });
  for (const u of ['https://evil.example.com/login', 'https://good.example.net/ ']) add({ Url: u });
  await store.append('ThreatIntelligenceIndicator', rows);
  const stix = (key: string, value: string, extra: Record<string, unknown> = {}) => ({
    TimeGenerated: new Date(NOW - 7_200_000), Id: `S-${key}-${value}`, ObservableKey: key, ObservableValue: value, IsActive: true, Revoked: false, IsDeleted: false,
    Confidence: 60, ValidUntil: new Date(NOW + 86_400_000), Data: JSON.stringify({ description: 'stix' }), AdditionalFields: JSON.stringify({ ThreatType: 'Phishing' }), ...extra,
  });
  await store.append('ThreatIntelIndicators', [
    stix('domain-name:value', 'other.example.org'), stix('domain-name:value', 'b.c.d.e.f.evil.example.com'),
    stix('ipv4-addr:value', '203.0.113.0/26'), stix('ipv4-addr:value', '8.8.0.0/16'), stix('ipv4-addr:value', '198.51.100.7/32'), stix('ipv6-addr:value', '2001:DB8::1'),
    stix('url:value', 'https://good.example.net/'), stix('file:hashes.SHA1', 'ABCDEF0123456789ABCDEF0123456789ABCDEF01'), stix('email-addr:value', 'ok@good.example.net'),
    stix('domain-name:value', 'evil.example.com', { Revoked: true }),
  ]);
}

/** One event per value and candidate column (the others hold a value that matches nothing), plus one with them all. */
async function loadEvents(store: Store, rule: RuleSpec): Promise<void> {
  const table = rule.tiMap!.table;
  const cols = rule.tiMap!.columns;
  const values = valuesFor(rule);
  const rows: Record<string, unknown>[] = [];
  let id = 0;
  const def = processCatalog().getTable(table);
  const has = new Set([...def.columns.map((c) => c.name), 'TimeGenerated']); // Defender tables store the Sentinel view's TimeGenerated too
  const idType = def.columns.find((c) => c.name === 'ReportId')?.type;
  const ev = (fields: Record<string, unknown>) => {
    const t = new Date(NOW - 60_000 - id * 1000);
    const row: Record<string, unknown> = {
      Timestamp: t, TimeGenerated: t, ReportId: idType === 'long' ? id : `r${id}`, DeviceName: 'pc1', InitiatingProcessAccountUpn: 'user@corp.example',
      RemoteIP: '10.9.9.9', Computer: 'pc1', ...fields,
    };
    id++;
    return Object.fromEntries(Object.entries(row).filter(([k]) => has.has(k)));
  };
  for (const v of values) for (const c of cols) rows.push(ev(Object.fromEntries(cols.map((k) => [k, k === c ? v : 'nothing.invalid']))));
  rows.push(ev(Object.fromEntries(cols.map((k, i) => [k, values[i % values.length]]))));
  rows.push(ev({})); // all candidate columns null
  await store.append(table, rows);
}

// Distinct rows: the reference masks an address that carries its own prefix ("192.0.2.0/24") to every length from
// 8 to 32 and so repeats identical rows (same event, entity and indicator), which the alert dedup key collapses.
const canon = (rows: Record<string, unknown>[]) => [...new Set(rows.map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))))].sort();

describe('built-in TI-map rules return exactly the rows of their straightforward form', () => {
  let store: Store;
  const rules = loadBuiltInRules().filter((r) => r.tiMap && fs.existsSync(path.join(referenceDir, `${r.id.replace(/^quarry-/, '')}.kql`)));

  beforeAll(async () => {
    store = await openDetectStore(tempDir());
    await loadIndicators(store);
    // Tables shared by several rules (DeviceNetworkEvents: domain, ip and url) get each rule's events.
    for (const r of rules) await loadEvents(store, r);
  });
  afterAll(async () => {
    await store?.close();
    removeTempDirs();
  });

  it('has a reference for every shipped TI-map rule', () => {
    expect(rules.length).toBe(loadBuiltInRules().filter((r) => r.tiMap).length);
    expect(rules.length).toBeGreaterThanOrEqual(13);
  });

  for (const file of fs.readdirSync(referenceDir).filter((f) => f.endsWith('.kql')).sort()) {
    it(file.replace(/\.kql$/, ''), async () => {
      const rule = rules.find((r) => r.id === `quarry-${file.replace(/\.kql$/, '')}`)!;
      expect(rule).toBeDefined();
      const opts = { now: new Date(NOW), view: rule.view, timespan: `${new Date(NOW - rule.periodMs).toISOString()}/${new Date(NOW).toISOString()}`, maxRows: 100_000 };
      const expected = await runKql(store, fs.readFileSync(path.join(referenceDir, file), 'utf8'), opts);
      const actual = await runKql(store, rule.query, opts);
      expect(actual.schema).toEqual(expected.schema);
      expect(canon(actual.results)).toEqual(canon(expected.results));
      expect(expected.results.length).toBeGreaterThan(3); // the data does exercise the rule
    });
  }
});
