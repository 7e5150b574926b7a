/**
 * The compile pipeline's contract beyond row results (those are in test/conformance): error codes with
 * positions, view selection, column pruning, obfuscated literals, and the runner's limits (row cap,
 * timespan, timeout, cancellation, exact longs).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuarryError } from '../../src/core/errors.js';
import { stringifyExact } from '../../src/core/json.js';
import { compileKql } from '../../src/hunt/compile.js';
import { parseTimespan, runKql } from '../../src/hunt/run.js';
import { openStore } from '../../src/store/duckdb/open-store.js';
import type { Store } from '../../src/store/store.js';

function errorOf(fn: () => unknown): QuarryError {
  try {
    fn();
  } catch (e) {
    if (e instanceof QuarryError) return e;
    throw e;
  }
  throw new Error('expected a QuarryError');
}

describe('compile errors carry a code, a line and a column', () => {
  it('syntax error', () => {
    const e = errorOf(() => compileKql('DeviceProcessEvents\n| where FileName =~ "powershell.exe"\n| summarize count() by'));
    expect(e.code).toBe('kql/syntax-error');
    expect(e.span?.line).toBe(3);
    expect(e.span?.column).toBeGreaterThan(1);
    expect(e.toJSON()).toMatchObject({ code: 'kql/syntax-error', line: 3 });
  });
  it('unknown table, named', () => {
    const e = errorOf(() => compileKql('DeviceProcessEventz | take 1'));
    expect(e.code).toBe('kql/unknown-table');
    expect(e.message).toContain("'DeviceProcessEventz'");
    expect([e.span?.line, e.span?.column]).toEqual([1, 1]);
  });
  it('unknown column, named, at its position', () => {
    const e = errorOf(() => compileKql('DeviceProcessEvents\n| where NoSuchColumn == 1'));
    expect(e.code).toBe('kql/unknown-column');
    expect(e.message).toContain("'NoSuchColumn'");
    expect([e.span?.line, e.span?.column]).toEqual([2, 9]);
  });
  it('unknown column in a project list', () => {
    expect(errorOf(() => compileKql('DeviceProcessEvents | project FileName, Nope')).code).toBe('kql/unknown-column');
  });
  it('unknown function', () => {
    expect(errorOf(() => compileKql('print nosuchfn(1)')).code).toBe('kql/unknown-function');
  });
  it('empty query', () => {
    expect(errorOf(() => compileKql('  // only a comment\n')).code).toBe('kql/empty-query');
  });
});

describe('schema views', () => {
  it('binds Defender queries in the Defender view and Sentinel ones in the Sentinel view (auto)', () => {
    expect(compileKql('DeviceNetworkEvents | where Timestamp > ago(1h) | take 1').view).toBe('defender');
    expect(compileKql('DeviceNetworkEvents | where TimeGenerated > ago(1h) | take 1').view).toBe('sentinel');
  });
  it('the Sentinel view adds TenantId, TimeGenerated and Type', () => {
    const cols = compileKql('DeviceNetworkEvents | take 1', { view: 'sentinel' }).schema.map((c) => c.name);
    expect(cols).toEqual(expect.arrayContaining(['TenantId', 'TimeGenerated', 'Timestamp', 'Type']));
    const def = compileKql('DeviceNetworkEvents | take 1', { view: 'defender' }).schema.map((c) => c.name);
    expect(def).not.toContain('TimeGenerated');
    expect(def[0]).toBe('Timestamp');
  });
});

describe('generated SQL', () => {
  it('prunes columns nobody reads, including arg_max(*) members', () => {
    const sql = compileKql('DeviceNetworkEvents | summarize arg_max(Timestamp, *) by DeviceId | project DeviceId, RemoteIP').sql;
    expect(sql).toContain('"RemoteIP"');
    expect(sql).not.toContain('"InitiatingProcessCommandLine"');
  });
  it('never shows an obfuscated externaldata URL', () => {
    const sql = compileKql('externaldata(a:string)[h@"https://store.example/a.csv?sig=SECRET"] with (format="csv")').sql;
    expect(sql).not.toContain('SECRET');
    expect(sql).not.toContain('store.example');
  });
  it('escapes string literals (no injection through values)', () => {
    const sql = compileKql(`print x = "a'); DROP TABLE DeviceEvents; --"`).sql;
    expect(sql).toContain(`'a''); DROP TABLE DeviceEvents; --'`);
  });
});

describe('running queries', () => {
  let dir: string;
  let store: Store;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'quarry-run-'));
    store = await openStore(dir);
  });
  afterAll(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps 64-bit longs exact from DuckDB to JSON', async () => {
    const r = await runKql(store, 'print a = 9223372036854775807, b = -9007199254740993');
    expect(stringifyExact(r.results)).toBe('[{"a":9223372036854775807,"b":-9007199254740993}]');
  });
  it('formats datetimes with 7 fractional digits and timespans like Kusto', async () => {
    const r = await runKql(store, 'print t = datetime(2024-01-02 03:04:05.123456), s = 1d + 2h + 3ms');
    expect(r.results[0]).toEqual({ t: '2024-01-02T03:04:05.1234560Z', s: '1.02:00:00.0030000' });
  });
  it('freezes now() and ago() at the given now', async () => {
    const r = await runKql(store, 'print n = now(), a = ago(1d)', { now: new Date('2024-05-01T12:00:00Z') });
    expect(r.results[0]).toEqual({ n: '2024-05-01T12:00:00.0000000Z', a: '2024-04-30T12:00:00.0000000Z' });
  });
  it('caps rows and says so', async () => {
    const r = await runKql(store, 'range i from 1 to 100 step 1', { maxRows: 10 });
    expect(r.results).toHaveLength(10);
    expect(r.truncated).toBe(true);
  });
  it('applies a timespan to every table scan', async () => {
    await store.append('DnsEvents', [
      { TimeGenerated: '2024-05-01T11:00:00Z', Name: 'recent.example' },
      { TimeGenerated: '2024-04-01T11:00:00Z', Name: 'old.example' },
    ]);
    const r = await runKql(store, 'DnsEvents | project Name', { now: new Date('2024-05-01T12:00:00Z'), timespan: 'P7D' });
    expect(r.results).toEqual([{ Name: 'recent.example' }]);
    const { from, to } = parseTimespan('2024-04-01T00:00:00Z/P2D', new Date());
    expect([from.toISOString(), to.toISOString()]).toEqual(['2024-04-01T00:00:00.000Z', '2024-04-03T00:00:00.000Z']);
  });
  it('times out a long query', async () => {
    const e = await runKql(store, 'range i from 1 to 3000000000 step 1 | summarize count() by i % 7', { timeoutMs: 200 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(QuarryError);
    expect((e as QuarryError).code).toBe('hunt/timeout');
  });
  it('cancels a running query', async () => {
    const ac = new AbortController();
    const p = runKql(store, 'range i from 1 to 3000000000 step 1 | summarize count() by i % 7', { signal: ac.signal });
    setTimeout(() => ac.abort(), 150);
    const e = await p.catch((x: unknown) => x);
    expect((e as QuarryError).code).toBe('hunt/cancelled');
  });
  it('returns the render hint', async () => {
    const r = await runKql(store, 'range i from 1 to 3 step 1 | render timechart with (title="x")');
    expect(r.render).toMatchObject({ kind: 'timechart', props: { title: 'x' } });
  });
});
