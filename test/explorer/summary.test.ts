/**
 * The artifact summary takes insight and reputation inputs from the data-set pages it has already read
 * instead of querying them again. These tests hold it to the standalone answers: for hosts, domains, IPs and
 * URLs of the demo infrastructure (plus rows that make pages incomplete, crawls, services and components),
 * every page, the insights and the reputation equal what `datasetPage`, `hostInsights` and `hostReputation`
 * return on their own — with the default page size, with pages too small to hold every row, and with none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoExplorer } from '../../src/explorer/demo.js';
import { datasets } from '../../src/explorer/datasets.js';
import { hostInsights } from '../../src/explorer/insights.js';
import { datasetPage } from '../../src/explorer/lookup.js';
import { mergeObservations } from '../../src/explorer/merge.js';
import { hostReputation } from '../../src/explorer/reputation.js';
import { classifyArtifact, hostOfArtifact } from '../../src/explorer/search.js';
import { artifactSummary, summaryDatasets } from '../../src/explorer/summary.js';
import type { Store } from '../../src/store/store.js';
import { removeTempStores, tempStore } from './helpers.js';

const END = new Date('2024-06-01T00:00:00Z');
const ts = (s: string) => BigInt(Date.parse(s)) * 1000n;

describe('artifact summary equals the standalone lookups', () => {
  let store: Store;
  beforeAll(async () => {
    store = await tempStore();
    await loadDemoExplorer(store, { end: END });
    await store.append('ThreatIntelligenceIndicator', [
      { IndicatorId: 'i1', Active: true, DomainName: 'dancevida.com', Description: 'Phishing kit host', ExpirationDateTime: '2030-01-01T00:00:00Z', TimeGenerated: END },
    ]);
    // Rows the demo lacks: services with open ports, crawls of several statuses, a server component, more
    // resolutions than a one-row page holds.
    await mergeObservations(store, datasets.services, [
      { Address: '203.0.113.77', Port: 443, Protocol: 'tcp', Status: 'open', FirstSeen: ts('2024-05-01'), LastSeen: ts('2024-05-20'), Source: 't' },
      { Address: '203.0.113.77', Port: 8080, Protocol: 'tcp', Status: 'closed', FirstSeen: ts('2024-05-02'), LastSeen: ts('2024-05-21'), Source: 't' },
    ]);
    await mergeObservations(store, datasets.crawls, [
      { Url: 'https://dancevida.com/', CrawledAt: ts('2024-05-10'), Host: 'dancevida.com', FinalHost: 'login.dancevida.com', Status: 302 },
      { Url: 'https://dancevida.com/x', CrawledAt: ts('2024-05-11'), Host: 'dancevida.com', FinalHost: 'dancevida.com', Status: 404 },
      { Url: 'https://login.dancevida.com/', CrawledAt: ts('2024-05-12'), Host: 'login.dancevida.com', FinalHost: 'login.dancevida.com', Status: 200 },
    ]);
    await mergeObservations(store, datasets.components, [
      { Host: 'dancevida.com', Category: 'Server', Name: 'nginx', Version: '1.25', FirstSeen: ts('2024-05-10'), LastSeen: ts('2024-05-10'), Source: 't' },
      { Host: 'dancevida.com', Category: 'Framework', Name: 'jQuery', Version: '3.7', FirstSeen: ts('2024-05-10'), LastSeen: ts('2024-05-11'), Source: 't' },
    ]);
    await mergeObservations(store, datasets.resolutions, [
      { Host: 'dancevida.com', Resolve: '203.0.113.78', RecordType: 'A', FirstSeen: ts('2024-04-01'), LastSeen: ts('2024-04-02'), Source: 't' },
      { Host: 'dancevida.com', Resolve: '2001:db8::77', RecordType: 'AAAA', FirstSeen: ts('2024-04-01'), LastSeen: null, Source: 't' },
    ]);
  });
  afterAll(async () => {
    await store?.close();
    removeTempStores();
  });

  const artifacts = ['dancevida.com', 'login.dancevida.com', '203.0.113.77', 'cdn-sync.example.net', 'nothing.example.org', 'https://login.dancevida.com/owa/', 'UA-20230503-1'];

  it.each([25, 1, 0])('with pages of %i rows', async (top) => {
    let fired = 0;
    for (const text of artifacts) {
      const s = await artifactSummary(store, text, { now: END, top });
      const a = classifyArtifact(text);
      for (const d of summaryDatasets) expect(s.datasets[d], `${text} ${d}`).toEqual(await datasetPage(store, d, a, { top }));
      const host = hostOfArtifact(a);
      if (!host) {
        expect(s.reputation).toBeUndefined();
        continue;
      }
      expect(s.insights, text).toEqual(await hostInsights(store, host));
      expect(s.reputation, text).toEqual(await hostReputation(store, host, { now: END }));
      fired += s.reputation!.rules.length + s.insights!.filter((i) => i.triggered).length;
    }
    expect(fired).toBeGreaterThan(10); // the comparison covers rules and cards that fire, not only empty answers
  });

  it('shows the facts the pages answer', async () => {
    const s = await artifactSummary(store, 'dancevida.com', { now: END });
    const card = (n: string) => s.insights!.find((i) => i.name === n)!;
    expect(card('Hosts a web server')).toMatchObject({ triggered: true, detail: '1 server components, 1 pages served' });
    expect(card('Crawled').detail).toBe('last crawl 2024-05-11T00:00:00.000Z');
    const ip = await artifactSummary(store, '203.0.113.77', { now: END });
    expect(ip.insights!.find((i) => i.name === 'Open ports detected')).toMatchObject({ triggered: true, detail: expect.stringMatching(/^ports .*\b443\b/) });
  });

  it('still scores when a table of another feature is missing (each probe then runs on its own)', async () => {
    const other = await tempStore();
    await loadDemoExplorer(other, { end: END });
    await other.append('ThreatIntelligenceIndicator', [
      { IndicatorId: 'i1', Active: true, DomainName: 'dancevida.com', Description: 'Phishing kit host', ExpirationDateTime: '2030-01-01T00:00:00Z', TimeGenerated: END },
    ]);
    await other.exec('DROP TABLE ThreatIntelObjects');
    const s = await artifactSummary(other, 'dancevida.com', { now: END });
    expect(s.reputation!.rules.map((r) => r.name)).toEqual(expect.arrayContaining(['Active indicator', 'Young domain']));
    expect((await hostReputation(other, 'cdn-sync.example.net', { now: END })).rules.map((r) => r.name)).toContain('Shares infrastructure with a malicious host');
    await other.close();
  });

  it('reports a failing page and leaves no reputation run behind', async () => {
    const other = await tempStore();
    await other.exec('DROP TABLE ExplorerTrackers');
    await expect(artifactSummary(other, 'dancevida.com')).rejects.toThrow(/ExplorerTrackers/);
    await other.close();
  });
});
