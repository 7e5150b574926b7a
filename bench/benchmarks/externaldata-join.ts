/**
 * externaldata-join: the MDTI pattern at scale — a ≈50 MB Host pairs CSV (≈500k rows, Explorer layout,
 * `MM/dd/yyyy HH:mm` dates) read through `externaldata` from a Quarry signed URL (signature checked, read
 * from disk) and joined to the scale's DeviceNetworkEvents (1M at `small`), against DuckDB reading the
 * same file directly: the same compiled join, with the externaldata reader swapped for a plain
 * `read_csv(file, header=true)` (auto-detected types). The difference is what externaldata costs: the
 * signature check, the fetch, positional binding and Kusto conversions (and KQL compilation). Lower time
 * is better; ratio = baseline ÷ subject.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openStorage } from '../../src/blob/storage.js';
import { storageFetcher } from '../../src/blob/storage-fetcher.js';
import type { ExternalFetcher } from '../../src/hunt/externals.js';
import { compileKql } from '../../src/hunt/compile.js';
import { runKql } from '../../src/hunt/run.js';
import type { Store } from '../../src/store/store.js';
import { huntingStore } from '../fixtures.js';
import type { Benchmark } from '../harness.js';

interface State {
  readonly store: Store;
  readonly csv: string;
  readonly url: string;
  readonly baselineSql: string;
  readonly fetch: ExternalFetcher;
  readonly csvRows: number;
  readonly csvBytes: number;
  matches?: bigint;
  baselineMatches?: bigint;
}

const END = '2024-05-01T00:00:00Z';
const ORIGIN = 'http://127.0.0.1:7070';

const kql = (url: string) => `let TI = externaldata (parentHostName:string, childHostName:string, firstSeen:datetime, lastSeen:datetime, attributeCause:string, tags:string)
    [h@'${url}'] with (format='csv', ignoreFirstRecord=true);
TI
| join kind=inner (DeviceNetworkEvents
    | where isnotempty(RemoteUrl)
    | extend parentHostName = iff(RemoteUrl contains '//', tostring(parse_url(RemoteUrl).Host), RemoteUrl)) on parentHostName
| summarize Matches = count()`;

/** DuckDB's own CSV reader on the file, columns renamed to the KQL names (header names differ in case). */
const directRead = (file: string) => `SELECT parentHostname AS "parentHostName", childHostname AS "childHostName", firstSeen AS "firstSeen",
  lastSeen AS "lastSeen", attributeCause AS "attributeCause", Tags AS "tags" FROM read_csv('${file.replace(/'/g, "''")}', header = true)`;

/** ≈105 bytes per row; the first rows name each host the events contain once, the rest are unrelated. */
function writeCsv(file: string, rows: number, hosts: readonly string[]): number {
  const fd = fs.openSync(file, 'w');
  const causes = ['redirect', 'script.src', 'link.href', 'img.src', 'iframe.src', 'a.href'];
  const pad = (n: number) => String(n).padStart(2, '0');
  let bytes = 0;
  let buf = 'parentHostname,childHostname,firstSeen,lastSeen,attributeCause,Tags\r\n';
  for (let i = 0; i < rows; i++) {
    const parent = i < hosts.length ? hosts[i]! : `h${i.toString(36)}.infra-${i % 997}.example.net`;
    const m = 1 + (i % 12);
    const d = 1 + (i % 28);
    buf += `${parent},c-${(i * 7919).toString(36)}.cdn-${i % 101}.example.com,${pad(m)}/${pad(d)}/2023 ${pad(i % 24)}:${pad(i % 60)},${pad(m)}/${pad(d)}/2024 ${pad((i + 5) % 24)}:${pad((i + 7) % 60)},${causes[i % causes.length]},Phishing|c-${i % 31}\r\n`;
    if (buf.length > 1 << 20) {
      bytes += fs.writeSync(fd, buf);
      buf = '';
    }
  }
  bytes += fs.writeSync(fd, buf);
  fs.closeSync(fd);
  return bytes;
}

const benchmark: Benchmark<State> = {
  name: 'externaldata-join',
  description: 'externaldata of a ≈50 MB Host pairs CSV (≈500k rows) from a Quarry signed URL, inner-joined to DeviceNetworkEvents hosts, vs DuckDB read_csv of the same file in the same join.',
  unit: 'ms',

  async setup(ctx) {
    // The hunting fixture shared with hunt-q01…q13 (generated once per scale, cached in bench/data/).
    const store = await huntingStore(ctx.rows, ctx.log);
    const hostsRes = await store.query(`SELECT DISTINCT CASE WHEN RemoteUrl LIKE '%//%' THEN regexp_extract(RemoteUrl, '//([^/:?#]+)', 1) ELSE RemoteUrl END AS h
      FROM DeviceNetworkEvents WHERE RemoteUrl <> '' ORDER BY h LIMIT 2000`);
    const hosts = hostsRes.rows.map((r) => String(r[0]));
    const csvRows = ctx.scale === 'tiny' ? 5_000 : 500_000;
    const csv = path.join(ctx.workDir, 'hostpairs.csv');
    const csvBytes = writeCsv(csv, csvRows, hosts);
    const dataDir = path.join(ctx.workDir, 'quarry-data');
    const storage = openStorage(dataDir);
    await storage.blobs.createContainer('bench');
    await storage.blobs.putBlob('bench', 'hostpairs.csv', fs.createReadStream(csv), { contentType: 'text/csv' });
    const url = await storage.mintUrl(ORIGIN, { container: 'bench', blob: 'hostpairs.csv', permissions: 'r', expiry: new Date(Date.now() + 24 * 3_600_000) });
    ctx.log(`CSV: ${csvRows} rows, ${(csvBytes / 1048576).toFixed(1)} MiB`);
    const baselineSql = compileKql(kql(url), { view: 'defender', now: new Date(END), render: { readExternal: () => directRead(csv) } }).sql;
    return { store, csv, url, baselineSql, fetch: storageFetcher({ dataDir, ownOrigins: [ORIGIN], storage }), csvRows, csvBytes };
  },

  subject: {
    label: 'Quarry externaldata (signed URL) + join',
    async run(_ctx, s) {
      const t0 = performance.now();
      const r = await runKql(s.store, kql(s.url), { fetchExternal: s.fetch, now: new Date(END), view: 'defender' });
      s.matches = r.results[0]!.Matches as bigint;
      return { ms: performance.now() - t0, units: s.csvRows };
    },
  },

  baseline: {
    label: 'DuckDB read_csv (same join SQL)',
    async run(_ctx, s) {
      const t0 = performance.now();
      const r = await s.store.query(s.baselineSql);
      s.baselineMatches = BigInt(r.rows[0]![0] as bigint | number);
      return { ms: performance.now() - t0, units: s.csvRows };
    },
  },

  notes(s) {
    const same = s.matches === s.baselineMatches ? 'same as' : `DIFFERENT from (${s.baselineMatches})`;
    return `CSV ${s.csvRows} rows / ${(s.csvBytes / 1048576).toFixed(1)} MiB (${s.csvBytes} bytes); ${s.matches} join matches (${same} the baseline)`;
  },

  async teardown(_ctx, s) {
    await s.store.close();
  },
};

export default benchmark;
