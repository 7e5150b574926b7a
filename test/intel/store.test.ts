/**
 * Intel store behaviour end to end on a real DuckDB store: Sentinel table projection (KQL via runKql),
 * revoke, tags, MISP to_ids, profiles with cross-source alias resolution, articles, projects, demo intel,
 * and the STIX export that re-imports into an empty store with identical objects.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKql } from '../../src/hunt/run.js';
import { articleIndicatorsCsv, getArticle, listArticles } from '../../src/intel/articles.js';
import { loadDemoIntel } from '../../src/intel/demo.js';
import { exportBundle } from '../../src/intel/export/stix.js';
import { importIntelFile, importIntelText } from '../../src/intel/import/index.js';
import { findObservable } from '../../src/intel/object-read.js';
import { revokeObject } from '../../src/intel/object-store.js';
import { getProfile, listProfiles, profileIndicators } from '../../src/intel/profiles.js';
import { addArtifact, addCollaborator, createProject, projectArtifacts, projectDetailsCsv, projectHistory, projectListCsv, listProjects } from '../../src/intel/projects.js';
import { addTags } from '../../src/intel/tags.js';
import type { Store } from '../../src/store/store.js';
import { dataDir, haveSharedData, noDataReason, openIntelStore, removeTempDirs } from './open-intel-store.js';

let store: Store;
const kql = async (q: string) => (await runKql(store, q)).results as Record<string, unknown>[];
const CURRENT = 'ThreatIntelligenceIndicator | summarize arg_max(TimeGenerated, *) by IndicatorId';

beforeAll(async () => {
  store = await openIntelStore();
});
afterAll(async () => {
  await store?.close();
  removeTempDirs();
});

describe('Sentinel TI tables', () => {
  const csv = 'type,value,source\ndomain,evil[.]example,test\nip,192.0.2.10,test\nurl,hxxp://evil[.]example/a,test\nsha256,' + 'ab'.repeat(32) + ',test\n';
  it('projects one current row per live indicator observable, revokes into both tables, tags append a version', async () => {
    const r = await importIntelText(store, csv, 'unit.csv');
    expect(r).toMatchObject({ format: 'csv', created: 4 });
    const live = await kql(`${CURRENT} | where Active | where IndicatorProvider == 'unit.csv' | project DomainName, NetworkIP, Url, FileHashValue, ExternalIndicatorId`);
    expect(live).toHaveLength(4);
    expect(live.map((x) => x.DomainName || x.NetworkIP || x.Url || x.FileHashValue).sort()).toEqual(['192.0.2.10', 'ab'.repeat(32), 'evil.example', 'http://evil.example/a']);
    const id = (await findObservable(store, 'evil.example'))!.indicators[0]!.id;
    await revokeObject(store, id);
    const after = await kql(`${CURRENT} | where IndicatorProvider == 'unit.csv' | summarize active = countif(Active), total = count()`);
    expect(after).toEqual([{ active: 3n, total: 4n }]);
    const stix = await kql(`ThreatIntelIndicators | where Id == '${id}' | summarize arg_max(TimeGenerated, *) by Id, ObservableValue | project IsActive, Revoked, ObservableKey`);
    expect(stix).toEqual([{ IsActive: false, Revoked: true, ObservableKey: 'domain-name:value' }]);
    const ip = (await findObservable(store, '192.0.2.10'))!.indicators[0]!.id;
    const before = await store.count('ThreatIntelligenceIndicator');
    await addTags(store, ip, ['watchlist']);
    const added = (await store.query("SELECT IndicatorId, Tags FROM ThreatIntelligenceIndicator ORDER BY TimeGenerated DESC LIMIT 3")).rows;
    expect(await store.count('ThreatIntelligenceIndicator'), JSON.stringify(added)).toBe(before + 1n);
    expect(await kql(`${CURRENT} | where NetworkIP == '192.0.2.10' | project Tags`)).toEqual([{ Tags: 'watchlist' }]);
    // importing the same file again appends nothing
    const n = await store.count('ThreatIntelIndicators');
    expect((await importIntelText(store, csv, 'unit.csv')).unchanged).toBe(4);
    expect(await store.count('ThreatIntelIndicators')).toBe(n);
  });

  it.skipIf(!haveSharedData)('MISP to_ids=false rows are present but inactive; one observable, several indicators across sources', async () => {
    await importIntelFile(store, path.join(dataDir, 'eset-malware-ioc/turla/misp-turla-comrat-v4-event.json'));
    const rows = await kql(`${CURRENT} | where IndicatorProvider == 'misp-turla-comrat-v4-event.json' | summarize n = count(), active = countif(Active), domains = countif(isnotempty(DomainName))`);
    expect(rows).toEqual([{ n: 36n, active: 0n, domains: 27n }]);
    await importIntelText(store, 'type,value\ndomain,arinas[.]tk\n', 'other-feed.csv');
    const hit = await findObservable(store, 'arinas.tk');
    expect(hit?.indicators.map((i) => i.source).sort()).toEqual(['misp-turla-comrat-v4-event.json', 'other-feed.csv']);
    const whole = await kql(`${CURRENT} | where Active | summarize n = count(), ids = dcount(ExternalIndicatorId)`);
    const liveObs = await store.query(`SELECT count(*) FROM intel_observables ob JOIN intel_objects o ON o.id = ob.indicator_id AND o.is_current
      WHERE NOT o.revoked AND json_extract(o.json, '$.x_quarry_detect') IS NULL AND ob.kind IN ('domain','ipv4','ipv6','url','md5','sha1','sha256','sha512','email','filename')`);
    expect(whole[0]!.n).toBe(liveObs.rows[0]![0]);
  });
});

describe.skipIf(!haveSharedData)(`profiles, articles and export (${haveSharedData ? 'data present' : noDataReason})`, () => {
  beforeAll(async () => {
    for (const f of ['misp-galaxy/clusters/threat-actor.json', 'misp-galaxy/clusters/microsoft-activity-group.json', 'misp-galaxy/clusters/mitre-intrusion-set.json',
      'misp-galaxy/clusters/mitre-attack-pattern.json', 'eset-malware-ioc/dukes/misp-dukes-operation-ghost-event.json', 'oasis-cti-stix2-json-schemas/examples/threat-reports/apt1.json']) {
      await importIntelFile(store, path.join(dataDir, f));
    }
  }, 60_000);

  it('resolves a Microsoft name, an APT number and a vendor name to one actor profile', async () => {
    const a = await getProfile(store, 'Midnight Blizzard');
    expect(a.kind).toBe('actor');
    expect(a.title).toBe('Midnight Blizzard');
    for (const alias of ['APT29', 'apt 29', 'Cozy Bear', 'NOBELIUM', 'The Dukes']) expect((await getProfile(store, alias)).id).toBe(a.id);
    expect(a.aliases).toEqual(expect.arrayContaining(['APT29', 'NOBELIUM', 'UNC2452']));
    expect(a.countriesOrRegionsOfOrigin[0]).toMatchObject({ code: 'RU' });
    expect(a.ttps.length, JSON.stringify(a.memberIds)).toBeGreaterThan(20);
    expect(a.ttps.map((t) => t.id)).toContain('T1078');
    // the Dukes MISP event's indicators reach the profile through its galaxy cluster
    const ind = await profileIndicators(store, a.id, { top: 5 });
    expect(ind.total).toBe(87);
    expect(ind.items[0]).toMatchObject({ source: 'osint', firstSeenDateTime: expect.any(String) });
    const list = await listProfiles(store, { kind: 'actor', search: 'blizzard' });
    expect(list.total).toBe(10);
  });

  it('shapes reports as articles and exports their indicators as MDTI CSV', async () => {
    const arts = await listArticles(store, { search: 'Operation Ghost' });
    expect(arts.total).toBe(1);
    const art = await getArticle(store, arts.items[0]!.id);
    expect(art).toMatchObject({ isFeatured: false, body: { format: 'markdown' } });
    const csv = await articleIndicatorsCsv(store, art.id);
    expect(csv.split('\r\n')[0]).toBe('type,value,source');
    expect(csv).toContain('url,');
  });

  it('exports a STIX bundle that re-imports into an empty Quarry with identical objects', async () => {
    const bundle = await exportBundle(store, { kind: 'all' });
    const empty = await openIntelStore();
    try {
      const r = await importIntelText(empty, JSON.stringify(bundle), 'roundtrip.json');
      expect(r.rejected).toBe(0);
      const snap = async (s: Store) => (await s.query('SELECT id, version, hash, is_current FROM intel_objects ORDER BY id, version')).rows.map((x) => x.join('|'));
      expect(await snap(empty)).toEqual(await snap(store));
      const prof = await exportBundle(store, { kind: 'profile', id: 'APT29' });
      expect(prof.objects.filter((o) => o.type === 'attack-pattern').length).toBeGreaterThan(20);
      expect(prof.objects.some((o) => o.type === 'indicator')).toBe(true);
    } finally {
      await empty.close();
    }
  });
});

describe('projects and demo intel', () => {
  it('keeps projects with artifacts, collaborators, history and MDTI CSV layouts', async () => {
    const p = await createProject(store, { name: 'Dance hall', owner: 'ana', visibility: 'shared', tags: ['phish'] });
    await addArtifact(store, p.id, { artifact: 'dancevida[.]com', context: 'phishing kit host', creator: 'ana', tags: ['kit'] });
    await addArtifact(store, p.id, { artifact: '203.0.113.77', creator: 'ana' });
    await addCollaborator(store, p.id, 'ben', 'ana');
    expect((await projectArtifacts(store, p.id)).map((a) => [a.artifact, a.type])).toEqual([['dancevida.com', 'domain'], ['203.0.113.77', 'IP']]);
    expect((await projectHistory(store, p.id)).map((h) => h.action)).toEqual(['created', 'artifact-added', 'artifact-added', 'collaborator-added']);
    const details = projectDetailsCsv((await listProjects(store, { id: p.id }))[0]!, await projectArtifacts(store, p.id));
    expect(details.split('\r\n')[0]).toBe('artifact,type,created,creator,context,tags,collaborators');
    expect(details).toContain('dancevida.com,domain,');
    expect(projectListCsv(await listProjects(store, { user: 'ben' })).split('\r\n')[1]).toMatch(/^Dance hall,2,ana,.*,phish,ben$/);
    expect(await listProjects(store, { user: 'carl' })).toHaveLength(1);
  });

  it('loads demo intel once: actor and tool profiles, a featured article, live planted indicators', async () => {
    const end = new Date(Date.UTC(2030, 0, 10));
    const w = await loadDemoIntel(store, { end });
    expect(w?.rejected).toBe(0);
    expect(await loadDemoIntel(store, { end })).toBeNull();
    const actor = await getProfile(store, 'STORM-0000');
    expect(actor).toMatchObject({ title: 'Dancing Tempest', kind: 'actor' });
    expect(actor.ttps.map((t) => t.id)).toEqual(['T1071.001', 'T1553.005', 'T1566.001', 'T1566.002']);
    expect((await profileIndicators(store, actor.id)).total).toBe(8);
    expect((await getProfile(store, 'Quarry.Demo.Dropper')).kind).toBe('tool');
    const featured = await listArticles(store, { featured: true });
    expect(featured.items.map((a) => a.title)).toEqual(['Dancing Tempest: invoice lures lead to the dancevida.com phishing kit']);
    const rows = await kql(`${CURRENT} | where IndicatorProvider == 'Quarry demo' | where Active | project DomainName, NetworkIP, NetworkCidrBlock, Url, FileHashValue, EmailSenderAddress, ExpirationDateTime`);
    expect(rows).toHaveLength(8);
    expect(rows.map((r) => r.DomainName).filter(Boolean).sort()).toEqual(['cdn-sync.example.net', 'dancevida.com']);
  });
});
