/**
 * `externaldata` on both backends: the same local files read through `runKql` on DuckDB (the reader of
 * `hunt/external-reader.ts`) and on embedded ClickHouse (chdb, the dialect's `file()` reader) must give
 * identical rows — Kusto's positional binding, header skip, conversions (unparseable → null, strings
 * never null), ISO 8601 and Explorer's `MM/dd/yyyy HH:mm` datetimes, JSON by name, txt and raw. Each
 * case also pins the expected rows, so both readers are checked against Kusto, not only each other.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HuntResult, RunOptions } from '../../src/hunt/run.js';
import type { ClickHouseStore } from '../../src/store/clickhouse/clickhouse-store.js';
import { conformanceBackends, type BackendSession } from '../conformance/backends.js';
import { hostPairsCsv, resolutionsCsv } from '../externaldata/mdti-csv.js';
import { removeTempDirs, tempDataDir } from '../store/temp-dir.js';
import { chdbUnavailable, clickhouseSqlFor, openChdbStore, runOnClickhouse } from './chdb-backend.js';

const unavailable = chdbUnavailable();
const opts: RunOptions = { now: new Date('2024-06-01T00:00:00Z'), maxRows: 1000, timeoutMs: 20_000 };

describe.skipIf(unavailable !== null)(`externaldata on DuckDB and ClickHouse (chdb)${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let duck: BackendSession;
  let ch: ClickHouseStore;
  let dir: string;

  function file(name: string, text: string): string {
    const p = path.join(dir, name);
    fs.writeFileSync(p, text);
    return p;
  }

  /** Runs `query` on both backends; both must succeed with the same schema and rows, which are returned. */
  async function both(query: string): Promise<HuntResult['results']> {
    const a = await duck.run(query, opts);
    let b: HuntResult;
    try {
      b = await runOnClickhouse(ch, query, opts);
    } catch (e) {
      throw new Error(`chdb failed: ${(e as Error).message}\n  clickhouse sql: ${clickhouseSqlFor(query, opts)}`);
    }
    expect(b.schema, 'schema').toEqual(a.schema);
    expect(b.results, `rows differ\n  duckdb sql: ${duck.sqlFor(query, opts)}\n  clickhouse sql: ${clickhouseSqlFor(query, opts)}`).toEqual(a.results);
    return a.results;
  }

  beforeAll(async () => {
    dir = tempDataDir('quarry-ch-extread-');
    duck = await conformanceBackends.find((x) => x.name === 'duckdb')!.open();
    ch = await openChdbStore();
  }, 60_000);
  afterAll(async () => {
    await duck?.close();
    removeTempDirs();
  });

  it('csv with the header skipped: by position, conversions, quoted fields, ISO and Explorer datetimes', async () => {
    const p = file('hp.csv', [
      'parentHostname,childHostname,firstSeen,lastSeen,attributeCause,Count,Score,Flag,Span',
      'dancevida.com,www.dancevida.com,05/03/2023 14:20,2023-06-01T02:00:00+02:00,redirect,12,0.5,true,01:02:03',
      '"quoted, host",b,not a date,,"say ""hi""",x,,maybe,',
      'spaced,c,1/2/2024 3:04:05 PM,2024-01-02 03:04:05.25, a b ,-3,1e3,false,2.00:00:00',
      'short,d,12/31/2023,2023-12-31T23:59:59Z',
    ].join('\r\n') + '\r\n');
    const rows = await both(`externaldata (parent:string, child:string, firstSeen:datetime, lastSeen:datetime, cause:string, n:long, score:real, flag:bool, span:timespan)
      [@'${p}'] with (format='csv', ignoreFirstRecord=true) | order by child asc`);
    expect(rows).toEqual([
      { parent: 'dancevida.com', child: 'www.dancevida.com', firstSeen: '2023-05-03T14:20:00.0000000Z', lastSeen: '2023-06-01T00:00:00.0000000Z', cause: 'redirect', n: 12n, score: 0.5, flag: true, span: '01:02:03' },
      { parent: 'quoted, host', child: 'b', firstSeen: null, lastSeen: null, cause: 'say "hi"', n: null, score: null, flag: null, span: null },
      { parent: 'spaced', child: 'c', firstSeen: '2024-01-02T15:04:05.0000000Z', lastSeen: '2024-01-02T03:04:05.2500000Z', cause: ' a b ', n: -3n, score: 1000, flag: false, span: '2.00:00:00' },
      { parent: 'short', child: 'd', firstSeen: '2023-12-31T00:00:00.0000000Z', lastSeen: '2023-12-31T23:59:59.0000000Z', cause: '', n: null, score: null, flag: null, span: null },
    ].sort((x, y) => (x.child < y.child ? -1 : 1)));
  });

  it('csv without the skip keeps the header as a row; missing trailing fields are empty/null', async () => {
    const p = file('short.csv', 'h1,h2,h3\na\n');
    const rows = await both(`externaldata (a:string, b:string, c:long) [@'${p}'] with (format='csv') | order by a asc`);
    expect(rows).toEqual([{ a: 'a', b: '', c: null }, { a: 'h1', b: 'h2', c: null }]);
  });

  it('tsv and psv, the skip applied to each file of a source with several files', async () => {
    const t = file('a.tsv', 'k\tv\nx\t1\ny\t"2"\n');
    const p = file('b.psv', 'z|3\n');
    expect(await both(`externaldata (k:string, v:int) [@'${t}'] with (format='tsv', ignoreFirstRecord=true) | order by k asc`))
      .toEqual([{ k: 'x', v: 1 }, { k: 'y', v: 2 }]);
    expect(await both(`externaldata (k:string, v:int) [@'${t}', @'${t}'] with (format='tsv', ignoreFirstRecord=true) | count`)).toEqual([{ Count: 4n }]);
    expect(await both(`externaldata (k:string, v:int) [@'${p}', @'${p}'] with (format='psv') | summarize n = count(), s = sum(v)`)).toEqual([{ n: 2n, s: 6n }]);
  });

  it('json lines and a json array bind by name; missing members are null, dynamic members keep their JSON', async () => {
    const j = file('a.json', JSON.stringify([{ host: 'a.example', seen: '2024-01-02T03:04:05Z', n: 7, extra: 1 }, { host: 'b.example', n: 'x', seen: '03/04/2024 10:00' }]));
    const m = file('a.ndjson', '{"host":"c.example","n":3,"tags":["p","q"],"bag":{"k":1}}\n{"host":"d.example","n":"4"}\n');
    expect(await both(`externaldata (n:long, host:string, seen:datetime) [@'${j}'] with (format='json') | order by host asc`)).toEqual([
      { n: 7n, host: 'a.example', seen: '2024-01-02T03:04:05.0000000Z' },
      { n: null, host: 'b.example', seen: '2024-03-04T10:00:00.0000000Z' },
    ]);
    expect(await both(`externaldata (host:string, n:long, tags:dynamic, bag:dynamic) [@'${m}'] with (format='multijson') | order by host asc`)).toEqual([
      { host: 'c.example', n: 3n, tags: ['p', 'q'], bag: { k: 1 } },
      { host: 'd.example', n: 4n, tags: null, bag: null },
    ]);
    // ignoreFirstRecord skips the first record of each file, JSON included (Kusto's rule).
    const m2 = file('b.ndjson', '{"host":"e.example","n":5}\n{"host":"f.example","n":6}\n');
    expect(await both(`externaldata (host:string, n:long) [@'${m}', @'${m2}'] with (format='multijson', ignoreFirstRecord=true) | order by host asc`)).toEqual([
      { host: 'd.example', n: 4n },
      { host: 'f.example', n: 6n },
    ]);
  });

  it('txt gives one row per line, raw one row with the whole text', async () => {
    const p = file('lines.txt', 'first, with "quotes"\nsecond|line\tand tab\n');
    expect(await both(`externaldata (line:string) [@'${p}'] with (format='txt') | order by line asc`))
      .toEqual([{ line: 'first, with "quotes"' }, { line: 'second|line\tand tab' }]);
    expect(await both(`externaldata (all:string) [@'${p}'] with (format='raw')`)).toEqual([{ all: 'first, with "quotes"\nsecond|line\tand tab\n' }]);
  });

  it("Explorer's host pairs and resolutions CSV downloads (MDTI layout), joined as the MDTI hunting queries do", async () => {
    const hp = file('hostpairs.csv', hostPairsCsv().text);
    const res = file('resolutions.csv', resolutionsCsv().text);
    const rows = await both(`let HostPairs = externaldata (parentHostname:string, childHostname:string, firstSeen:datetime, lastSeen:datetime, attributeCause:string, Tags:string)
        [@'${hp}'] with (format='csv', ignoreFirstRecord=true);
      let Resolutions = externaldata (Resolve:string, Location:string, Network:string, autonomousSystemNumber:long, firstSeen:datetime, lastSeen:datetime, Source:string, Tags:string)
        [@'${res}'] with (format='csv', ignoreFirstRecord=true);
      HostPairs | join kind=inner (Resolutions) on $left.childHostname == $right.Resolve
      | project parentHostname, childHostname, Network, autonomousSystemNumber, firstSeen, lastSeen1, tags = split(Tags, '|')
      | order by childHostname asc, Network asc`);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => typeof r['firstSeen'] === 'string' && typeof r['lastSeen1'] === 'string')).toBe(true);
  });

  it('an empty file is an empty table in both readers', async () => {
    const e = file('empty.csv', '');
    expect(await both(`externaldata (a:string, b:long) [@'${e}'] with (format='csv', ignoreFirstRecord=true) | count`)).toEqual([{ Count: 0n }]);
  });
});
