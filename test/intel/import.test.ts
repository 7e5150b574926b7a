/**
 * Every intel file of ../shared/data imports with exact counts, and importing it again changes nothing.
 * Real DuckDB store; files are read in place.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importIntelFile, type ImportReport } from '../../src/intel/import/index.js';
import { findObservable } from '../../src/intel/object-read.js';
import type { Store } from '../../src/store/store.js';
import { dataDir, haveSharedData, noDataReason, openIntelStore, removeTempDirs } from './open-intel-store.js';

let store: Store;
beforeAll(async () => {
  store = await openIntelStore();
});
afterAll(async () => {
  await store?.close();
  removeTempDirs();
});

type Expect = { format: string; total: number; created: number; updated: number; rejected: number; skipped: number; unchanged?: number };

// file → first-import counts (all measured on the upstream files listed in SOURCES.md)
const files: [string, Expect][] = [
  ['oasis-cti-stix2-json-schemas/examples/indicator-for-c2-ip-address.json', { format: 'stix', total: 1, created: 1, updated: 0, rejected: 0, skipped: 0 }],
  ['oasis-cti-stix2-json-schemas/examples/indicator-to-campaign-relationship.json', { format: 'stix', total: 3, created: 3, updated: 0, rejected: 0, skipped: 0 }],
  ['oasis-cti-stix2-json-schemas/examples/indicators-for-C2-with-COA.json', { format: 'stix', total: 8, created: 8, updated: 0, rejected: 0, skipped: 0 }],
  ['oasis-cti-stix2-json-schemas/examples/infrastructure.json', { format: 'stix', total: 10, created: 10, updated: 0, rejected: 0, skipped: 0 }],
  ['oasis-cti-stix2-json-schemas/examples/interop-objectmarking-test.json', { format: 'stix', total: 1, created: 1, updated: 0, rejected: 0, skipped: 0 }],
  // the bundle lists one object twice, identically
  ['oasis-cti-stix2-json-schemas/examples/malicious-email-indicator-with-attachment.json', { format: 'stix', total: 6, created: 5, updated: 0, unchanged: 1, rejected: 0, skipped: 0 }],
  ['oasis-cti-stix2-json-schemas/examples/threat-reports/apt1.json', { format: 'stix', total: 76, created: 76, updated: 0, rejected: 0, skipped: 0 }],
  ['oasis-cti-stix2-json-schemas/examples/threat-reports/poisonivy.json', { format: 'stix', total: 155, created: 155, updated: 0, rejected: 0, skipped: 0 }],
  ['pan-unit42-iocs/stix2-reports/report_json/NOBELIUM.json', { format: 'stix', total: 104, created: 104, updated: 0, rejected: 0, skipped: 0 }],
  // three objects appear in two versions: the second is a new version of the first
  ['pan-unit42-iocs/stix2-reports/report_json/cve-2023-23397.json', { format: 'stix', total: 63, created: 60, updated: 3, rejected: 0, skipped: 0 }],
  ['pan-unit42-iocs/stix2-reports/report_json/2024-03-07-Latrodectus-with-Lumma-Stealer.json', { format: 'stix', total: 25, created: 25, updated: 0, rejected: 0, skipped: 0 }],
  ['mitre-attack-stix-data/ics-attack/ics-attack.json', { format: 'stix', total: 1826, created: 1826, updated: 0, rejected: 0, skipped: 0 }],
  // 111 attributes − 7 'text' + identity, markings, report, cluster, relationships
  ['eset-malware-ioc/oceanlotus/oceanlotus.misp.event.json', { format: 'misp-event', total: 211, created: 211, updated: 0, rejected: 0, skipped: 7 }],
  ['eset-malware-ioc/dukes/misp-dukes-operation-ghost-event.json', { format: 'misp-event', total: 237, created: 236, updated: 1, rejected: 0, skipped: 14 }],
  ['eset-malware-ioc/turla/misp-turla-comrat-v4-event.json', { format: 'misp-event', total: 75, created: 74, updated: 1, rejected: 0, skipped: 1 }],
  ['eset-malware-ioc/sednit/2018-11-20_Zebrocy.json', { format: 'misp-event', total: 59, created: 58, updated: 1, rejected: 0, skipped: 4 }],
  ['yeti-platform-yeti/tests/misp_test_data/misp_event.json', { format: 'misp-event', total: 93, created: 93, updated: 0, rejected: 0, skipped: 2 }],
  ['misp-galaxy/clusters/threat-actor.json', { format: 'misp-galaxy', total: 1041, created: 1041, updated: 0, rejected: 0, skipped: 0 }],
  ['misp-galaxy/clusters/tool.json', { format: 'misp-galaxy', total: 608, created: 608, updated: 0, rejected: 0, skipped: 0 }],
  ['misp-galaxy/clusters/microsoft-activity-group.json', { format: 'misp-galaxy', total: 179, created: 179, updated: 0, rejected: 0, skipped: 0 }],
  // 14 intrusion sets and 8 techniques are also in the ATT&CK ICS bundle (same ATT&CK ids): new versions
  ['misp-galaxy/clusters/mitre-intrusion-set.json', { format: 'misp-galaxy', total: 191, created: 177, updated: 14, rejected: 0, skipped: 0 }],
  ['misp-galaxy/clusters/mitre-attack-pattern.json', { format: 'misp-galaxy', total: 1266, created: 1258, updated: 8, rejected: 0, skipped: 0 }],
  ['misp-galaxy/clusters/mitre-tool.json', { format: 'misp-galaxy', total: 97, created: 97, updated: 0, rejected: 0, skipped: 0 }],
  ['pan-unit42-iocs/iran_linked_operators/OilRig.csv', { format: 'csv', total: 102, created: 102, updated: 0, rejected: 0, skipped: 6 }],
  ['pan-unit42-iocs/iran_linked_operators/MuddyWater.csv', { format: 'csv', total: 366, created: 364, updated: 0, rejected: 2, skipped: 10 }],
  ['pan-unit42-iocs/TA551/2020-07-14-TA551-IOCs-for-IcedID.txt', { format: 'text', total: 87, created: 87, updated: 0, rejected: 0, skipped: 29 }],
  // three extra versions of two objects; the TLP:GREEN marking was stored before from a MISP event
  ['oasis-cti-taxii-server/medallion/test/data/default_data.json', { format: 'stix', total: 8, created: 4, updated: 4, rejected: 0, skipped: 0 }],
];

const first = new Map<string, ImportReport>();

describe.skipIf(!haveSharedData)(`intel imports of ../shared/data (${haveSharedData ? 'present' : noDataReason})`, () => {
  it.each(files)('imports %s with exact counts', async (file, e) => {
    const r = await importIntelFile(store, path.join(dataDir, file));
    first.set(file, r);
    expect({ format: r.format, total: r.total, created: r.created, updated: r.updated, rejected: r.rejected, skipped: r.skipped, unchanged: r.unchanged })
      .toEqual({ unchanged: 0, ...e });
    // every rejected and skipped record carries a reason
    expect(r.issues.length).toBe(Math.min(500, r.rejected + r.skipped));
  });

  it('changes nothing when every file is imported again', async () => {
    const before = await store.query('SELECT count(*), max(added_us) FROM intel_objects');
    const tiBefore = await store.count('ThreatIntelligenceIndicator');
    for (const [file] of files) {
      const r = await importIntelFile(store, path.join(dataDir, file));
      expect({ created: r.created, updated: r.updated }, file).toEqual({ created: 0, updated: 0 });
      expect(r.unchanged, file).toBe(r.total - r.rejected);
    }
    const after = await store.query('SELECT count(*), max(added_us) FROM intel_objects');
    expect(after.rows).toEqual(before.rows);
    expect(await store.count('ThreatIntelligenceIndicator')).toBe(tiBefore);
  });

  it('keeps the indicators of the APT1 and Poison Ivy reports and the ESET events', async () => {
    const q = async (sql: string) => (await store.query(sql)).rows;
    const bySource = await q(`SELECT source, count(*) FROM intel_objects WHERE is_current AND type = 'indicator' GROUP BY source ORDER BY source`);
    const m = new Map(bySource.map((r) => [r[0] as string, Number(r[1])]));
    expect(m.get('apt1.json')).toBe(12);
    expect(m.get('poisonivy.json')).toBe(25);
    // ESET OceanLotus: 62 domains and 22 IPs, plus 3 domain|ip pairs (IPs new, domains among the 62)
    const ol = await q(`SELECT ob.kind, count(DISTINCT ob.value) FROM intel_observables ob JOIN intel_objects o ON o.id = ob.indicator_id AND o.is_current
      WHERE o.source = 'oceanlotus.misp.event.json' GROUP BY ob.kind ORDER BY ob.kind`);
    expect(Object.fromEntries(ol.map((r) => [r[0], Number(r[1])]))).toMatchObject({ domain: 62, ipv4: 25 });
    // MISP to_ids=false → not active for detection; the FIN12 event (to_ids=true) is
    const det = await q(`SELECT source, count(*) FILTER (WHERE json_extract(json, '$.x_quarry_detect') IS NULL) FROM intel_objects
      WHERE is_current AND type = 'indicator' AND source IN ('oceanlotus.misp.event.json', 'misp_event.json') GROUP BY source ORDER BY source`);
    expect(det.map((r) => [r[0], Number(r[1])])).toEqual([['misp_event.json', 90], ['oceanlotus.misp.event.json', 0]]);
    // 1,041 galaxy actors, every one with aliases
    const actors = await q(`SELECT count(*), count(*) FILTER (WHERE json_array_length(json, '$.aliases') >= 1) FROM intel_objects
      WHERE is_current AND source = 'threat-actor.json' AND type = 'threat-actor'`);
    expect(actors[0]!.map(Number)).toEqual([1041, 1041]);
  });

  it('re-fangs defanged text and CSV values into one normalised observable', async () => {
    const hit = await findObservable(store, 'owa-insss-org-ill-owa-authen[.]ml');
    expect(hit?.kind).toBe('domain');
    expect(hit?.value).toBe('owa-insss-org-ill-owa-authen.ml');
    const ta551 = await findObservable(store, '1bwsl4[.]com');
    expect(ta551?.indicators.map((i) => i.source)).toEqual(['2020-07-14-TA551-IOCs-for-IcedID.txt']);
  });
});
