/**
 * Defender's advanced-hunting functions on a real DuckDB store (src/kql/defender-functions.ts):
 * `invoke FileProfile()`, whose profile comes from this store's own events, certificates and threat-intelligence
 * indicators, and `AssignedIPAddresses()` over DeviceNetworkInfo.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuarryError } from '../../src/core/errors.js';
import { compileKql } from '../../src/hunt/compile.js';
import { runKql } from '../../src/hunt/run.js';
import { quoteFileProfileArgs } from '../../src/kql/defender-functions.js';
import { openStore } from '../../src/store/duckdb/open-store.js';
import type { Store } from '../../src/store/store.js';
import { removeTempDirs, tempDataDir } from '../store/temp-dir.js';

const A1 = 'a'.repeat(40);
const A256 = 'A'.repeat(64); // stored upper-case: the profile lower-cases hashes
const B1 = 'b'.repeat(40);
const B256 = 'b'.repeat(64);
const C1 = 'c'.repeat(40);
const t = (s: string) => new Date(`2024-05-0${s}T00:00:00Z`);
const NOW = new Date('2024-05-08T00:00:00Z'); // before the SHA-256 indicator expires

let store: Store;
beforeAll(async () => {
  store = await openStore(tempDataDir('file-profile'));
  await store.append('DeviceProcessEvents', [
    { Timestamp: t('2'), DeviceId: 'd1', DeviceName: 'one', FileName: 'tool.exe', SHA1: A1, SHA256: A256, MD5: 'm'.repeat(32), FileSize: 1000,
      ProcessVersionInfoCompanyName: 'Contoso', ProcessVersionInfoProductName: 'Contoso Tool', InitiatingProcessSHA1: B1, InitiatingProcessFileName: 'payload.bin' },
    { Timestamp: t('3'), DeviceId: 'd2', DeviceName: 'two', FileName: 'tool.exe', SHA1: A1, SHA256: A256, FileSize: 1000 },
    { Timestamp: t('4'), DeviceId: 'd1', DeviceName: 'one', FileName: 'payload.bin', SHA1: B1, SHA256: B256, FileSize: 77 },
    { Timestamp: t('5'), DeviceId: 'd1', DeviceName: 'one', FileName: 'nohash.exe', SHA1: '' },
  ]);
  await store.append('DeviceFileEvents', [{ Timestamp: t('1'), DeviceId: 'd3', DeviceName: 'three', FileName: 'tool.exe', SHA1: A1, SHA256: A256 }]);
  await store.append('DeviceFileCertificateInfo', [
    { Timestamp: t('1'), DeviceId: 'd1', SHA1: A1, IsSigned: true, IsTrusted: false, Signer: 'Old Signer', Issuer: 'Old CA' },
    { Timestamp: t('2'), DeviceId: 'd1', SHA1: A1.toUpperCase(), IsSigned: true, IsTrusted: true, Signer: 'Contoso Ltd', Issuer: 'Contoso CA', SignerHash: 'sh', IsRootSignerMicrosoft: false },
    { Timestamp: t('2'), DeviceId: 'd1', SHA1: B1, IsSigned: false },
  ]);
  await store.append('ThreatIntelligenceIndicator', [
    { TimeGenerated: t('1'), IndicatorId: 'ind-b', Active: true, FileHashType: 'SHA256', FileHashValue: B256, ThreatType: 'Malware', ExpirationDateTime: t('9') },
    { TimeGenerated: t('1'), IndicatorId: 'ind-a', Active: true, FileHashType: 'SHA1', FileHashValue: A1, ThreatType: 'Malware' },
    { TimeGenerated: t('2'), IndicatorId: 'ind-a', Active: false, FileHashType: 'SHA1', FileHashValue: A1, ThreatType: 'Malware' }, // revoked since
  ]);
});
afterAll(async () => {
  await store?.close();
  removeTempDirs();
});

const rows = async (q: string) => {
  const r = await runKql(store, q, { now: NOW });
  return r.results;
};

describe('invoke FileProfile()', () => {
  it('profiles each file from this store: prevalence, first/last seen, signature, threat, publisher', async () => {
    const got = await rows(`DeviceProcessEvents | invoke FileProfile(SHA1, 1000)
      | project FileName, SHA11, SHA2561, FileSize1, GlobalPrevalence, GlobalFirstSeen, GlobalLastSeen, Signer, Issuer, IsCertificateValid,
                SignatureState, IsExecutable, ThreatName, Publisher, SoftwareName, ProfileAvailability
      | summarize take_any(*) by FileName | order by FileName asc`);
    expect(got.map((r) => r['FileName'])).toEqual(['nohash.exe', 'payload.bin', 'tool.exe']);
    const [nohash, payload, tool] = got;
    expect(tool).toMatchObject({
      SHA11: A1, SHA2561: A256.toLowerCase(), FileSize1: 1000, GlobalPrevalence: 3, // d1, d2 (processes) and d3 (file event)
      Signer: 'Contoso Ltd', Issuer: 'Contoso CA', IsCertificateValid: true, SignatureState: 'SignedValid', IsExecutable: true,
      ThreatName: '', // its indicator was revoked
      Publisher: 'Contoso', SoftwareName: 'Contoso Tool', ProfileAvailability: 'Available',
    });
    expect([tool!['GlobalFirstSeen'], tool!['GlobalLastSeen']]).toEqual(['2024-05-01T00:00:00.0000000Z', '2024-05-03T00:00:00.0000000Z']);
    // payload.bin: seen as a process and as the initiating process of tool.exe, on d1 only; unsigned; an active SHA-256 indicator.
    expect(payload).toMatchObject({ SHA11: B1, GlobalPrevalence: 1, SignatureState: 'Unsigned', IsExecutable: false, ThreatName: 'Malware', ProfileAvailability: 'Available' });
    // No file id: nothing to profile.
    expect(nohash).toMatchObject({ ProfileAvailability: '', GlobalPrevalence: null });
  });

  it('says Missing for a file no event knows, Unknown signature without a certificate row, and honours the limit', async () => {
    const [missing] = await rows(`datatable(SHA1:string) ['${C1}'] | invoke FileProfile() | project SHA1, SHA11, ProfileAvailability, SignatureState`);
    expect(missing).toMatchObject({ SHA1: C1, ProfileAvailability: 'Missing', SignatureState: '' });
    const limited = await rows(`datatable(SHA1:string) ['${A1}', '${B1}'] | invoke FileProfile('SHA1', 1) | summarize n = count() by ProfileAvailability`);
    expect(limited.map((r) => [r['ProfileAvailability'], Number(r['n'])]).sort()).toEqual([['', 1], ['Available', 1]]);
    // A sampled input is read once: the rows enriched are the rows returned.
    const sampled = await rows(`DeviceProcessEvents | where isnotempty(SHA1) | take 2 | invoke FileProfile() | summarize n = count() by ProfileAvailability`);
    expect(sampled.map((r) => [r['ProfileAvailability'], Number(r['n'])])).toEqual([['Available', 2]]);
  });

  it('looks up by SHA-256 or by the initiating process id column', async () => {
    // The input has no SHA1 column, so the profile's keeps its name.
    const by256 = await rows(`datatable(SHA256:string) ['${A256}'] | invoke FileProfile(SHA256) | project SHA1, SHA2561, GlobalPrevalence`);
    expect(by256).toEqual([{ SHA1: A1, SHA2561: A256.toLowerCase(), GlobalPrevalence: 3 }]);
    const initiating = await rows(`DeviceProcessEvents | where FileName == 'tool.exe' and DeviceId == 'd1'
      | invoke FileProfile(InitiatingProcessSHA1) | project InitiatingProcessSHA1, SHA11, ThreatName, SignatureState`);
    expect(initiating).toEqual([{ InitiatingProcessSHA1: B1, SHA11: B1, ThreatName: 'Malware', SignatureState: 'Unsigned' }]);
  });

  it('points errors at the text as written, although the bare column name is quoted for the binder', () => {
    const q = 'DeviceProcessEvents | invoke FileProfile(SHA1) | project Nope';
    let err: unknown;
    try {
      compileKql(q);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(QuarryError);
    expect((err as QuarryError).code).toBe('kql/unknown-column');
    expect((err as QuarryError).span?.column).toBe(q.indexOf('Nope') + 1);
    const r = quoteFileProfileArgs('T | invoke FileProfile( SHA1 , 5) | invoke FileProfile(SHA256)');
    expect(r.text).toBe('T | invoke FileProfile( "SHA1" , 5) | invoke FileProfile("SHA256")');
    const orig = 'T | invoke FileProfile( SHA1 , 5) | invoke FileProfile(SHA256)';
    // The quoted names map onto the names as written (the quotes onto their ends), later text shifts back.
    expect(r.toOriginal(r.text.indexOf('"SHA1"') + 1)).toBe(orig.indexOf('SHA1'));
    expect(r.toOriginal(r.text.indexOf('"SHA1"'))).toBe(orig.indexOf('SHA1'));
    expect(r.toOriginal(r.text.indexOf('"SHA256"') + 1)).toBe(orig.indexOf('SHA256'));
    expect(r.toOriginal(r.text.indexOf(', 5)'))).toBe(orig.indexOf(', 5)'));
    expect(r.toOriginal(r.text.length)).toBe(orig.length);
    expect(quoteFileProfileArgs('print FileProfile = "SHA1"').text).toBe('print FileProfile = "SHA1"');
  });

  it("AssignedIPAddresses: the addresses of each adapter's latest report at or before the time", async () => {
    await store.append('DeviceNetworkInfo', [
      { Timestamp: t('1'), DeviceId: 'dev-9', DeviceName: 'nine.contoso.com', NetworkAdapterName: 'eth0', MacAddress: 'aa', NetworkAdapterType: 'Ethernet',
        ConnectedNetworks: '[{"Name":"corp"}]', IPAddresses: '[{"IPAddress":"10.0.0.5","SubnetPrefix":24,"AddressType":"Private"}]' },
      { Timestamp: t('3'), DeviceId: 'dev-9', DeviceName: 'nine.contoso.com', NetworkAdapterName: 'eth0', MacAddress: 'aa', NetworkAdapterType: 'Ethernet',
        ConnectedNetworks: '[{"Name":"corp"}]', IPAddresses: '[{"IPAddress":"10.0.0.9","SubnetPrefix":24,"AddressType":"Private"},{"IPAddress":"fe80::1","SubnetPrefix":64}]' },
      { Timestamp: t('2'), DeviceId: 'dev-9', DeviceName: 'nine.contoso.com', NetworkAdapterName: 'wifi', MacAddress: 'bb', NetworkAdapterType: 'Wireless80211',
        ConnectedNetworks: '', IPAddresses: '[{"IPAddress":"203.0.113.7","SubnetPrefix":24}]' },
      { Timestamp: t('2'), DeviceId: 'other', DeviceName: 'other', MacAddress: 'cc', IPAddresses: '[{"IPAddress":"10.9.9.9"}]' },
    ]);
    const latest = await rows(`AssignedIPAddresses('NINE.contoso.com') | project IPAddress, IPType, NetworkAdapterType | order by IPAddress asc`);
    expect(latest).toEqual([
      { IPAddress: '10.0.0.9', IPType: 'Private', NetworkAdapterType: 'Ethernet' },
      { IPAddress: '203.0.113.7', IPType: 'Public', NetworkAdapterType: 'Wireless80211' },
      { IPAddress: 'fe80::1', IPType: 'Public', NetworkAdapterType: 'Ethernet' },
    ]);
    const before = await rows(`AssignedIPAddresses('dev-9', datetime(2024-05-02T12:00:00Z)) | project Timestamp, IPAddress | order by IPAddress asc`);
    expect(before).toEqual([
      { Timestamp: '2024-05-01T00:00:00.0000000Z', IPAddress: '10.0.0.5' },
      { Timestamp: '2024-05-02T00:00:00.0000000Z', IPAddress: '203.0.113.7' },
    ]);
  });
});
