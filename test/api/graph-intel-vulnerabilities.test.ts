/**
 * Graph `vulnerabilities/{id}` (+ `/components`, `/articles`) over the intel store: 404 with Graph's error
 * body while the store holds no STIX vulnerability, then the six CVEs of the real OASIS Poison Ivy report
 * (skipped, visibly, without ../shared), and one written vulnerability that carries every optional field.
 * Real server on 127.0.0.1, real DuckDB store.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleSchema, collectionOf, entityOf, intelProfileSchema, vulnerabilityComponentSchema, vulnerabilitySchema } from '../../src/api/routes/graph-intel-schemas.js';
import { importIntelFile, loadDemoIntel, writeObjects } from '../../src/intel/index.js';
import { call, startHarness, type ApiHarness } from './harness.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const poisonIvy = path.join(path.resolve(repoRoot, '../shared'), 'data/oasis-cti-stix2-json-schemas/examples/threat-reports/poisonivy.json');
const havePoisonIvy = fs.existsSync(poisonIvy);

const TI = '/v1.0/security/threatIntelligence';
let h: ApiHarness;
const get = (p: string) => call(h.url, 'GET', p, { token: h.tokens.reader });

beforeAll(async () => {
  h = await startHarness();
  await loadDemoIntel(h.store);
});
afterAll(async () => h?.close());

describe('vulnerabilities', () => {
  it('answers 404 with the Graph error body while the store holds no vulnerability', async () => {
    for (const p of ['/vulnerabilities/CVE-2012-0158', '/vulnerabilities/CVE-2012-0158/components', '/vulnerabilities/CVE-2012-0158/articles']) {
      const r = await get(TI + p);
      expect(r.status, p).toBe(404);
      expect(r.json.error, p).toMatchObject({ code: 'intel/not-found', message: expect.stringContaining('CVE-2012-0158'), innerError: { 'request-id': expect.any(String) } });
    }
  });

  it.skipIf(!havePoisonIvy)(`serves the CVEs of the imported Poison Ivy report (${havePoisonIvy ? 'present' : `not found: ${poisonIvy}`})`, async () => {
    await importIntelFile(h.store, poisonIvy);
    const v = await get(`${TI}/vulnerabilities/CVE-2012-0158`);
    expect(v.status).toBe(200);
    expect(entityOf(vulnerabilitySchema).parse(v.json)).toMatchObject({
      '@odata.context': expect.stringMatching(/#security\/threatIntelligence\/vulnerabilities\/\$entity$/),
      id: 'CVE-2012-0158', description: { content: 'Weaponized Microsoft Word document used by admin@338', format: 'markdown' },
      createdDateTime: '2015-05-15T09:12:16.432Z', activeExploitsObserved: true, hasChatter: true, exploitsAvailable: false, severity: null,
    });
    // the CVE id in any case, and the STIX id, find the same vulnerability
    for (const alt of ['cve-2012-0158', 'vulnerability--c7cab3fb-0822-43a5-b1ba-c9bab34361a2']) {
      expect((await get(`${TI}/vulnerabilities/${alt}`)).json.id, alt).toBe('CVE-2012-0158');
    }
    const arts = await get(`${TI}/vulnerabilities/CVE-2012-0158/articles`);
    expect(collectionOf(articleSchema).parse(arts.json).value.map((a) => a.title)).toEqual(['Poison Ivy: Assessing Damage and Extracting Intelligence']);
    const comps = await get(`${TI}/vulnerabilities/CVE-2012-0158/components`);
    expect(collectionOf(vulnerabilityComponentSchema).parse(comps.json).value).toEqual([]);
    expect((await get(`${TI}/vulnerabilities/CVE-1999-0001`)).status).toBe(404);
  });

  it('maps CVSS, CWE, references, exploits, remediation and components of a written vulnerability', async () => {
    const t = '2024-01-02T03:04:05.000Z';
    const base = { spec_version: '2.1', created: t, modified: t };
    const vuln = {
      ...base, type: 'vulnerability', id: 'vulnerability--0b7c1d4e-5a2f-4c1b-9a0e-1f2d3c4b5a69', name: 'CVE-2021-44228', description: 'Log4Shell',
      external_references: [
        { source_name: 'cve', external_id: 'CVE-2021-44228' }, { source_name: 'cwe', external_id: 'CWE-502' },
        { source_name: 'vendor', description: 'Apache advisory', url: 'https://logging.apache.org/security.html' },
        { source_name: 'exploit-db', external_id: 'EDB-50592', url: 'https://www.exploit-db.com/exploits/50592' },
      ],
      x_quarry_cvss3: { score: 10, vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H' }, x_quarry_components: ['Apache Log4j 2.14.1'],
    };
    const sw = { type: 'software', spec_version: '2.1', id: 'software--3c1b2a4d-6e5f-4a7b-8c9d-0e1f2a3b4c5d', name: 'Log4j', vendor: 'Apache', version: '2.0' };
    const coa = { ...base, type: 'course-of-action', id: 'course-of-action--5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a', name: 'Upgrade', description: 'Upgrade to 2.17.1.' };
    const rel = (id: string, type: string, src: string, tgt: string) => ({ ...base, type: 'relationship', id, relationship_type: type, source_ref: src, target_ref: tgt });
    const actor = { ...base, type: 'threat-actor', id: 'threat-actor--7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d', name: 'Fixture Typhoon', x_quarry_country: 'CN' };
    const w = await writeObjects(h.store, [vuln, sw, coa, actor,
      rel('relationship--1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', 'mitigates', coa.id, vuln.id),
      rel('relationship--2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e', 'has', sw.id, vuln.id),
    ], { source: 'fixture', method: 'test' });
    expect(w.rejected).toBe(0);

    const v = entityOf(vulnerabilitySchema).parse((await get(`${TI}/vulnerabilities/CVE-2021-44228`)).json);
    expect(v).toMatchObject({
      id: 'CVE-2021-44228', severity: 'critical', commonWeaknessEnumerationIds: ['CWE-502'],
      cvss3Summary: { score: 10, severity: null, vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H' }, cvss2Summary: null,
      references: [{ name: 'Apache advisory', url: 'https://logging.apache.org/security.html' }],
      exploits: [{ name: 'EDB-50592', url: 'https://www.exploit-db.com/exploits/50592' }], exploitsAvailable: true,
      activeExploitsObserved: false, hasChatter: false,
      remediation: { content: '- **Upgrade**: Upgrade to 2.17.1.', format: 'markdown' },
    });
    const comps = collectionOf(vulnerabilityComponentSchema).parse((await get(`${TI}/vulnerabilities/CVE-2021-44228/components?$orderby=name`)).json);
    expect(comps.value.map((c) => c.name)).toEqual(['Apache Log4j 2.0', 'Apache Log4j 2.14.1']);
    expect(comps.value[0]!.id).toBe(sw.id);

    // countriesOrRegionsOfOrigin as Graph's [{code, label}]
    const p = entityOf(intelProfileSchema).parse((await get(`${TI}/intelProfiles/${actor.id}`)).json);
    expect(p.countriesOrRegionsOfOrigin).toEqual([{ code: 'CN', label: 'China' }]);
  });
});
