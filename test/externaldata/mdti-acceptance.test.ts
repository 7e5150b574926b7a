/**
 * Acceptance: the four published MDTI hunting queries (`../shared/acceptance/mdti-queries.kql`, `#` lines
 * stripped) run unchanged with the placeholder replaced by a signed URL that Quarry minted over real
 * HTTP on 127.0.0.1 for an uploaded Host pairs / Resolutions CSV, against generated events; the rows
 * they return are exactly the planted references (`plantedTruth()`) whose host the CSV lists.
 * Also: the same query through the guarded HTTP fetcher (allow-listed loopback) gives the same rows,
 * and an expired / tampered / revoked URL fails the query with the storage error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storageFetcher } from '../../src/blob/storage-fetcher.js';
import { generateInto, plantedTruth, type GenerateOptions, type TruthRef } from '../../src/generate/index.js';
import { defaultFetcher, type ExternalFetcher } from '../../src/hunt/externals.js';
import { runKql } from '../../src/hunt/run.js';
import { acceptanceUnavailableReason, readAcceptance, splitMdtiQueries } from '../acceptance/acceptance-files.js';
import { startFixture, type Fixture } from '../blob/server-fixture.js';
import { removeTempDirs } from '../store/temp-dir.js';
import { hostPairsCsv, resolutionsCsv, type ExplorerCsv } from './mdti-csv.js';

const FILE = 'mdti-queries.kql';
const unavailable = acceptanceUnavailableReason(FILE);
const END = '2024-06-01T00:00:00Z';
const GEN: GenerateOptions = { seed: 20230503, rows: 20_000, end: END, days: 7 };

let fx: Fixture;
let fetchExternal: ExternalFetcher;
let hostPairsUrl = '';
let resolutionsUrl = '';
const hostPairs = hostPairsCsv();
const resolutions = resolutionsCsv();
const truth = unavailable ? { refs: [] as TruthRef[] } : plantedTruth(GEN);

/** Planted refs of the phishing hosts in the given table columns, one per (table, column, row). */
function refsIn(cols: readonly string[]): TruthRef[] {
  const seen = new Map<string, TruthRef>();
  for (const r of truth.refs) {
    if (r.indicator !== 'phish-domain' || !cols.includes(`${r.table}.${r.column}`)) continue;
    seen.set(`${r.table}|${r.column}|${r.key}`, r);
  }
  return [...seen.values()];
}

/** Rows an inner join returns: each ref once per CSV row carrying its host. */
function innerRows(refs: readonly TruthRef[], csv: ExplorerCsv): number {
  return refs.reduce((n, r) => n + (csv.keys.get(r.value) ?? 0), 0);
}

function matching(refs: readonly TruthRef[], csv: ExplorerCsv): TruthRef[] {
  return refs.filter((r) => csv.keys.has(r.value));
}

const ids = (rows: readonly Record<string, unknown>[]) => [...new Set(rows.map((r) => String(r.ReportId)))].sort();
const keyIds = (refs: readonly TruthRef[]) => [...new Set(refs.map((r) => r.key))].sort();

const DEVICE_COLUMNS = ['DeviceNetworkEvents.RemoteUrl', 'DeviceEvents.RemoteUrl', 'DeviceFileEvents.FileOriginUrl', 'DeviceFileEvents.FileOriginReferrerUrl', 'DeviceEvents.AdditionalFields'];

describe.skipIf(unavailable !== null)(`MDTI sample queries on a Quarry signed URL${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  beforeAll(async () => {
    fx = await startFixture({ prepare: async (store) => void (await generateInto(store, GEN)) });
    fetchExternal = storageFetcher({ dataDir: fx.dir, ownOrigins: [fx.server.url] });
    // The one-click path for the Host pairs download…
    const one = await fx.call('POST', '/api/storage/externaldata?container=mdti&name=dancevida-hostpairs.csv&validFor=PT1H', { body: hostPairs.text, headers: { 'content-type': 'text/csv' } });
    expect(one.status, one.text).toBe(201);
    expect(one.json.layout).toBe('hostPairs');
    hostPairsUrl = one.json.url;
    // …and the manual one (upload, then mint) for Resolutions.
    expect((await fx.call('PUT', '/storage/mdti/dancevida-resolutions.csv', { body: resolutions.text, headers: { 'content-type': 'text/csv' } })).status).toBe(201);
    const minted = await fx.call('POST', '/api/storage/sas', { body: JSON.stringify({ container: 'mdti', blob: 'dancevida-resolutions.csv', permissions: 'r', validFor: 'PT1H' }), headers: { 'content-type': 'application/json' } });
    resolutionsUrl = minted.json.url;
  }, 120_000);

  afterAll(async () => {
    await fx?.close();
    removeTempDirs();
  });

  function query(name: string, url: string): string {
    const q = splitMdtiQueries(readAcceptance(FILE), url).find((x) => x.name === name);
    if (!q) throw new Error(`no query '${name}' in ${FILE}`);
    return q.text;
  }

  const run = (text: string, f: ExternalFetcher = fetchExternal) => runKql(fx.store, text, { fetchExternal: f, now: new Date(END), view: 'defender', maxRows: 100_000 });

  it('the generated data holds planted references for every join of the queries', () => {
    for (const col of [...DEVICE_COLUMNS, 'EmailUrlInfo.UrlDomain', 'UrlClickEvents.UrlChain', 'IdentityQueryEvents.QueryTarget']) {
      expect(matching(refsIn([col]), hostPairs).length, col).toBeGreaterThan(0);
    }
  });

  it('DTI email based events: EmailUrlInfo and UrlClickEvents rows of the listed hosts', async () => {
    const r = await run(query('DTI email based events', hostPairsUrl));
    const expected = matching(refsIn(['EmailUrlInfo.UrlDomain', 'UrlClickEvents.UrlChain']), hostPairs);
    expect(r.results.length).toBeGreaterThan(0);
    expect(ids(r.results)).toEqual(keyIds(expected));
    for (const row of r.results) expect(hostPairs.keys.has(String(row.parentHostName))).toBe(true);
    // The CSV's columns come through typed: datetime from MM/dd/yyyy HH:mm, tags split into an array.
    const first = r.results.find((x) => x.parentHostName === 'www.dancevida.com')!;
    expect(first.firstSeen).toBe('2023-05-04T09:05:00.0000000Z');
    expect(first.tags).toEqual(['Phishing', 'credential']);
  });

  it('DTI device based events: the five device joins, one row per CSV match', async () => {
    const r = await run(query('DTI device based events', hostPairsUrl));
    const refs = refsIn(DEVICE_COLUMNS);
    expect(r.results.length).toBe(innerRows(refs, hostPairs));
    expect(ids(r.results)).toEqual(keyIds(matching(refs, hostPairs)));
    // mail.dancevida.com is only a child in the CSV: its events must not match.
    expect(r.results.some((x) => x.parentHostName === 'mail.dancevida.com')).toBe(false);
    expect(refs.some((x) => x.value === 'mail.dancevida.com')).toBe(true);
  });

  it('DTI device based events from resolutions: the same joins on the Resolutions export', async () => {
    const r = await run(query('DTI device based events from resolutions', resolutionsUrl));
    const refs = refsIn(DEVICE_COLUMNS);
    expect(r.results.length).toBe(innerRows(refs, resolutions));
    expect(r.results.length).toBeGreaterThan(0);
    expect(ids(r.results)).toEqual(keyIds(matching(refs, resolutions)));
    for (const row of r.results) {
      expect(resolutions.keys.has(String(row.resolve))).toBe(true);
      expect(['64500', '64501', '64502']).toContain(row.autonomous);
    }
  });

  it('DTI DNS queries from domain controller: IdentityQueryEvents of the listed hosts', async () => {
    const text = query('DTI DNS queries from domain controller', hostPairsUrl);
    const r = await run(text);
    const refs = refsIn(['IdentityQueryEvents.QueryTarget']);
    expect(r.results.length).toBe(innerRows(refs, hostPairs));
    expect(ids(r.results)).toEqual(keyIds(matching(refs, hostPairs)));
    // Fetched over HTTP from the server's SAS route (loopback allow-listed): the same rows.
    const overHttp = await run(text, defaultFetcher({ allowHosts: ['127.0.0.1'] }));
    expect(ids(overHttp.results)).toEqual(ids(r.results));
    expect(overHttp.results.length).toBe(r.results.length);
  });

  it('an expired, tampered or revoked URL fails the query with the storage error; nothing is cached', async () => {
    const text = (url: string) => query('DTI DNS queries from domain controller', url);
    const expired = await fx.call('POST', '/api/storage/sas', { body: JSON.stringify({ container: 'mdti', blob: 'dancevida-hostpairs.csv', permissions: 'r', start: '2024-01-01T00:00:00Z', expiry: '2024-01-02T00:00:00Z' }), headers: { 'content-type': 'application/json' } });
    await expect(run(text(expired.json.url))).rejects.toMatchObject({ code: 'blob/authentication-failed', message: expect.stringMatching(/expired/) });
    const tampered = new URL(hostPairsUrl);
    tampered.searchParams.set('sp', 'rwdl');
    await expect(run(text(tampered.href))).rejects.toMatchObject({ code: 'blob/authentication-failed', message: expect.stringMatching(/signature does not match/) });
    await fx.call('PUT', '/api/storage/containers/mdti/policies/soc', { body: JSON.stringify({ permissions: 'r', expiry: new Date(Date.now() + 3_600_000).toISOString() }), headers: { 'content-type': 'application/json' } });
    const underPolicy = (await fx.call('POST', '/api/storage/sas', { body: JSON.stringify({ container: 'mdti', blob: 'dancevida-hostpairs.csv', policy: 'soc' }), headers: { 'content-type': 'application/json' } })).json.url as string;
    expect((await run(text(underPolicy))).results.length).toBeGreaterThan(0);
    await fx.call('DELETE', '/api/storage/containers/mdti/policies/soc');
    await expect(run(text(underPolicy))).rejects.toMatchObject({ code: 'blob/authentication-failed', message: expect.stringMatching(/'soc' does not exist/) });
    // Without a signature at all.
    await expect(run(text(hostPairsUrl.split('?')[0]!))).rejects.toMatchObject({ code: 'blob/authentication-failed' });
  });
});
