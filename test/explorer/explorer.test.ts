/**
 * Explorer end to end on the demo infrastructure: search recognition, idempotent demo load, summary with
 * reputation and insights, per-data-set filters/sort/paging, MDTI CSV export read back by the verbatim MDTI
 * hunting query through `externaldata`, and the data sets as KQL tables.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportDatasetCsv, toMdtiCsv } from '../../src/explorer/csv-export.js';
import { loadDemoExplorer } from '../../src/explorer/demo.js';
import { datasetPage } from '../../src/explorer/lookup.js';
import { hostReputation } from '../../src/explorer/reputation.js';
import { classifyArtifact } from '../../src/explorer/search.js';
import { artifactSummary } from '../../src/explorer/summary.js';
import { runKql } from '../../src/hunt/run.js';
import type { Store } from '../../src/store/store.js';
import { removeTempStores, rows, sharedDir, tempStore } from './helpers.js';

const END = new Date('2024-06-01T00:00:00Z');
const mdtiFile = path.join(sharedDir, 'acceptance/mdti-queries.kql');

describe('search box recognition', () => {
  it.each([
    ['dancevida.com', 'domain'], ['login.dancevida.com', 'host'], ['203.0.113.77', 'ip'], ['2001:db8::1', 'ip'], ['198.51.100.0/24', 'cidr'],
    ['https://login.dancevida.com/owa/auth/logon.aspx', 'url'], ['a94a8fe5ccb19ba61c4c0873d391e987982fbbd3', 'certificate'],
    ['UA-12345678-1', 'tracker'], ['GTM-ABC123', 'tracker'], ['JSESSIONID', 'cookie'], ['admin@example.org', 'email'], ['AS64500', 'asn'],
    ['d41d8cd98f00b204e9800998ecf8427e', 'hash'], ['e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'hash'],
  ])('%s is a %s', (text, kind) => {
    expect(classifyArtifact(text).kind).toBe(kind);
  });
  it('rejects text that is no artifact with a clear error', () => {
    expect(() => classifyArtifact('not an artifact!')).toThrow(/is not a domain, host, IP/);
  });
});

describe('Explorer over the demo infrastructure', () => {
  let store: Store;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'quarry-explorer-csv-'));
  beforeAll(async () => {
    store = await tempStore();
    await loadDemoExplorer(store, { end: END });
    await store.append('ThreatIntelligenceIndicator', [
      { IndicatorId: 'i1', Active: true, DomainName: 'dancevida.com', Description: 'Phishing kit host', ExpirationDateTime: '2030-01-01T00:00:00Z', TimeGenerated: END },
    ]);
  });
  afterAll(async () => {
    await store?.close();
    removeTempStores();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('loading the demo twice changes nothing', async () => {
    const before = await rows(store, 'SELECT count(*) AS n, sum(SeenCount) AS s FROM ExplorerHostPairs');
    const again = await loadDemoExplorer(store, { end: END });
    expect(again.every((m) => m.skipped)).toBe(true);
    expect(await rows(store, 'SELECT count(*) AS n, sum(SeenCount) AS s FROM ExplorerHostPairs')).toEqual(before);
  });

  it('summarises a domain: every data set, reputation with fired rules, insights', async () => {
    const s = await artifactSummary(store, 'dancevida.com', { now: END });
    expect(s.artifact.kind).toBe('domain');
    expect(s.datasets['hostPairs']!.total).toBe(3);
    expect(s.datasets['resolutions']!.rows[0]).toMatchObject({ Host: 'dancevida.com', Resolve: '203.0.113.77', Asn: 64500n });
    expect(s.datasets['subdomains']!.total).toBe(4);
    expect(s.datasets['whois']!.rows[0]!['Registrar']).toBe('Example Registrar, LLC');
    expect(s.reputation!.classification).toBe('malicious');
    const names = s.reputation!.rules.map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(['Active indicator', 'Young domain', 'TLS certificate self-signed']));
    expect(s.insights!.find((i) => i.name === 'Registered and resolving')!.triggered).toBe(true);
    expect(s.insights!.find((i) => i.name === 'Subdomain count')!.detail).toBe('4 subdomains');
  });

  it('scores a host that only shares infrastructure with the malicious one, and an unknown host', async () => {
    const c2 = await hostReputation(store, 'cdn-sync.example.net', { now: END });
    expect(c2.rules.map((r) => r.name)).toContain('Shares infrastructure with a malicious host');
    expect(c2.score).toBeGreaterThanOrEqual(25);
    const none = await hostReputation(store, 'nothing.example.org', { now: END });
    expect(none).toEqual({ classification: 'unknown', score: 0, rules: [] });
  });

  it('filters, sorts and pages a data set; pivots by IP, tracker, cookie and certificate', async () => {
    const a = classifyArtifact('login.dancevida.com');
    const parents = await datasetPage(store, 'hostPairs', a, { filters: { direction: 'child' } });
    expect(parents.rows.map((r) => r['ParentHost']).sort()).toEqual(['dancevida.com', 'dancevida.com', 'login.dancevida.com', 'mail.dancevida.com']);
    const scripts = await datasetPage(store, 'hostPairs', a, { filters: { direction: 'parent', cause: 'script.src' } });
    expect(scripts.rows.map((r) => r['ChildHost'])).toEqual(['cdn.dancevida.com']);
    const p1 = await datasetPage(store, 'hostPairs', a, { top: 2, sortBy: 'firstSeen', sortDir: 'asc' });
    const p2 = await datasetPage(store, 'hostPairs', a, { top: 2, skip: 2, sortBy: 'firstSeen', sortDir: 'asc' });
    expect(p1.total).toBe(p2.total);
    expect((p1.rows[0]!['FirstSeen'] as bigint) <= (p2.rows[0]!['FirstSeen'] as bigint)).toBe(true);
    expect((await datasetPage(store, 'resolutions', classifyArtifact('203.0.113.77'))).total).toBe(4);
    expect((await datasetPage(store, 'resolutions', classifyArtifact('203.0.113.0/24'))).total).toBe(4);
    expect((await datasetPage(store, 'trackers', classifyArtifact('UA-20230503-1'))).rows[0]!['Host']).toBe('login.dancevida.com');
    expect((await datasetPage(store, 'cookies', classifyArtifact('PHPSESSID'))).total).toBe(1);
    const cert = (await datasetPage(store, 'certificates', a)).rows[0]!;
    expect((await datasetPage(store, 'hostCertificates', classifyArtifact(String(cert['Sha1'])))).total).toBe(3);
    await expect(datasetPage(store, 'hostPairs', a, { filters: { colour: 'red' } })).rejects.toThrow(/no filter 'colour'/);
  });

  it('exports Host pairs with MDTI headers; dates ISO by default, mm/dd/yyyy hh:mm on request', async () => {
    const csv = await exportDatasetCsv(store, 'hostPairs', classifyArtifact('dancevida.com'));
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('parentHostname,childHostname,firstSeen,lastSeen,attributeCause,Tags');
    expect(lines).toContain('dancevida.com,login.dancevida.com,2024-05-12T00:00:00Z,2024-05-31T00:00:00Z,redirect,');
    const mdy = toMdtiCsv('hostPairs', [{ ParentHost: 'a.example', ChildHost: 'b.example', FirstSeen: 1717243380000000n, LastSeen: 1717243380000000n, Cause: 'img.src', Tags: 'x|y' }], 'mdy');
    expect(mdy).toBe('parentHostname,childHostname,firstSeen,lastSeen,attributeCause,Tags\r\na.example,b.example,06/01/2024 12:03,06/01/2024 12:03,img.src,x|y\r\n');
    const res = await exportDatasetCsv(store, 'resolutions', classifyArtifact('dancevida.com'));
    expect(res.split('\r\n')[0]).toBe('Resolve,Location,Network,autonomousSystemNumber,firstSeen,lastSeen,Source,Tags');
    expect(res.split('\r\n')[1]).toBe('203.0.113.77,NL,203.0.113.0/24,64500,2024-05-11T00:00:00Z,2024-05-31T00:00:00Z,quarry-demo,');
  });

  it.skipIf(!fs.existsSync(mdtiFile))('the verbatim MDTI domain-controller query reads the exported CSV unchanged', async () => {
    const text = fs.readFileSync(mdtiFile, 'utf8');
    const block = /\/\/ BEGIN [^\n]*DNS queries from domain controller[^\n]*\n([\s\S]*?)\/\/ END/.exec(text)![1]!;
    const kql = block.split('\n').filter((l) => !l.startsWith('#')).join('\n');
    await store.append('IdentityQueryEvents', [
      { Timestamp: END, ActionType: 'DNS query', QueryTarget: 'login.dancevida.com', QueryType: 'A', DeviceName: 'dc01', ReportId: 'r1' },
      { Timestamp: END, ActionType: 'DNS query', QueryTarget: 'benign.example.com', QueryType: 'A', DeviceName: 'dc01', ReportId: 'r2' },
    ]);
    for (const format of ['iso', 'mdy'] as const) {
      const file = path.join(tmp, `hostpairs-${format}.csv`);
      fs.writeFileSync(file, await exportDatasetCsv(store, 'hostPairs', classifyArtifact('login.dancevida.com'), { dateFormat: format }));
      const q = kql.replace("@'Replace-with-your-Storage-Generated-SAS-URL-Token'", `@'${file}'`);
      const r = await runKql(store, q, { now: END });
      const parents = r.results.map((x) => x['parentHostName']);
      expect(parents.length, format).toBe(5); // login.dancevida.com is the parent of 5 pairs (parentPage included)
      expect(new Set(parents)).toEqual(new Set(['login.dancevida.com']));
      expect(r.schema.find((c) => c.name === 'firstSeen')?.type).toBe('datetime');
      expect(r.results.every((x) => x['firstSeen'] !== null), `${format} dates parse`).toBe(true);
    }
  });

  it('the data sets are KQL tables', async () => {
    const r = await runKql(store, 'ExplorerHostPairs | where ParentHost == "login.dancevida.com" | summarize n = count() by Cause | order by Cause asc', { now: END });
    expect(r.results.map((x) => x['Cause'])).toEqual(['img.src', 'link.href', 'parentPage', 'script.src', 'xmlhttprequest']);
  });
});
