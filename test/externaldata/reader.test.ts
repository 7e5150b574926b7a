/**
 * `externaldata` formats through `runKql` on a real DuckDB store: positional binding for delimited
 * formats with `ignoreFirstRecord`, Kusto conversions (unparseable → null, strings never null), Explorer's
 * `MM/dd/yyyy HH:mm` datetimes, JSON by name, txt and raw.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKql } from '../../src/hunt/run.js';
import { openStore } from '../../src/store/duckdb/open-store.js';
import type { Store } from '../../src/store/store.js';
import { removeTempDirs, tempDataDir } from '../store/temp-dir.js';

let store: Store;
let dir: string;

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

beforeAll(async () => {
  dir = tempDataDir('quarry-extread-');
  store = await openStore(path.join(dir, 'db'));
}, 60_000);
afterAll(async () => {
  await store?.close();
  removeTempDirs();
});

describe('externaldata reader', () => {
  it('csv: by position, header skipped, Kusto conversions, Explorer datetimes, quoted fields', async () => {
    const p = file('hp.csv', [
      'parentHostname,childHostname,firstSeen,lastSeen,attributeCause,Tags,Count,Score,Flag',
      'dancevida.com,www.dancevida.com,05/03/2023 14:20,2023-06-01T02:00:00+02:00,redirect,Phishing|STORM-0000,12,0.5,true',
      '"quoted, host",b,not a date,,"say ""hi""",,x,,maybe',
    ].join('\r\n') + '\r\n');
    const r = await runKql(store, `externaldata (parent:string, child:string, firstSeen:datetime, lastSeen:datetime, cause:string, tags:string, n:long, score:real, flag:bool)
      [@'${p}'] with (format='csv', ignoreFirstRecord=true) | extend tags = split(tags, '|')`);
    expect(r.schema.map((c) => `${c.name}:${c.type}`)).toEqual(['parent:string', 'child:string', 'firstSeen:datetime', 'lastSeen:datetime', 'cause:string', 'tags:dynamic', 'n:long', 'score:real', 'flag:bool']);
    expect(r.results).toEqual([
      { parent: 'dancevida.com', child: 'www.dancevida.com', firstSeen: '2023-05-03T14:20:00.0000000Z', lastSeen: '2023-06-01T00:00:00.0000000Z', cause: 'redirect', tags: ['Phishing', 'STORM-0000'], n: 12n, score: 0.5, flag: true },
      { parent: 'quoted, host', child: 'b', firstSeen: null, lastSeen: null, cause: 'say "hi"', tags: [''], n: null, score: null, flag: null },
    ]);
  });

  it('without ignoreFirstRecord the header is a row; missing trailing fields are empty/null', async () => {
    const p = file('short.csv', 'h1,h2,h3\na\n');
    const r = await runKql(store, `externaldata (a:string, b:string, c:long) [@'${p}'] with (format='csv')`);
    expect(r.results).toEqual([{ a: 'h1', b: 'h2', c: null }, { a: 'a', b: '', c: null }]);
  });

  it('tsv and psv, several URLs in one source', async () => {
    const t = file('a.tsv', 'x\t1\ny\t2\n');
    const p = file('b.psv', 'z|3\n');
    const r1 = await runKql(store, `externaldata (k:string, v:int) [@'${t}'] with (format='tsv') | order by k asc`);
    expect(r1.results).toEqual([{ k: 'x', v: 1 }, { k: 'y', v: 2 }]);
    const r2 = await runKql(store, `externaldata (k:string, v:int) [@'${p}', @'${p}'] with (format='psv') | count`);
    expect(r2.results).toEqual([{ Count: 2n }]);
  });

  it('json and multijson bind by name', async () => {
    const j = file('a.json', JSON.stringify([{ host: 'a.example', seen: '2024-01-02T03:04:05Z', n: 7, extra: 1 }, { host: 'b.example', n: 'x' }]));
    const m = file('a.ndjson', '{"host":"c.example","n":3,"tags":["p","q"]}\n{"host":"d.example"}\n');
    const r1 = await runKql(store, `externaldata (n:long, host:string, seen:datetime) [@'${j}'] with (format='json')`);
    expect(r1.results).toEqual([{ n: 7n, host: 'a.example', seen: '2024-01-02T03:04:05.0000000Z' }, { n: null, host: 'b.example', seen: null }]);
    const r2 = await runKql(store, `externaldata (host:string, tags:dynamic) [@'${m}'] with (format='multijson')`);
    expect(r2.results).toEqual([{ host: 'c.example', tags: ['p', 'q'] }, { host: 'd.example', tags: null }]);
    // ignoreFirstRecord skips the first record of each file (Kusto's rule), also for JSON over several files.
    const m2 = file('b.ndjson', '{"host":"e.example"}\n{"host":"f.example"}\n');
    const r3 = await runKql(store, `externaldata (host:string) [@'${m}', @'${m2}'] with (format='multijson', ignoreFirstRecord=true) | order by host asc`);
    expect(r3.results).toEqual([{ host: 'd.example' }, { host: 'f.example' }]);
  });

  it('txt gives one row per line, raw one row with the whole text', async () => {
    const p = file('lines.txt', 'first, with "quotes"\nsecond|line\n');
    const r1 = await runKql(store, `externaldata (line:string) [@'${p}'] with (format='txt')`);
    expect(r1.results).toEqual([{ line: 'first, with "quotes"' }, { line: 'second|line' }]);
    const r2 = await runKql(store, `externaldata (all:string) [@'${p}'] with (format='raw')`);
    expect(r2.results).toEqual([{ all: 'first, with "quotes"\nsecond|line\n' }]);
  });

  it('an h@ obfuscated URL reads like any other and an unknown format is a clear error', async () => {
    const p = file('h.csv', 'a\n');
    const r = await runKql(store, `externaldata (a:string) [h@'${p}'] with (format='csv')`);
    expect(r.results).toEqual([{ a: 'a' }]);
    await expect(runKql(store, `externaldata (a:string) [@'${p}'] with (format='avro')`)).rejects.toThrow(/format 'avro' is not supported/);
  });
});
