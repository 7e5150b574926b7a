/**
 * Detection building blocks: the YAML subset reader/writer, rule import/export and checks (Sentinel and
 * Defender), the indicator index (parent domains, CIDR, versions, expiry), and — on a real store — NRT
 * alerts, incident grouping, and closing as FalsePositive feeding an exclusion.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { loadBuiltInRules } from '../../src/detect/builtin-rules.js';
import { openDetection } from '../../src/detect/detection.js';
import { IndicatorIndex } from '../../src/detect/indicator-index.js';
import { versionFromRow } from '../../src/detect/indicators.js';
import { showIncident } from '../../src/detect/incidents.js';
import { checkRule } from '../../src/detect/rule-checks.js';
import { ruleFromYaml, ruleToYaml } from '../../src/detect/rule-yaml.js';
import { renderTemplate } from '../../src/detect/templates.js';
import { parseYaml, stringifyYaml } from '../../src/detect/yaml.js';
import { openDetectStore, removeTempDirs, tempDir } from './detect-fixture.js';

afterAll(removeTempDirs);

describe('YAML subset', () => {
  it('reads Sentinel rule constructs and round-trips what it writes', () => {
    const doc = parseYaml(`id: 1a2b  # comment
name: 'It''s a rule'
tactics:
  - CommandAndControl
relevantTechniques: [T1071, "T1566"]
query: |
  let x = 1; // not a YAML comment
  print x

entityMappings:
  - entityType: IP
    fieldMappings:
      - identifier: Address
        columnName: IoCIP
triggerThreshold: 0
version: 1.0.1
`);
    expect(doc).toEqual({
      id: '1a2b', name: "It's a rule", tactics: ['CommandAndControl'], relevantTechniques: ['T1071', 'T1566'],
      query: 'let x = 1; // not a YAML comment\nprint x\n',
      entityMappings: [{ entityType: 'IP', fieldMappings: [{ identifier: 'Address', columnName: 'IoCIP' }] }], triggerThreshold: 0, version: '1.0.1',
    });
    expect(parseYaml(stringifyYaml(doc))).toEqual(doc);
    expect(() => parseYaml('a: 1\n  b: 2\n')).toThrow(/line 2/);
    expect(() => parseYaml('a: &x 1\n')).toThrow(/anchors/);
  });

  it('every built-in rule validates and exports/imports unchanged', () => {
    const rules = loadBuiltInRules();
    expect(rules.length).toBe(14);
    for (const r of rules) {
      checkRule(r);
      expect(ruleFromYaml(ruleToYaml(r), { builtIn: true })).toEqual(r);
    }
  });
});

describe('rule checks', () => {
  const base = `id: cd1\nname: Custom\nkind: CustomDetection\nqueryFrequency: PT1H\nseverity: High\n`;
  it('Defender custom detections need Timestamp, ReportId and an entity column; frequency sets the lookback', () => {
    const ok = ruleFromYaml(`${base}query: |\n  DeviceProcessEvents | where FileName =~ "x.exe" | project Timestamp, ReportId, DeviceId\n`);
    expect(ok.periodMs).toBe(4 * 3_600_000);
    expect(ok.view).toBe('defender');
    checkRule(ok);
    const noReport = ruleFromYaml(`${base}query: |\n  DeviceProcessEvents | project Timestamp, DeviceId\n`);
    expect(() => checkRule(noReport)).toThrow(/ReportId/);
    const noEntity = ruleFromYaml(`${base}query: |\n  DeviceProcessEvents | project Timestamp, ReportId\n`);
    expect(() => checkRule(noEntity)).toThrow(/entity column/);
    const nrtJoin = ruleFromYaml(`${base.replace('PT1H', '0m')}query: |\n  DeviceProcessEvents | join (DeviceEvents) on DeviceId | project Timestamp, ReportId, DeviceId\n`);
    expect(() => checkRule(nrtJoin)).toThrow(/join/);
  });
  it('entity mappings and {{Column}} placeholders must name result columns', () => {
    const r = ruleFromYaml(`id: s1\nname: S\nqueryFrequency: 1h\nqueryPeriod: 1h\nquery: |\n  DnsEvents | project Name\nentityMappings:\n  - entityType: Host\n    fieldMappings:\n      - identifier: HostName\n        columnName: Computer\n`);
    expect(() => checkRule(r)).toThrow(/Computer/);
    expect(renderTemplate('A {{X}} and {{ Y }}{{Z}}', { X: 'x', Y: 5n })).toBe('A x and 5');
  });
});

describe('indicator index', () => {
  const row = (over: Record<string, unknown>) => ({ TimeGenerated: '2024-05-01T00:00:00Z', IndicatorId: 'A', Active: true, Description: '', ...over });
  it('matches parent domains and CIDR members; a later inactive version switches a value off', () => {
    const idx = new IndicatorIndex();
    idx.apply(versionFromRow('ThreatIntelligenceIndicator', row({ DomainName: 'Evil.Example' }))!);
    idx.apply(versionFromRow('ThreatIntelligenceIndicator', row({ IndicatorId: 'B', NetworkCidrBlock: '198.51.100.7/24' }))!);
    expect(idx.domainKeys('a.b.evil.example')).toEqual(['domain:evil.example']);
    expect(idx.domainKeys('notevil.example')).toEqual([]);
    expect(idx.ipKeys('198.51.100.200')).toEqual(['ip:198.51.100.0/24']);
    expect(idx.ipKeys('198.51.101.1')).toEqual([]);
    const now = Date.parse('2024-05-02T00:00:00Z');
    expect(idx.activeFor('domain:evil.example', now, null)).not.toBeNull();
    // An older version arriving late changes nothing; a newer inactive one disables.
    expect(idx.apply(versionFromRow('ThreatIntelligenceIndicator', row({ TimeGenerated: '2024-04-01T00:00:00Z', DomainName: 'evil.example', Active: false }))!)).toEqual([]);
    expect(idx.activeFor('domain:evil.example', now, null)).not.toBeNull();
    idx.apply(versionFromRow('ThreatIntelligenceIndicator', row({ TimeGenerated: '2024-05-01T01:00:00Z', DomainName: 'evil.example', Description: 'State: falsepos; x' }))!);
    expect(idx.activeFor('domain:evil.example', now, null)).toBeNull();
    // Expiry: not after ExpirationDateTime, nor for events at/after it.
    idx.apply(versionFromRow('ThreatIntelligenceIndicator', row({ IndicatorId: 'C', Url: 'https://x.example/a', ExpirationDateTime: '2024-05-03T00:00:00Z' }))!);
    expect(idx.activeFor('url:https://x.example/a', now, now)).not.toBeNull();
    expect(idx.activeFor('url:https://x.example/a', now, Date.parse('2024-05-03T00:00:00Z'))).toBeNull();
    expect(idx.activeFor('url:https://x.example/a', Date.parse('2024-05-04T00:00:00Z'), null)).toBeNull();
  });
});

describe('NRT, incidents and false-positive exclusion on a real store', () => {
  it('raises one alert per match, groups by indicator per 24 h, and stops matching an indicator closed as FalsePositive', async () => {
    const store = await openDetectStore(tempDir());
    try {
      const now = Date.parse('2024-06-01T12:00:00Z');
      const det = await openDetection(store, { clock: () => now });
      const ind = { TimeGenerated: new Date(now - 3_600_000), IndicatorId: 'D1', Active: true, DomainName: 'bad.example', ThreatType: 'C2', Description: 'test', ConfidenceScore: 80, ActivityGroupNames: 'STORM-1', ExpirationDateTime: new Date(now + 86_400_000) };
      await store.append('ThreatIntelligenceIndicator', [ind]);
      expect((await det.onBatchCommitted('ThreatIntelligenceIndicator', [ind])).alerts.length).toBe(0);
      const ev = (id: string, t: number, url: string) => ({ Timestamp: new Date(t), ReportId: id, DeviceId: 'dev1', DeviceName: 'pc1', RemoteUrl: url, RemoteIP: '10.0.0.1', ActionType: 'ConnectionSuccess' });
      const batch = [ev('1', now - 60_000, 'https://cdn.bad.example/x'), ev('2', now - 50_000, 'good.example'), ev('3', now - 40_000, 'bad.example')];
      await store.append('DeviceNetworkEvents', batch);
      const r1 = await det.onBatchCommitted('DeviceNetworkEvents', batch);
      expect(r1.alerts.map((a) => [a.entity, a.ruleId, a.source])).toEqual([
        ['cdn.bad.example', 'quarry-ti-map-domain-devicenetworkevents', 'nrt'], ['bad.example', 'quarry-ti-map-domain-devicenetworkevents', 'nrt'],
      ]);
      expect(r1.alerts[0]!.title).toBe('DeviceNetworkEvents: cdn.bad.example matched a C2 indicator (bad.example)');
      expect(r1.alerts[0]!.entities).toContainEqual({ Type: 'dns', DomainName: 'cdn.bad.example' });
      expect(r1.alerts[0]!.entities).toContainEqual({ Type: 'host', HostName: 'pc1' });
      expect(r1.alerts[0]!.indicator?.activityGroupNames).toBe('STORM-1');
      expect((await det.onBatchCommitted('DeviceNetworkEvents', batch)).alerts.length).toBe(0); // replay: deduplicated
      expect(r1.alerts[0]!.incidentId).toBe(r1.alerts[1]!.incidentId);

      const detail = await showIncident(store, '1');
      expect(detail.alerts.length).toBe(2);
      expect(detail.severity).toBe('Medium');
      await expect(det.updateIncident('1', { status: 'Closed' })).rejects.toThrow(/classification/);
      const closed = await det.updateIncident('1', { status: 'Closed', classification: 'FalsePositive', comment: 'sinkholed', excludeIndicators: true }, 'ana');
      expect(closed.excluded).toEqual(['domain:bad.example']);
      const after = await showIncident(store, '1');
      expect(after.comments.map((c) => [c.author, c.text])).toEqual([['ana', 'sinkholed']]);
      expect(after.timeline.map((e) => e.kind)).toEqual(['created', 'alerts-added', 'updated', 'comment', 'indicators-excluded']);
      const more = [ev('4', now - 30_000, 'www.bad.example')];
      expect((await det.onBatchCommitted('DeviceNetworkEvents', more)).alerts.length).toBe(0);
      const si = await store.query("SELECT count(*), max(Status) FILTER (WHERE Classification = 'FalsePositive') FROM SecurityIncident");
      expect(Number(si.rows[0]![0])).toBe(2);
      expect(si.rows[0]![1]).toBe('Closed');
    } finally {
      await store.close();
    }
  }, 120_000);
});
