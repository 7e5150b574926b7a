/**
 * WHOIS and RDAP parsing against real registry replies: the likexian fixtures (raw text + the parsed JSON
 * they ship) per field, the ipwhois RIR replies and the openrdap RDAP documents; and the Whois data set.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectWhois } from '../../src/explorer/collectors/whois-collect.js';
import { parseIpWhois } from '../../src/explorer/whois/ip-whois.js';
import { parseRdap } from '../../src/explorer/whois/parse-rdap.js';
import { parseWhoisText } from '../../src/explorer/whois/parse-whois.js';
import { parseWhoisDate } from '../../src/explorer/whois/whois-dates.js';
import { missingShared, removeTempStores, rows, sharedData, tempStore } from './helpers.js';

const LIKEXIAN = 'likexian-whois-parser/testdata/noterror';
const skipLx = missingShared(LIKEXIAN);
const skipIp = missingShared('secynic-ipwhois/ipwhois/tests/rdap.json');
const skipRdap = missingShared('openrdap-rdap/test/testdata/rdap/rdap.nic.cz/domain-example.cz.json');
for (const s of [skipLx, skipIp, skipRdap]) if (s) console.warn(`skipping WHOIS fixture tests: ${s}`);

const norm = (s?: string) => (s ?? '').trim().replace(/\s+/g, ' ').toLowerCase();
const sameInstant = (a?: string, b?: string) => a !== undefined && b !== undefined && new Date(a).getTime() === new Date(b).getTime();

afterAll(() => removeTempStores());

describe.skipIf(skipLx !== null)('likexian WHOIS fixtures', () => {
  it('registrar, dates and name servers match the shipped parse on ≥ 90 % of the fixtures, per field', () => {
    const dir = sharedData(LIKEXIAN);
    const fields = ['registrar', 'created', 'updated', 'expires', 'nameServers'] as const;
    const ok: Record<string, number> = Object.fromEntries(fields.map((f) => [f, 0]));
    let n = 0;
    for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.json'))) {
      const exp = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
      const p = parseWhoisText(fs.readFileSync(path.join(dir, f.slice(0, -5)), 'utf8'));
      const d = exp.domain ?? {};
      n++;
      // A field matches when both sides agree, absence included (a value where the fixture has none is a miss).
      if (norm(exp.registrar?.name) === norm(p.registrar)) ok['registrar']!++;
      if (norm(d.created_date) === norm(p.createdRaw) || sameInstant(d.created_date_in_time, p.created)) ok['created']!++;
      if (norm(d.updated_date) === norm(p.updatedRaw) || sameInstant(d.updated_date_in_time, p.updated)) ok['updated']!++;
      if (norm(d.expiration_date) === norm(p.expiresRaw) || sameInstant(d.expiration_date_in_time, p.expires)) ok['expires']!++;
      const ens = (d.name_servers ?? []).map((x: string) => x.toLowerCase()).sort().join(' ');
      if (ens === [...p.nameServers].sort().join(' ')) ok['nameServers']!++;
    }
    const pct = Object.fromEntries(fields.map((f) => [f, Math.round((1000 * ok[f]!) / n) / 10]));
    console.log(`WHOIS fixtures: ${n}; match % per field: ${JSON.stringify(pct)}`);
    expect(n).toBe(209);
    for (const f of fields) expect(pct[f], f).toBeGreaterThanOrEqual(90);
  });

  it('parses ISO-with-offset, dd-Mon-yyyy and compact dates to instants', () => {
    expect(parseWhoisDate('1997-09-15T00:00:00-0700')).toBe('1997-09-15T07:00:00.000Z');
    expect(parseWhoisDate('11-Jun-2014')).toBe('2014-06-11T00:00:00.000Z');
    expect(parseWhoisDate('19961206 #24302')).toBe('1996-12-06T00:00:00.000Z');
    expect(parseWhoisDate('2017/06/01 01:05:09 (JST)')).toBe('2017-05-31T16:05:09.000Z');
    expect(parseWhoisDate('no date here')).toBeUndefined();
  });

  it('reads contacts by role from an ICANN-format reply', () => {
    const p = parseWhoisText(fs.readFileSync(sharedData(LIKEXIAN, 'com_google.com'), 'utf8'));
    expect(p.registrar).toBe('MarkMonitor, Inc.');
    expect(p.contacts['registrant']?.organization).toBe('Google LLC');
    expect(p.contacts['admin']?.state).toBe('CA');
    expect(p.contacts['technical']?.country).toBe('US');
    expect(p.whoisServer).toBe('whois.markmonitor.com');
  });
});

describe.skipIf(skipIp !== null)('secynic ipwhois RIR replies', () => {
  it('RDAP ip networks give range, name and contacts; raw RIR text gives CIDR, name and origin AS', () => {
    const rdap = JSON.parse(fs.readFileSync(sharedData('secynic-ipwhois/ipwhois/tests/rdap.json'), 'utf8')) as Record<string, { response: unknown }>;
    let withName = 0;
    for (const [ip, v] of Object.entries(rdap)) {
      const p = parseRdap(v.response);
      expect(p.startAddress, ip).toBeTruthy();
      if (p.networkName) withName++;
      expect(Object.keys(p.contacts).length, ip).toBeGreaterThan(0);
    }
    expect(withName).toBe(Object.keys(rdap).length);
    const whois = JSON.parse(fs.readFileSync(sharedData('secynic-ipwhois/ipwhois/tests/whois.json'), 'utf8')) as Record<string, { response: string }>;
    const g = parseIpWhois(whois['2001:4860:4860::8888']!.response);
    expect(g).toMatchObject({ cidr: '2001:4860::/32', networkName: 'GOOGLE-IPV6', asn: 15169 });
    let parsed = 0;
    for (const v of Object.values(whois)) if (parseIpWhois(v.response).networkName) parsed++;
    expect(parsed / Object.keys(whois).length).toBeGreaterThanOrEqual(0.9);
  });
});

describe.skipIf(skipRdap !== null)('openrdap domain RDAP', () => {
  it('parses example.cz: registrar, dates, name servers, contacts; lands in the Whois data set', async () => {
    const doc = JSON.parse(fs.readFileSync(sharedData('openrdap-rdap/test/testdata/rdap/rdap.nic.cz/domain-example.cz.json'), 'utf8'));
    const p = parseRdap(doc);
    expect(p.domain).toBe('example.cz');
    expect(p.registrar).toBe('REG-INTERNET-CZ');
    expect(p.created).toBe('2004-08-30T22:55:00.000Z');
    expect(p.expires).toBe('2019-08-30T12:00:00.000Z');
    expect(p.nameServers.sort()).toEqual(['ns.pipni.cz', 'ns2.pipni.cz', 'ns3.pipni.cz']);
    const ns = parseRdap(JSON.parse(fs.readFileSync(sharedData('openrdap-rdap/test/testdata/rdap/rdap.nic.cz/nameserver-ns2.pipni.cz.json'), 'utf8')));
    expect(ns.objectClass).toBe('nameserver');
    const ent = parseRdap(JSON.parse(fs.readFileSync(sharedData('openrdap-rdap/test/testdata/rdap/rdap-pilot.verisignlabs.com/entity-1-VRSN'), 'utf8')));
    expect(ent.handle).toBeTruthy();

    const store = await tempStore();
    try {
      const at = new Date('2024-01-01T00:00:00Z');
      await collectWhois(store, [{ rdap: doc, observedAt: at }]);
      await collectWhois(store, [{ rdap: doc, observedAt: new Date('2024-02-01T00:00:00Z') }]);
      const changed = { ...doc, events: [...doc.events, { eventAction: 'last changed', eventDate: '2024-02-15T00:00:00Z' }] };
      await collectWhois(store, [{ rdap: changed, observedAt: new Date('2024-03-01T00:00:00Z') }]);
      const got = await rows(store, "SELECT Registrar, SeenCount, FirstSeen, LastSeen FROM ExplorerWhois WHERE Domain = 'example.cz' ORDER BY LastSeen");
      expect(got).toHaveLength(2); // one snapshot seen twice (history), one changed snapshot (current)
      expect(got[0]!['SeenCount']).toBe(2n);
      expect(got[1]!['Registrar']).toBe('REG-INTERNET-CZ');
    } finally {
      await store.close();
    }
  });
});
