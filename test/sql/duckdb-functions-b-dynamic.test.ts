import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuarryError } from '../../src/core/errors.js';
import { bool, col, dt, dyn, long, openHarness, real, span, str, US, type Harness } from './duckdb-functions-b-harness.js';

let h: Harness;
beforeAll(async () => { h = await openHarness(); });
afterAll(() => h.close());

const j = (v: unknown) => dyn(v as never);

describe('parse_json', () => {
  it('parses JSON text and minifies it', async () => {
    expect(await h.call('parse_json', [str('{"a":123, "b":"hello", "c":[1, 2]}')], 'dynamic')).toBe('{"a":123,"b":"hello","c":[1,2]}');
    expect(await h.call('todynamic', [str(' 42 ')], 'dynamic')).toBe('42');
  });
  it('turns invalid JSON into a dynamic string, as Kusto does', async () => {
    expect(await h.call('parse_json', [str('not json {')], 'dynamic')).toBe('"not json {"');
    expect(await h.call('gettype', [col(h.render('parse_json', [str('abc')]), 'dynamic')])).toBe('string');
  });
  it('gives dynamic(null) for "", null and the JSON literal null', async () => {
    expect(await h.call('parse_json', [str('')], 'dynamic')).toBeNull();
    expect(await h.call('parse_json', [str(null)], 'dynamic')).toBeNull();
    expect(await h.call('parsejson', [str('null')], 'dynamic')).toBeNull();
  });
  it('passes dynamic values through', async () => {
    expect(h.render('parse_json', [col('x', 'dynamic')])).toBe('x');
  });
});

describe('member and index access', () => {
  const o = j({ a: { b: [10, 20, 30] }, 'x/y': 1, 't~': 2, n: null, s: 'text' });
  it('__member reads keys, including ones with / and ~', async () => {
    expect(await h.call('__member', [o, str('a')], 'dynamic')).toBe('{"b":[10,20,30]}');
    expect(await h.call('__member', [o, str('x/y')], 'dynamic')).toBe('1');
    expect(await h.call('__member', [o, str('t~')], 'dynamic')).toBe('2');
    expect(await h.call('__member', [o, col(`'x' || '/y'`, 'string')], 'dynamic')).toBe('1');
  });
  it('__member gives null for missing keys, JSON null and non-objects', async () => {
    expect(await h.call('__member', [o, str('missing')], 'dynamic')).toBeNull();
    expect(await h.call('__member', [o, str('n')], 'dynamic')).toBeNull();
    expect(await h.call('__member', [j('scalar'), str('a')], 'dynamic')).toBeNull();
    expect(await h.call('__member', [dyn(null), str('a')], 'dynamic')).toBeNull();
  });
  it('__index supports negative indexes and out-of-range', async () => {
    const a = j([1, 2, 3]);
    expect(await h.call('__index', [a, long(0)], 'dynamic')).toBe('1');
    expect(await h.call('__index', [a, long(-1)], 'dynamic')).toBe('3');
    expect(await h.call('__index', [a, long(-3)], 'dynamic')).toBe('1');
    expect(await h.call('__index', [a, long(3)], 'dynamic')).toBeNull();
    expect(await h.call('__index', [a, long(-4)], 'dynamic')).toBeNull();
    expect(await h.call('__index', [a, col('(1 - 3)', 'long')], 'dynamic')).toBe('2');
    expect(await h.call('__index', [o, str('s')], 'dynamic')).toBe('"text"');
  });
  it('chains: obj.a.b[-1]', async () => {
    const ab = col(h.render('__member', [col(h.render('__member', [o, str('a')]), 'dynamic'), str('b')]), 'dynamic');
    expect(await h.call('__index', [ab, long(-1)], 'dynamic')).toBe('30');
  });
  it('__json_to_string unquotes strings and keeps other JSON compact', async () => {
    expect(await h.call('__json_to_string', [j('abc')])).toBe('abc');
    expect(await h.call('__json_to_string', [j({ a: [1, 'x'] })])).toBe('{"a":[1,"x"]}');
    expect(await h.call('__json_to_string', [j(12)])).toBe('12');
    expect(await h.call('__json_to_string', [dyn(null)])).toBeNull();
  });
});

describe('arrays', () => {
  it('array_length', async () => {
    expect(await h.call('array_length', [j([1, 2, 3])], 'long')).toBe('3');
    expect(await h.call('array_length', [j([])], 'long')).toBe('0');
    expect(await h.call('array_length', [j({ a: 1 })], 'long')).toBeNull();
  });
  it('array_slice doc examples and clamping', async () => {
    expect(await h.call('array_slice', [j([1, 2, 3]), long(1), long(2)], 'dynamic')).toBe('[2,3]');
    expect(await h.call('array_slice', [j([1, 2, 3, 4, 5]), long(2), long(-1)], 'dynamic')).toBe('[3,4,5]');
    expect(await h.call('array_slice', [j([1, 2, 3, 4, 5]), long(-3), long(-2)], 'dynamic')).toBe('[3,4]');
    expect(await h.call('array_slice', [j([1, 2, 3, 4, 5]), long(3), long(10)], 'dynamic')).toBe('[4,5]');
    expect(await h.call('array_slice', [j([1, 2, 3, 4, 5]), long(4), long(2)], 'dynamic')).toBe('[]');
    expect(await h.call('array_slice', [j('x'), long(0), long(1)], 'dynamic')).toBeNull();
  });
  it('array_index_of doc examples', async () => {
    const arr = j(['this', 'is', 'an', 'example', 'an', 'example']);
    const cases: [unknown[], string][] = [
      [['an'], '2'], [['example', 1, 3], '3'], [['example', 1, 2], '-1'], [['is', 2, 4], '-1'], [['example', 2, -1], '3'],
      [['an', 1, -1, 2], '4'], [['an', 1, -1, 3], '-1'], [['an', -3], '4'], [['is', -4], '-1'],
    ];
    for (const [[v, ...rest], want] of cases) {
      const args = [arr, str(v as string), ...rest.map((n) => long(n as number))];
      expect(await h.call('array_index_of', args, 'long'), JSON.stringify([v, ...rest])).toBe(want);
    }
    expect(await h.call('array_index_of', [arr, str('an'), long(0), long(-2)], 'long')).toBeNull();
    expect(await h.call('array_index_of', [j([1, 2, 3]), long(3)], 'long')).toBe('2');
  });
  it('array_concat, array_reverse', async () => {
    expect(await h.call('array_concat', [j([1, 2]), j(['a']), j([])], 'dynamic')).toBe('[1,2,"a"]');
    expect(await h.call('array_concat', [j([1, 2]), j({ a: 1 })], 'dynamic')).toBeNull();
    expect(await h.call('array_reverse', [j(['this', 'is', 'an', 'example', null])], 'dynamic')).toBe('[null,"example","an","is","this"]');
  });
  it('array_sort_asc/desc with numbers, strings and nulls (doc examples)', async () => {
    expect(await h.call('array_sort_asc', [j([1, 3, 4, 5, 2, 10])], 'dynamic')).toBe('[1,2,3,4,5,10]');
    expect(await h.call('array_sort_desc', [j([1, 3, 4, 5, 2, 10])], 'dynamic')).toBe('[10,5,4,3,2,1]');
    expect(await h.call('array_sort_asc', [j([null, 'blue', 'yellow', 'green', null])], 'dynamic')).toBe('["blue","green","yellow",null,null]');
    expect(await h.call('array_sort_asc', [j([null, 'blue', 'yellow', 'green', null]), bool(false)], 'dynamic')).toBe('[null,null,"blue","green","yellow"]');
    expect(await h.call('array_sort_desc', [j([null, 'blue', 'yellow', 'green'])], 'dynamic')).toBe('["yellow","green","blue",null]');
    expect(await h.call('array_sort_asc', [j(['b', 2, 'a', 1])], 'dynamic')).toBe('[1,2,"a","b"]');
    expect(() => h.render('array_sort_asc', [j([1]), j([2])])).toThrow(QuarryError);
  });
  it('array_sum', async () => {
    expect(await h.call('array_sum', [j([2, 5, 3])], 'real')).toBe('10.0');
    expect(await h.call('array_sum', [j([1.5, 2])], 'real')).toBe('3.5');
  });
  it('pack_array renders every KQL type as Kusto dynamic values', async () => {
    const got = await h.call('pack_array', [long(1), str('a'), str(null), real(2.5), bool(true), dt('2020-01-01'), span(US.h), dyn(null), j({ k: [1] })], 'dynamic');
    expect(got).toBe('[1,"a","",2.5,true,"2020-01-01T00:00:00Z","01:00:00",null,{"k":[1]}]');
    expect(await h.call('pack_array', [], 'dynamic')).toBe('[]');
  });
  it('set_union, set_intersect, set_difference keep first-appearance order', async () => {
    expect(await h.call('set_union', [j([1, 2, 3]), j([1, 2]), j([1, 2, 3, 4, 5])], 'dynamic')).toBe('[1,2,3,4,5]');
    expect(await h.call('set_intersect', [j([1, 2, 3, 2]), j([1, 2]), j([2, 1, 7])], 'dynamic')).toBe('[1,2]');
    expect(await h.call('set_difference', [j([1, 2, 3, 3]), j([1, 2]), j([5])], 'dynamic')).toBe('[3]');
    expect(await h.call('set_union', [j([1]), j('x')], 'dynamic')).toBeNull();
    expect(await h.call('set_has_element', [j(['this', 'is', 'an', 'example']), str('example')], 'bool')).toBe('true');
    expect(await h.call('set_has_element', [j(['this', 'is']), str('test')], 'bool')).toBe('false');
    expect(await h.call('set_has_element', [j([1, 2]), long(2)], 'bool')).toBe('true');
  });
  it('zip pads shorter arrays with null', async () => {
    expect(await h.call('zip', [j([1, 2, 3]), j([10, 20])], 'dynamic')).toBe('[[1,10],[2,20],[3,null]]');
    expect(await h.call('zip', [j(['A', { B: 1.5 }]), j([{ C: 3 }, 'D'])], 'dynamic')).toBe('[["A",{"C":3}],[{"B":1.5},"D"]]');
  });
  it('jaccard_index doc examples', async () => {
    expect(await h.call('jaccard_index', [j([1, 1, 2, 2, 3, 3]), j([1, 2, 3, 4, 4, 4])], 'real')).toBe('0.75');
    expect(await h.call('jaccard_index', [j([1, 2, 3]), j([])], 'real')).toBe('0.0');
    expect(await h.value(`isnan(${h.render('jaccard_index', [j([]), j([])], 'real')})`)).toBe('true');
    expect(await h.call('jaccard_index', [j(['a', 's', 'd']), j(['f', 'd', 's', 'a'])], 'real')).toBe('0.75');
  });
});

describe('bags', () => {
  it('bag_pack / pack / pack_dictionary', async () => {
    expect(await h.call('bag_pack', [str('Level'), str('Information'), str('ProcessID'), long(1234), str('Data'), j(['a', 'b'])], 'dynamic'))
      .toBe('{"Level":"Information","ProcessID":1234,"Data":["a","b"]}');
    expect(await h.call('pack', [], 'dynamic')).toBe('{}');
    expect(() => h.render('pack_dictionary', [str('a')])).toThrow(QuarryError);
  });
  it('bag_keys, bag_has_key', async () => {
    expect(await h.call('bag_keys', [j({ a: 1, b: { c: 2 } })], 'dynamic')).toBe('["a","b"]');
    expect(await h.call('bag_keys', [j([1])], 'dynamic')).toBeNull();
    expect(await h.call('bag_has_key', [j({ a: 1 }), str('a')], 'bool')).toBe('true');
    expect(await h.call('bag_has_key', [j({ a: 1 }), str('b')], 'bool')).toBe('false');
  });
  it('bag_merge doc example (leftmost value wins)', async () => {
    expect(await h.call('bag_merge', [j({ A1: 12, B1: 2, C1: 3 }), j({ A2: 81, B2: 82, A1: 1 })], 'dynamic'))
      .toBe('{"A1":12,"B1":2,"C1":3,"A2":81,"B2":82}');
    expect(await h.call('bag_merge', [j({ a: 1 }), dyn(null), j([1])], 'dynamic')).toBe('{"a":1}');
  });
  it('bag_remove_keys doc example', async () => {
    expect(await h.call('bag_remove_keys', [j({ key1: 123, key2: 'abcdefg' }), j(['key2'])], 'dynamic')).toBe('{"key1":123}');
    expect(await h.call('bag_remove_keys', [j({ key1: 123 }), j(['nope'])], 'dynamic')).toBe('{"key1":123}');
  });
});

describe('extract_json and gettype', () => {
  const doc = '{"hosts":[{"location":"North_DC","rate":5},{"location":"South_DC","status":"stopped","AvailableMB":11}],"x y":{"z":"q"}}';
  it('extracts strings, typed values and missing paths', async () => {
    expect(await h.call('extract_json', [str('$.hosts[1].location'), str(doc)])).toBe('South_DC');
    expect(await h.call('extractjson', [str("$['hosts'][-1]['AvailableMB']"), str(doc)], 'long')).toBe('11');
    expect(await h.call('extract_json', [str("$['x y'].z"), str(doc)])).toBe('q');
    expect(await h.call('extract_json', [str('$.hosts[0]'), str(doc)])).toBe('{"location":"North_DC","rate":5}');
    expect(await h.call('extract_json', [str('$.nope'), str(doc)])).toBeNull();
    expect(await h.call('extract_json', [str('$.a'), str('not json')])).toBeNull();
    expect(await h.call('extract_json', [str('$.hosts[0].rate'), str(doc)], 'real')).toBe('5.0');
  });
  it('refuses JSONPath beyond the supported subset', () => {
    expect(() => h.render('extract_json', [str('$..rate'), str(doc)])).toThrow(QuarryError);
    expect(() => h.render('extract_json', [str('hosts'), str(doc)])).toThrow(/start with/);
  });
  it('gettype of dynamic values and of typed scalars', async () => {
    const cases: [unknown, string][] = [[{}, 'dictionary'], [[], 'array'], ['a', 'string'], [1, 'long'], [1.5, 'real'], [true, 'bool']];
    for (const [v, want] of cases) expect(await h.call('gettype', [j(v)])).toBe(want);
    expect(await h.call('gettype', [dyn(null)])).toBe('null');
    expect(await h.call('gettype', [dt('2020-01-01')])).toBe('datetime');
    expect(await h.call('gettype', [span(1n)])).toBe('timespan');
    expect(await h.call('gettype', [long(1)])).toBe('long');
  });
});
