/**
 * Acceptance: the Sentinel "TI map" analytics rules (`../shared/acceptance/sentinel-ti-map-rules.kql`,
 * verbatim from Azure/Azure-Sentinel) compile unchanged, and run unchanged on generated indicators and events
 * returning exactly the planted matches.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateInto, plantedTruth } from '../../src/generate/index.js';
import { runKql } from '../../src/hunt/run.js';
import { openStore } from '../../src/store/duckdb/open-store.js';
import type { Store } from '../../src/store/store.js';
import { compileKql } from '../../src/hunt/compile.js';
import { acceptanceUnavailableReason, readAcceptance, splitSentinelRules } from './acceptance-files.js';

const FILE = 'sentinel-ti-map-rules.kql';
const unavailable = acceptanceUnavailableReason(FILE);

describe.skipIf(unavailable !== null)(`Sentinel TI-map rules: split and compile${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const rules = unavailable ? [] : splitSentinelRules(readAcceptance(FILE));

  it('splits the file into the 7 rules, each starting with its own let statements', () => {
    expect(rules).toHaveLength(7);
    for (const r of rules) {
      expect(r.text.startsWith('let dt_lookBack = 1h;'), r.name).toBe(true);
      expect(r.text).not.toMatch(/^\/\/ (SOURCE|name|id):/m);
    }
    expect(new Set(rules.map((r) => r.source)).size).toBe(7);
  });

  for (const r of rules) {
    it(`compiles: ${r.name} (${r.source.split('/').pop()!.replace(/\.yaml$/, '')})`, () => {
      const compiled = compileKql(r.text, { view: 'sentinel', now: new Date('2024-06-01T00:00:00Z') });
      expect(compiled.sql.length).toBeGreaterThan(0);
      expect(compiled.schema.length).toBeGreaterThan(0);
    });
  }
});

/**
 * Each rule runs unchanged ("now" = the end of the generated window; the generator places one planted row of
 * every form in the last hour, which is the rules' event lookback). For each rule: which indicator values it
 * may match (planted, active, of the rule's kind), read from the column that carries the matched IOC.
 */
interface RuleSpec {
  readonly file: string;
  readonly iocColumn: string;
  readonly kinds: readonly string[];
  /** Tables and columns where a match can come from (planted truth references). */
  readonly refs: readonly { readonly table: string; readonly columns: readonly string[] }[];
}

const specs: readonly RuleSpec[] = [
  { file: 'IPEntity_imNetworkSession', iocColumn: 'IoCIP', kinds: ['ipv4'], refs: [{ table: 'DeviceNetworkEvents', columns: ['RemoteIP', 'LocalIP'] }, { table: 'CommonSecurityLog', columns: ['DestinationIP', 'SourceIP'] }] },
  { file: 'IPEntity_DeviceNetworkEvents', iocColumn: 'TI_ipEntity', kinds: ['ipv4'], refs: [{ table: 'DeviceNetworkEvents', columns: ['RemoteIP'] }] },
  { file: 'DomainEntity_DeviceNetworkEvents', iocColumn: 'TI_Domain', kinds: ['domain'], refs: [{ table: 'DeviceNetworkEvents', columns: ['RemoteUrl'] }] },
  { file: 'DomainEntity_DnsEvents', iocColumn: 'TI_DomainEntity', kinds: ['domain'], refs: [{ table: 'DnsEvents', columns: ['Name'] }] },
  { file: 'URLEntity_UrlClickEvents', iocColumn: 'Url', kinds: ['url'], refs: [{ table: 'UrlClickEvents', columns: ['Url'] }] },
  { file: 'FileHashEntity_DeviceFileEvents', iocColumn: 'FileHashValue', kinds: ['sha1', 'sha256'], refs: [{ table: 'DeviceFileEvents', columns: ['SHA1', 'SHA256', 'InitiatingProcessSHA1', 'InitiatingProcessSHA256'] }] },
  { file: 'IPEntity_DeviceNetworkEvents_Updated', iocColumn: 'TI_ipEntity', kinds: ['ipv4'], refs: [{ table: 'DeviceNetworkEvents', columns: ['RemoteIP'] }] },
];

describe.skipIf(unavailable !== null)(`Sentinel TI-map rules: run unchanged on generated indicators and events${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const END = new Date('2024-03-01T00:00:00Z');
  const options = { seed: 5, rows: 30_000, end: END, days: 7 };
  let store: Store;
  let dir: string;
  const rules = unavailable ? [] : splitSentinelRules(readAcceptance(FILE));
  const truth = plantedTruth(options);
  const emptyIocCsv = path.join(os.tmpdir(), `quarry-empty-ioc-${process.pid}.csv`);

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'quarry-ti-rules-'));
    store = await openStore(dir);
    await generateInto(store, options);
    // The DnsEvents rule also unions Microsoft's public RapidReleaseTI CSV by URL; tests never fetch the
    // Internet, so that source is served as an empty file with the same header.
    await writeFile(emptyIocCsv, 'TimeGenerated,IoC,IoC_Type,ExpirationDateTime,Description,Action,ConfidenceScore,ThreatType,Active,Type,TrafficLightProtocolLevel,ActivityGroupNames\n');
  }, 120_000);

  afterAll(async () => {
    await store?.close();
    await rm(dir, { recursive: true, force: true });
    await rm(emptyIocCsv, { force: true });
  });

  for (const spec of specs) {
    it(`${spec.file} matches exactly the live planted indicators seen in the last hour`, async () => {
      const rule = rules.find((r) => r.source.endsWith(`/${spec.file}.yaml`));
      expect(rule, spec.file).toBeDefined();
      const r = await runKql(store, rule!.text, { now: END, fetchExternal: async () => emptyIocCsv });
      const matched = new Set(r.results.map((row) => String(row[spec.iocColumn] ?? '').toLowerCase()));
      const from = END.getTime() - 3_600_000;
      const live = truth.indicators.filter((i) => i.status === 'active' && spec.kinds.includes(i.kind));
      const expected = new Set(
        live.filter((i) => truth.refs.some((ref) => ref.indicator === i.id && Date.parse(ref.time) >= from && Date.parse(ref.time) < END.getTime()
          && spec.refs.some((t) => t.table === ref.table && t.columns.includes(ref.column))))
          .map((i) => i.value.toLowerCase()),
      );
      const decoys = truth.indicators.filter((i) => i.status !== 'active').map((i) => i.value.toLowerCase());
      expect(expected.size, 'the generator must plant at least one match in the last hour').toBeGreaterThan(0);
      expect([...matched].filter((m) => decoys.includes(m)), 'decoys never match').toEqual([]);
      expect([...matched].sort()).toEqual([...expected].sort());
    });
  }
});
