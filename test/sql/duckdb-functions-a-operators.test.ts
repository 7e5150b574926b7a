/**
 * Part A: comparison, logic, arithmetic, string predicates, in-lists and between — on a real DuckDB.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { b, call, dt, dyn, expr, i32, l, openDb, pred, r, render, s, text, ts } from './duckdb-functions-a-harness.js';

let con: DuckDBConnection;
beforeAll(async () => {
  con = await openDb();
  await con.run(`CREATE TABLE t(id INTEGER, x VARCHAR, y VARCHAR, n BIGINT, m BIGINT, j JSON)`);
  await con.run(`INSERT INTO t VALUES (1, NULL, '', NULL, NULL, '{"a":"v","n":7,"t":"2020-01-01T00:00:00Z"}'),
                                     (2, 'abc', 'ABC', 5, 5, '{"a":"w","n":3.5}'),
                                     (3, 'abc', 'abc', 5, NULL, NULL)`);
});

/** Evaluates a predicate over the rows of t, returning [id, value] pairs. */
async function rows(sql: string): Promise<Array<[number, boolean | null]>> {
  const res = await con.runAndReadAll(`SELECT id, (${sql}) AS v FROM t ORDER BY id`);
  return res.getRowObjectsJson().map((o) => [Number(o.id), o.v === null ? null : Boolean(o.v)]);
}
const X = expr('x', 'string');
const Y = expr('y', 'string');
const N = expr('n', 'long');
const M = expr('m', 'long');

describe('equality and ordering', () => {
  it('== on strings is case-sensitive and reads NULL as ""', async () => {
    expect(await pred(con, '==', [s('aBc'), s('aBc')])).toBe(true);
    expect(await pred(con, '==', [s('abc'), s('ABC')])).toBe(false);
    expect(await pred(con, '!=', [s('abc'), s('ABC')])).toBe(true);
    expect(await rows(render('==', [X, s('')]))).toEqual([[1, true], [2, false], [3, false]]);
    expect(await rows(render('!=', [X, s('abc')]))).toEqual([[1, true], [2, false], [3, false]]);
    expect(await rows(render('!=', [X, s('')]))).toEqual([[1, false], [2, true], [3, true]]);
    expect(await rows(render('==', [X, Y]))).toEqual([[1, true], [2, false], [3, true]]);
    expect(await rows(render('==', [s('abc'), X]))).toEqual([[1, false], [2, true], [3, true]]);
  });

  it('=~ and !~ ignore case, including non-ASCII letters', async () => {
    expect(await pred(con, '=~', [s('abc'), s('ABC')])).toBe(true);
    expect(await pred(con, '!~', [s('aBc'), s('xyz')])).toBe(true);
    expect(await pred(con, '=~', [s('ÄBÇ'), s('äbç')])).toBe(true);
    expect(await rows(render('=~', [X, Y]))).toEqual([[1, true], [2, true], [3, true]]);
    expect(await rows(render('!~', [X, s('ABC')]))).toEqual([[1, true], [2, false], [3, false]]);
  });

  it('null rules for non-strings: null == value is false, null == null is null, != the reverse', async () => {
    expect(await rows(render('==', [N, l(5)]))).toEqual([[1, false], [2, true], [3, true]]);
    expect(await rows(render('!=', [N, l(5)]))).toEqual([[1, true], [2, false], [3, false]]);
    expect(await rows(render('==', [N, M]))).toEqual([[1, null], [2, true], [3, false]]);
    expect(await rows(render('!=', [N, M]))).toEqual([[1, null], [2, false], [3, true]]);
    expect(await rows(render('>', [N, l(3)]))).toEqual([[1, null], [2, true], [3, true]]);
    // Documented: val == long(null) is false for 5 and null for null; != the reverse.
    expect(await rows(render('==', [N, l(null)]))).toEqual([[1, null], [2, false], [3, false]]);
    expect(await rows(render('!=', [N, l(null)]))).toEqual([[1, null], [2, true], [3, true]]);
  });

  it('orders strings, numbers, datetimes and timespans', async () => {
    expect(await pred(con, '<', [s('abc'), s('abd')])).toBe(true);
    expect(await pred(con, '>=', [r(2.5), l(2)])).toBe(true);
    expect(await pred(con, '<', [dt('2020-01-01T00:00:00Z'), dt('2020-01-02T00:00:00Z')])).toBe(true);
    expect(await pred(con, '>', [ts(3_600_000_000), ts(60_000_000)])).toBe(true);
    expect(await rows(render('<', [X, s('a')]))).toEqual([[1, true], [2, false], [3, false]]);
  });

  it('compares a dynamic value as the scalar type of the other side', async () => {
    const a = expr(`(j -> '$.a')`, 'dynamic');
    const n = expr(`(j -> '$.n')`, 'dynamic');
    const t = expr(`(j -> '$.t')`, 'dynamic');
    expect(await rows(render('==', [a, s('v')]))).toEqual([[1, true], [2, false], [3, false]]);
    expect(await rows(render('>', [n, l(5)]))).toEqual([[1, true], [2, false], [3, null]]);
    expect(await rows(render('<', [n, r(4.0)]))).toEqual([[1, false], [2, true], [3, null]]);
    expect(await rows(render('==', [t, dt('2020-01-01T00:00:00Z')]))).toEqual([[1, true], [2, false], [3, false]]);
  });
});

describe('logic', () => {
  it('and, or, not() with three-valued logic', async () => {
    expect(await pred(con, 'and', [b(true), b(false)])).toBe(false);
    expect(await pred(con, 'or', [b(true), b(false)])).toBe(true);
    expect(await pred(con, 'not', [b(false)])).toBe(true);
    expect(await pred(con, 'not', [b(null)])).toBe(null);
    // not(x == "abc") for a NULL x is true: the comparison itself is false, not null.
    expect(await rows(render('not', [expr(render('==', [X, s('abc')]), 'bool')]))).toEqual([[1, true], [2, false], [3, false]]);
  });
});

describe('arithmetic', () => {
  it('long / long is integer division truncating toward zero; % keeps the dividend sign', async () => {
    expect(await call(con, '/', [l(7), l(2)], 'long')).toBe('3');
    expect(await call(con, '/', [l(-7), l(2)], 'long')).toBe('-3');
    expect(await call(con, '%', [l(-7), l(2)], 'long')).toBe('-1');
    expect(await call(con, '/', [i32(7), i32(2)], 'int')).toBe('3');
    expect(await call(con, '/', [l(7), l(0)], 'long')).toBe(null);
  });

  it('a real operand makes real maths, with IEEE infinities', async () => {
    expect(await call(con, '/', [r(7), l(2)], 'real')).toBe('3.5');
    expect(await call(con, '/', [l(7), r(2)], 'real')).toBe('3.5');
    expect(await call(con, '/', [r(1), r(0)], 'real')).toBe('inf');
    expect(await call(con, '%', [r(7.5), l(2)], 'real')).toBe('1.5');
    expect(await call(con, '+', [l(1), r(0.5)], 'real')).toBe('1.5');
    expect(await call(con, '*', [i32(2000000000), i32(2)], 'long')).toBe('4000000000');
    expect(await call(con, 'neg', [l(5)], 'long')).toBe('-5');
  });

  it('datetime and timespan arithmetic', async () => {
    const d = dt('2020-01-01T00:00:00Z');
    expect(await call(con, '+', [d, ts(3_600_000_000)], 'datetime')).toBe('2020-01-01 01:00:00');
    expect(await call(con, '+', [ts(86_400_000_000), d], 'datetime')).toBe('2020-01-02 00:00:00');
    expect(await call(con, '-', [d, ts(1)], 'datetime')).toBe('2019-12-31 23:59:59.999999');
    expect(await call(con, '-', [dt('2020-01-02T00:00:00Z'), d], 'timespan')).toBe('86400000000');
    expect(await call(con, '+', [ts(1_000_000), ts(2_000_000)], 'timespan')).toBe('3000000');
    expect(await call(con, '*', [ts(3_600_000_000), l(2)], 'timespan')).toBe('7200000000');
    expect(await call(con, '*', [r(1.5), ts(3_600_000_000)], 'timespan')).toBe('5400000000');
    expect(await call(con, '/', [ts(86_400_000_000), ts(1_000_000)], 'real')).toBe('86400.0');
    expect(await call(con, '/', [ts(3_600_000_000), l(2)], 'timespan')).toBe('1800000000');
    expect(await call(con, 'neg', [ts(5)], 'timespan')).toBe('-5');
  });

  it('dynamic operands read as numbers', async () => {
    expect(await call(con, '+', [dyn(2), l(3)], 'real')).toBe('5.0');
  });
});

describe('substring predicates', () => {
  it('contains / startswith / endswith follow the documented examples', async () => {
    expect(await pred(con, 'contains', [s('FabriKam'), s('BRik')])).toBe(true);
    expect(await pred(con, '!contains', [s('Fabrikam'), s('xyz')])).toBe(true);
    expect(await pred(con, 'contains_cs', [s('FabriKam'), s('Kam')])).toBe(true);
    expect(await pred(con, '!contains_cs', [s('Fabrikam'), s('Kam')])).toBe(true);
    expect(await pred(con, 'startswith', [s('Fabrikam'), s('fab')])).toBe(true);
    expect(await pred(con, '!startswith', [s('Fabrikam'), s('kam')])).toBe(true);
    expect(await pred(con, 'startswith_cs', [s('Fabrikam'), s('Fab')])).toBe(true);
    expect(await pred(con, '!startswith_cs', [s('Fabrikam'), s('fab')])).toBe(true);
    expect(await pred(con, 'endswith', [s('Fabrikam'), s('Kam')])).toBe(true);
    expect(await pred(con, '!endswith', [s('Fabrikam'), s('brik')])).toBe(true);
    expect(await pred(con, 'endswith_cs', [s('Fabrikam'), s('kam')])).toBe(true);
    expect(await pred(con, 'endswith_cs', [s('Fabrikam'), s('Kam')])).toBe(false);
    expect(await pred(con, 'matches regex', [s('Fabrikam'), s('b.*k')])).toBe(true);
    expect(await pred(con, 'matches regex', [s('Fabrikam'), s('^B')])).toBe(false);
  });

  it('a NULL haystack is "" (so !contains holds and contains "" holds)', async () => {
    expect(await rows(render('!contains', [X, s('a')]))).toEqual([[1, true], [2, false], [3, false]]);
    expect(await rows(render('contains', [X, s('')]))).toEqual([[1, true], [2, true], [3, true]]);
    expect(await rows(render('contains', [Y, X]))).toEqual([[1, true], [2, true], [3, true]]);
  });
});

describe('in-lists', () => {
  it('in / !in are case-sensitive, in~ / !in~ are not', async () => {
    expect(await pred(con, 'in', [s('abc'), s('123'), s('345'), s('abc')])).toBe(true);
    expect(await pred(con, '!in', [s('bca'), s('123'), s('345'), s('abc')])).toBe(true);
    expect(await pred(con, 'in', [s('abc'), s('ABC')])).toBe(false);
    expect(await pred(con, 'in~', [s('abc'), s('123'), s('345'), s('ABC')])).toBe(true);
    expect(await pred(con, '!in~', [s('bca'), s('123'), s('345'), s('ABC')])).toBe(true);
  });

  it('flattens dynamic arrays among the items, constant or not', async () => {
    expect(await pred(con, 'in', [s('b'), dyn(['a', 'b']), s('c')])).toBe(true);
    expect(await pred(con, 'in', [l(3), dyn([1, 2, 3])])).toBe(true);
    expect(await pred(con, 'in~', [s('B'), expr(`'["a","b"]'::JSON`, 'dynamic')])).toBe(true);
    expect(await pred(con, 'in', [l(2), expr(`'[1,2]'::JSON`, 'dynamic')])).toBe(true);
    expect(await pred(con, '!in', [s('z'), expr(`'["a","b"]'::JSON`, 'dynamic')])).toBe(true);
  });

  it('NULL strings are "" and null numbers are in no list', async () => {
    expect(await rows(render('in', [X, s(''), s('zz')]))).toEqual([[1, true], [2, false], [3, false]]);
    expect(await rows(render('!in', [X, s('abc')]))).toEqual([[1, true], [2, false], [3, false]]);
    expect(await rows(render('in', [N, l(5)]))).toEqual([[1, false], [2, true], [3, true]]);
    expect(await rows(render('!in', [N, l(5)]))).toEqual([[1, true], [2, false], [3, false]]);
  });

  it('a long constant list becomes a hashed IN (SELECT unnest(...)) with the same answers', async () => {
    const many = Array.from({ length: 500 }, (_, k) => `v${k}`);
    const sql = render('in~', [X, ...many.map(s), s('ABC')]);
    expect(sql).toContain('IN (SELECT unnest(');
    expect(await rows(sql)).toEqual([[1, false], [2, true], [3, true]]);
    expect(await rows(render('!in', [X, dyn([...many, 'abc'])]))).toEqual([[1, true], [2, false], [3, false]]);
  });
});

describe('between', () => {
  it('is inclusive for numbers, datetimes and timespans', async () => {
    expect(await pred(con, 'between', [l(50), l(50), l(55)])).toBe(true);
    expect(await pred(con, 'between', [l(56), l(50), l(55)])).toBe(false);
    expect(await pred(con, '!between', [l(56), l(50), l(55)])).toBe(true);
    expect(await pred(con, 'between', [r(2.5), l(2), l(3)])).toBe(true);
    expect(await pred(con, 'between', [ts(90_000_000), ts(60_000_000), ts(120_000_000)])).toBe(true);
    const d0 = dt('2007-07-27T00:00:00Z');
    expect(await pred(con, 'between', [dt('2007-07-29T12:00:00Z'), d0, dt('2007-07-30T00:00:00Z')])).toBe(true);
    // datetime between (start .. timespan): the upper bound is start + span.
    expect(await pred(con, 'between', [dt('2007-07-29T12:00:00Z'), d0, ts(3 * 86_400_000_000)])).toBe(true);
    expect(await pred(con, 'between', [dt('2007-07-31T12:00:00Z'), d0, ts(3 * 86_400_000_000)])).toBe(false);
  });
});

it('text() helper reads what DuckDB returns', async () => {
  expect(await text(con, '1 + 1')).toBe('2');
});
