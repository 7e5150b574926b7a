/**
 * Passive DNS from the real Zeek dns.log (WRCCDC 2018): first/last seen of each resolution equal the
 * min/max timestamps of its answers, computed here independently from the raw file; merging is idempotent.
 */
import fs from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { aggregateZeekDns, collectZeekDns, mergePdns } from '../../src/explorer/collectors/pdns-zeek.js';
import { missingShared, removeTempStores, rows, sharedData, tempStore } from './helpers.js';

const REL = 'brimdata-zed-sample-data/zeek-default/dns.log.gz';
const skip = missingShared(REL);
if (skip) console.warn(`skipping pdns-zeek tests: ${skip}`);

/** Independent reading of the raw log: per (query, answer) the min/max `ts` as text-exact microseconds. */
function expectedFromRaw(): { perPair: Map<string, { min: bigint; max: bigint }>; answered: Set<string> } {
  const text = gunzipSync(fs.readFileSync(sharedData(REL))).toString('utf8');
  const lines = text.split('\n');
  const fields = lines.find((l) => l.startsWith('#fields'))!.split('\t').slice(1);
  const col = (n: string) => fields.indexOf(n);
  const [iTs, iQ, iA, iR, iT] = [col('ts'), col('query'), col('answers'), col('rcode_name'), col('qtype_name')];
  const perPair = new Map<string, { min: bigint; max: bigint }>();
  const answered = new Set<string>();
  for (const l of lines) {
    if (!l || l.startsWith('#')) continue;
    const c = l.split('\t');
    if (c[iA] === '-' || c[iR] !== 'NOERROR' || ['PTR', 'MX', 'NS', 'TXT', 'SOA', 'SRV'].includes(c[iT]!)) continue;
    const [s, f = ''] = c[iTs]!.split('.');
    const us = BigInt(s!) * 1000000n + BigInt(f.padEnd(6, '0'));
    const q = c[iQ]!.toLowerCase();
    const answers = c[iA]!.split(',').map((a) => a.toLowerCase());
    for (const [i, a] of answers.entries()) {
      answered.add(a);
      // Addresses, and the first name of a CNAME chain, are direct answers of the query.
      const isAddr = /^\d+\.\d+\.\d+\.\d+$/.test(a) || /^[0-9a-f:]+:[0-9a-f:]*$/.test(a);
      const isFirstName = i === 0 && /^[a-z0-9_-]+(\.[a-z0-9_-]+)+$/.test(a);
      if (!isAddr && !isFirstName) continue;
      const k = `${q} ${a}`;
      const e = perPair.get(k);
      if (!e) perPair.set(k, { min: us, max: us });
      else {
        if (us < e.min) e.min = us;
        if (us > e.max) e.max = us;
      }
    }
  }
  return { perPair, answered };
}

describe.skipIf(skip !== null)('passive DNS from Zeek dns.log', () => {
  let store: Store;
  beforeAll(async () => {
    store = await tempStore();
  });
  afterAll(async () => {
    await store?.close();
    removeTempStores();
  });

  it('first/last seen of every A/AAAA/CNAME resolution of directly queried hosts equal the raw min/max', async () => {
    const r = await collectZeekDns(store, sharedData(REL));
    expect(r.events).toBe(53615);
    const { perPair, answered } = expectedFromRaw();
    const got = await rows(store, 'SELECT Host, Resolve, epoch_us(FirstSeen) AS f, epoch_us(LastSeen) AS l FROM ExplorerResolutions');
    const byPair = new Map(got.map((g) => [`${g['Host']} ${g['Resolve']}`, g]));
    let compared = 0;
    for (const [k, e] of perPair) {
      const [q] = k.split(' ');
      // Hosts that also appear as a CNAME target get edges from other queries' chains too: compare the rest.
      if (answered.has(q!)) continue;
      const g = byPair.get(k);
      expect(g, k).toBeDefined();
      expect(BigInt(g!['f'] as bigint), `${k} first`).toBe(e.min);
      expect(BigInt(g!['l'] as bigint), `${k} last`).toBe(e.max);
      compared++;
    }
    console.log(`pDNS: ${compared} (query, answer) resolutions compared with the raw dns.log min/max timestamps`);
    expect(compared).toBeGreaterThan(500);
    // A named host of the issue: ise.wrccdc.org through its CNAME.
    const ise = got.filter((g) => g['Host'] === 'ise.wrccdc.org').map((g) => g['Resolve']).sort();
    expect(ise).toContain('ise.wrccdc.cpp.edu');
    expect(ise).toContain('134.71.3.16');
    const chain = await rows(store, "SELECT RecordType FROM ExplorerResolutions WHERE Host = 'ise.wrccdc.org' AND Resolve = 'ise.wrccdc.cpp.edu'");
    expect(chain[0]?.['RecordType']).toBe('CNAME');
    const ptr = await rows(store, 'SELECT count(*) AS n FROM ExplorerReverseDns');
    expect(Number(ptr[0]!['n'])).toBeGreaterThan(50);
  });

  it('re-collecting the same log changes nothing; new observations widen first/last and add to count', async () => {
    const before = await rows(store, 'SELECT sum(SeenCount) AS n, count(*) AS c, min(FirstSeen) AS f FROM ExplorerResolutions');
    const again = await collectZeekDns(store, sharedData(REL));
    expect(again.merged.every((m) => m.skipped || m.observations === 0)).toBe(true);
    const after = await rows(store, 'SELECT sum(SeenCount) AS n, count(*) AS c, min(FirstSeen) AS f FROM ExplorerResolutions');
    expect(after).toEqual(before);

    const agg = await aggregateZeekDns(sharedData(REL), 'zeek-dns');
    agg.resolutions.clear();
    agg.dns.clear();
    agg.reverse.clear();
    const edgesBefore = await rows(store, "SELECT count(*) AS n FROM ExplorerResolutions WHERE Host = 'ise.wrccdc.org'");
    const countBefore = await rows(
      store,
      "SELECT SeenCount AS n, LastSeen AS l FROM ExplorerResolutions WHERE Host = 'ise.wrccdc.org' AND Resolve = '134.71.3.16'",
    );
    agg.addAnswers('ise.wrccdc.org', 'A', ['ise.wrccdc.cpp.edu', '134.71.3.16'], 1000000n);
    await mergePdns(store, agg);
    const edge = await rows(
      store,
      "SELECT epoch_us(FirstSeen) AS f, SeenCount AS n FROM ExplorerResolutions WHERE Host = 'ise.wrccdc.org' AND Resolve = '134.71.3.16'",
    );
    expect(edge[0]!['f']).toBe(1000000n);
    expect(edge[0]!['n']).toBe((countBefore[0]!['n'] as bigint) + 1n);
    const edgesAfter = await rows(store, "SELECT count(*) AS n FROM ExplorerResolutions WHERE Host = 'ise.wrccdc.org'");
    expect(edgesAfter).toEqual(edgesBefore);
    const last = await rows(store, "SELECT LastSeen AS l FROM ExplorerResolutions WHERE Host = 'ise.wrccdc.org' AND Resolve = '134.71.3.16'");
    expect(last[0]!['l']).toBe(countBefore[0]!['l']);
  });
});
