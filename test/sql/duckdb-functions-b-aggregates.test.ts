import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuarryError } from '../../src/core/errors.js';
import { aggregates } from '../../src/sql/dialects/duckdb/aggregates.js';
import { col, long, openHarness, real, type Harness } from './duckdb-functions-b-harness.js';

let h: Harness;
beforeAll(async () => { h = await openHarness(); });
afterAll(() => h.close());

const x = col('x', 'long');
const s = col('s', 'string');
const longs = { columns: 'x', rows: ['(1)', '(2)', '(NULL)', '(4)'] };
const strings = { columns: 's', rows: [`('a')`, `('b')`, `('a')`, '(NULL)', `('')`] };
const empty = { columns: 'x', rows: [] as string[] };
const sorted = (json: string | null) => JSON.parse(json!).sort();

describe('counting', () => {
  it('count, countif and their empty-input defaults', async () => {
    expect(await h.aggregate('count', [], longs)).toEqual(['4']);
    expect(await h.aggregate('count', [x], longs)).toEqual(['3']);
    expect(await h.aggregate('count', [s], strings)).toEqual(['5']);
    expect(await h.aggregate('countif', [col('x > 1', 'bool')], longs)).toEqual(['2']);
    expect(await h.aggregate('count', [], empty)).toEqual(['0']);
    expect(await h.aggregate('countif', [col('x > 1', 'bool')], empty)).toEqual(['0']);
  });
  it('dcount is exact; a NULL string counts as "" (Kusto strings are never null)', async () => {
    expect(await h.aggregate('dcount', [x], longs)).toEqual(['3']);
    expect(await h.aggregate('dcount', [s, long(1)], strings)).toEqual(['3']);
    expect(await h.aggregate('count_distinct', [s], strings)).toEqual(['3']);
    expect(await h.aggregate('dcountif', [s, col(`s <> 'b'`, 'bool')], strings)).toEqual(['2']);
    expect(await h.aggregate('dcount', [x], empty)).toEqual(['0']);
  });
  it('per group', async () => {
    const t = { columns: 'g, x', rows: ['(1, 10)', '(1, 10)', '(1, 11)', '(2, 5)'] };
    expect(await h.aggregate('dcount', [x], t, 'long', 'g')).toEqual(['2', '1']);
  });
});

describe('sums and averages', () => {
  it('sum of longs is a long, 0 on no rows or only nulls', async () => {
    expect(await h.aggregate('sum', [x], longs, 'long')).toEqual(['7']);
    expect(await h.aggregate('sum', [x], empty, 'long')).toEqual(['0']);
    expect(await h.aggregate('sum', [x], { columns: 'x', rows: ['(NULL::BIGINT)'] }, 'long')).toEqual(['0']);
    expect(await h.aggregate('sumif', [x, col('x < 4', 'bool')], longs, 'long')).toEqual(['3']);
    expect(await h.aggregate('sum', [col('x', 'real')], { columns: 'x', rows: ['(1.5)', '(2.25)'] }, 'real')).toEqual(['3.75']);
  });
  it('avg of longs is real; avg of nothing is null', async () => {
    expect(await h.aggregate('avg', [x], { columns: 'x', rows: ['(1)', '(2)'] }, 'real')).toEqual(['1.5']);
    expect(await h.aggregate('avgif', [x, col('x > 1', 'bool')], longs, 'real')).toEqual(['3.0']);
    expect(await h.aggregate('avg', [x], empty, 'real')).toEqual([null]);
  });
  it('min, max, minif, maxif', async () => {
    expect(await h.aggregate('min', [x], longs)).toEqual(['1']);
    expect(await h.aggregate('max', [x], longs)).toEqual(['4']);
    expect(await h.aggregate('minif', [x, col('x > 1', 'bool')], longs)).toEqual(['2']);
    expect(await h.aggregate('maxif', [x, col('x < 4', 'bool')], longs)).toEqual(['2']);
    expect(await h.aggregate('max', [s], strings, 'string')).toEqual(['b']);
  });
  it('stdev/variance (sample and population), 0 for one value or none', async () => {
    const t = { columns: 'x', rows: ['(1)', '(2)', '(3)', '(4)'] };
    expect(Number((await h.aggregate('stdev', [x], t, 'real'))[0])).toBeCloseTo(1.2909944, 6);
    expect(Number((await h.aggregate('stdevp', [x], t, 'real'))[0])).toBeCloseTo(1.118034, 6);
    expect(Number((await h.aggregate('variance', [x], t, 'real'))[0])).toBeCloseTo(1.6666667, 6);
    expect(Number((await h.aggregate('variancep', [x], t, 'real'))[0])).toBeCloseTo(1.25, 6);
    expect(await h.aggregate('stdev', [x], { columns: 'x', rows: ['(7)'] }, 'real')).toEqual(['0.0']);
    expect(await h.aggregate('variance', [x], empty, 'real')).toEqual(['0.0']);
  });
  it('percentile is nearest-rank over non-null values', async () => {
    const t = { columns: 'x', rows: Array.from({ length: 10 }, (_, i) => `(${i + 1})`).concat(['(NULL)']) };
    const p = async (v: number) => (await h.aggregate('percentile', [x, real(v)], t))[0];
    expect([await p(0), await p(10), await p(50), await p(95), await p(100)]).toEqual(['1', '1', '5', '10', '10']);
    expect(await h.aggregate('percentiles', [x, real(25)], t)).toEqual(['3']);
    expect(await h.aggregate('percentiles_array', [x, real(50), real(90)], t, 'dynamic')).toEqual(['[5,9]']);
    expect(() => aggregates['percentiles']!([x, real(5), real(50)], { dialect: undefined as never, resultType: 'long', name: 'percentiles' })).toThrow(QuarryError);
  });
});

describe('make_set, make_list, make_bag', () => {
  it('make_set: distinct, skips nulls (keeps "" strings), respects maxSize, [] when empty', async () => {
    expect(sorted((await h.aggregate('make_set', [x], longs, 'dynamic'))[0]!)).toEqual([1, 2, 4]);
    expect(sorted((await h.aggregate('make_set', [s], strings, 'dynamic'))[0]!)).toEqual(['', 'a', 'b']);
    expect(JSON.parse((await h.aggregate('make_set', [x, long(2)], longs, 'dynamic'))[0]!)).toHaveLength(2);
    expect(await h.aggregate('make_set', [x], empty, 'dynamic')).toEqual(['[]']);
    expect(sorted((await h.aggregate('make_set_if', [x, col('x > 1', 'bool')], longs, 'dynamic'))[0]!)).toEqual([2, 4]);
    expect(await h.aggregate('make_set_if', [x, col('x > 100', 'bool')], longs, 'dynamic')).toEqual(['[]']);
  });
  it('make_set expands dynamic arrays (doc example)', async () => {
    const t = { columns: 'a', rows: [`('["A1","A2","A3"]'::JSON)`, `('["A2","C1"]'::JSON)`, `('["C2","A3"]'::JSON)`, `('["C2","A1"]'::JSON)`, '(NULL::JSON)'] };
    expect(sorted((await h.aggregate('make_set', [col('a', 'dynamic')], t, 'dynamic'))[0]!)).toEqual(['A1', 'A2', 'A3', 'C1', 'C2']);
  });
  it('make_list keeps duplicates, skips nulls, renders datetimes as Kusto text', async () => {
    expect(sorted((await h.aggregate('make_list', [x], { columns: 'x', rows: ['(1)', '(1)', '(NULL)', '(3)'] }, 'dynamic'))[0]!)).toEqual([1, 1, 3]);
    expect(await h.aggregate('make_list', [col('t', 'datetime')], { columns: 't', rows: [`(TIMESTAMP '2020-01-01 10:00:00')`] }, 'dynamic'))
      .toEqual(['["2020-01-01T10:00:00Z"]']);
    expect(await h.aggregate('make_list_if', [x, col('x = 3', 'bool'), long(5)], { columns: 'x', rows: ['(1)', '(3)'] }, 'dynamic')).toEqual(['[3]']);
    expect(await h.aggregate('make_list', [x], empty, 'dynamic')).toEqual(['[]']);
    expect(JSON.parse((await h.aggregate('makelist', [x], { columns: 'x', rows: Array.from({ length: 200 }, () => '(1)') }, 'dynamic'))[0]!)).toHaveLength(128);
  });
  it('make_bag merges bags and ignores non-bags', async () => {
    const t = { columns: 'b', rows: [`('{"a":1}'::JSON)`, `('{"b":{"c":2}}'::JSON)`, `('[1]'::JSON)`, '(NULL::JSON)', `('{"a":1}'::JSON)`] };
    expect(JSON.parse((await h.aggregate('make_bag', [col('b', 'dynamic')], t, 'dynamic'))[0]!)).toEqual({ a: 1, b: { c: 2 } });
    expect(await h.aggregate('make_bag', [col('x', 'dynamic')], empty, 'dynamic')).toEqual(['{}']);
    expect(await h.aggregate('make_bag_if', [col('b', 'dynamic'), col(`json_exists(b, '$.b')`, 'bool')], t, 'dynamic')).toEqual(['{"b":{"c":2}}']);
  });
});

describe('arg_max, arg_min, take_any', () => {
  const t = { columns: 'ts, name', rows: [`(1, 'x')`, `(3, NULL)`, `(2, 'z')`, `(NULL, 'w')`] };
  it('returns the column of the row with the max/min `by`, keeping a null column value and ignoring null `by`', async () => {
    expect(await h.aggregate('arg_max', [col('ts', 'long'), col('name', 'string')], t, 'string')).toEqual([null]);
    expect(await h.aggregate('arg_min', [col('ts', 'long'), col('name', 'string')], t, 'string')).toEqual(['x']);
    expect(await h.aggregate('arg_max', [col('ts', 'long'), col('ts', 'long')], t, 'long')).toEqual(['3']);
    expect(await h.aggregate('argmin', [col('ts', 'long'), col('name', 'string')], t, 'string')).toEqual(['x']);
  });
  it('take_any picks some non-null value', async () => {
    expect(['x', 'z', 'w']).toContain((await h.aggregate('take_any', [col('name', 'string')], t, 'string'))[0]);
    expect(await h.aggregate('take_anyif', [col('name', 'string'), col(`name = 'z'`, 'bool')], t, 'string')).toEqual(['z']);
  });
});
