/**
 * Part A: string functions, conversions and conditionals on a real DuckDB, against Kusto's documented results.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { b, call, dt, dyn, expr, i32, l, lit, openDb, pred, r, s, ts } from './duckdb-functions-a-harness.js';

let con: DuckDBConnection;
beforeAll(async () => {
  con = await openDb();
});
const str = (name: string, ...args: Parameters<typeof call>[2]) => call(con, name, args, 'string');

describe('string functions', () => {
  it('strlen counts code points, string_size bytes, isascii', async () => {
    expect(await call(con, 'strlen', [s('hello')], 'long')).toBe('5');
    expect(await call(con, 'strlen', [s('⒦⒰⒮⒯⒪')], 'long')).toBe('5');
    expect(await call(con, 'strlen', [s('C\u0327edilla')], 'long')).toBe('8');
    expect(await call(con, 'string_size', [s('⒦⒰⒮⒯⒪')], 'long')).toBe('15');
    expect(await call(con, 'strlen', [s(null)], 'long')).toBe('0');
    expect(await pred(con, 'isascii', [s('abc')])).toBe(true);
    expect(await pred(con, 'isascii', [s('café')])).toBe(false);
  });

  it('substring, indexof', async () => {
    expect(await str('substring', s('123456'), l(1))).toBe('23456');
    expect(await str('substring', s('123456'), l(2), l(2))).toBe('34');
    expect(await str('substring', s('ABCD'), l(0), l(2))).toBe('AB');
    expect(await str('substring', s('123456'), l(-2), l(2))).toBe('56');
    expect(await str('substring', s('123'), l(10))).toBe('');
    const idx = (...a: Parameters<typeof call>[2]) => call(con, 'indexof', a, 'long');
    expect(await idx(s('abcdefg'), s('cde'))).toBe('2');
    expect(await idx(s('abcdefg'), s('cde'), l(1), l(4))).toBe('2');
    expect(await idx(s('abcdefg'), s('cde'), l(1), l(2))).toBe('-1');
    expect(await idx(s('abcdefg'), s('cde'), l(3), l(4))).toBe('-1');
    expect(await idx(s('abcdefg'), s('cde'), l(-5))).toBe('2');
    expect(await idx(l(1234567), l(5), l(1), l(4))).toBe('4');
    expect(await idx(s('abcdefg'), s('cde'), l(2), l(-1))).toBe('2');
    expect(await idx(s('abcdefgabcdefg'), s('cde'), l(1), l(10), l(2))).toBe('9');
    expect(await idx(s('abcdefgabcdefg'), s('cde'), l(1), l(-1), l(3))).toBe('-1');
    expect(await idx(s('xyz'), s('a'))).toBe('-1');
  });

  it('split with and without an index', async () => {
    expect(await str('split', s('aa_bb'), s('_'))).toBe('["aa","bb"]');
    expect(await str('split', s('aaa_bbb_ccc'), s('_'), l(1))).toBe('["bbb"]');
    expect(await str('split', s(''), s('_'))).toBe('[""]');
    expect(await str('split', s('a__b'), s('_'))).toBe('["a","","b"]');
    expect(await str('split', s('aabbcc'), s('bb'))).toBe('["aa","cc"]');
    expect(await str('split', s('a_b'), s('_'), l(5))).toBe('[]');
  });

  it('strcat, strcat_delim, strcat_array, strrep convert their arguments', async () => {
    expect(await str('strcat', s('a'), s(null), l(1), b(true))).toBe('a1true');
    expect(await str('strcat_delim', s('-'), l(1), s('2'), s('A'), ts(1_000_000))).toBe('1-2-A-00:00:01');
    expect(await str('strcat_delim', s(','), s('a'), s(null), s('c'))).toBe('a,,c');
    expect(await str('strcat_array', dyn([1, 2, 3]), s('-'))).toBe('1-2-3');
    expect(await str('strcat_array', dyn(['a', { k: 1 }]), s('|'))).toBe('a|{"k":1}');
    expect(await str('strrep', s('ABC'), l(2))).toBe('ABCABC');
    expect(await str('strrep', l(123), l(3), s('.'))).toBe('123.123.123');
    expect(await str('strrep', ts(3_000_000), l(2), s(' '))).toBe('00:00:03 00:00:03');
  });

  it('trim family, replace family, translate, reverse, case', async () => {
    expect(await str('trim', s('--'), s('--https://bing.com--'))).toBe('https://bing.com');
    expect(await str('trim', s('[^\\w]+'), s('-  Te st1// $'))).toBe('Te st1');
    expect(await str('trim', s('\\s+'), s('    Hello, world!    '))).toBe('Hello, world!');
    expect(await str('trim_start', s('\\s+'), s('  x  '))).toBe('x  ');
    expect(await str('trim_end', s('\\s+'), s('  x  '))).toBe('  x');
    expect(await str('replace_string', s('A magic trick can turn a cat into a dog'), s('cat'), s('hamster'))).toBe('A magic trick can turn a hamster into a dog');
    expect(await str('replace_regex', s('Number is 1'), s('is (\\d+)'), s('was: \\1'))).toBe('Number was: 1');
    expect(await str('replace', s('is (\\d+)'), s('was: \\1'), s('Number is 2'))).toBe('Number was: 2');
    expect(await str('translate', s('abc'), s('x'), s('abc'))).toBe('xxx');
    expect(await str('translate', s('abc'), s(''), s('ab'))).toBe('');
    expect(await str('translate', s('krasp'), s('otsku'), s('spark'))).toBe('kusto');
    expect(await str('reverse', s('abc'))).toBe('cba');
    expect(await str('tolower', s('ÄBC'))).toBe('äbc');
    expect(await str('toupper', s('abc'))).toBe('ABC');
  });

  it('extract, extract_all, countof', async () => {
    expect(await call(con, 'extract', [s('-(\\d{2})-'), l(1), s('15-12-2024'), s('int')], 'int')).toBe('12');
    expect(await call(con, 'extract', [s('-(\\d{2})-'), l(1), s('21-07-2023'), s('int')], 'int')).toBe('7');
    expect(await str('extract', s('User: ([^,]+)'), l(1), s('User: JohnDoe, Email: johndoe@example.com'))).toBe('JohnDoe');
    expect(await str('extract', s('x(\\d)'), l(1), s('none'))).toBe('');
    expect(await call(con, 'extract', [s('x(\\d)'), l(1), s('none'), s('long')], 'long')).toBe(null);
    expect(await str('extract_all', s('(\\d+)'), s('a set of numbers: 123, 567 and 789'))).toBe('["123","567","789"]');
    const id = s('82b8be2d-dfa7-4bd1-8f63-24ad26d31449');
    expect(await str('extract_all', s('(\\w)(\\w+)(\\w)'), id)).toBe('[["8","2b8be2","d"],["d","fa","7"],["4","bd","1"],["8","f6","3"],["2","4ad26d3144","9"]]');
    expect(await str('extract_all', s('(\\w)(\\w+)(\\w)'), dyn([1, 3]), id)).toBe('[["8","d"],["d","7"],["4","1"],["8","3"],["2","9"]]');
    expect(await str('extract_all', s('(?P<first>\\w)(?P<middle>\\w+)(?P<last>\\w)'), dyn(['first', 2, 'last']), id)).toBe('[["8","2b8be2","d"],["d","fa","7"],["4","bd","1"],["8","f6","3"],["2","4ad26d3144","9"]]');
    expect(await str('extract_all', s('(z+)'), s('abc'))).toBe(null);
    const cnt = (...a: Parameters<typeof call>[2]) => call(con, 'countof', a, 'long');
    expect(await cnt(s('aaa'), s('a'))).toBe('3');
    expect(await cnt(s('aaaa'), s('aa'))).toBe('3');
    expect(await cnt(s('ababa'), s('ab'), s('normal'))).toBe('2');
    expect(await cnt(s('ababa'), s('aba'))).toBe('2');
    expect(await cnt(s('ababa'), s('aba'), s('regex'))).toBe('1');
    expect(await cnt(s('abcabc'), s('a.c'), s('regex'))).toBe('2');
    expect(await cnt(expr(`'aaaa'`, 'string'), expr(`'aa'`, 'string'))).toBe('3');
  });

  it('isempty / isnull and their aliases', async () => {
    expect(await pred(con, 'isempty', [s('')])).toBe(true);
    expect(await pred(con, 'isempty', [s(null)])).toBe(true);
    expect(await pred(con, 'isempty', [s('a')])).toBe(false);
    expect(await pred(con, 'isnotempty', [s('a')])).toBe(true);
    expect(await pred(con, 'notempty', [s('')])).toBe(false);
    expect(await pred(con, 'isempty', [l(null)])).toBe(true);
    expect(await pred(con, 'isnull', [s('')])).toBe(false);
    expect(await pred(con, 'isnull', [l(null)])).toBe(true);
    expect(await pred(con, 'isnotnull', [l(1)])).toBe(true);
    expect(await pred(con, 'notnull', [dyn(null)])).toBe(false);
    expect(await pred(con, 'isnull', [expr(`'null'::JSON`, 'dynamic')])).toBe(true);
    expect(await pred(con, 'isnull', [lit(null, 'guid')])).toBe(true);
  });

  it('url_encode / url_decode, parse_command_line, make_string', async () => {
    expect(await str('url_encode', s('https://www.bing.com/hello world'))).toBe('https%3a%2f%2fwww.bing.com%2fhello+world');
    expect(await str('url_decode', s('https%3a%2f%2fwww.bing.com%2f'))).toBe('https://www.bing.com/');
    expect(await str('parse_command_line', s('echo "hello world!"'), s('windows'))).toBe('["echo","hello world!"]');
    expect(await str('parse_command_line', s('"C:\\Program Files\\a.exe" -x "a b" c\\d'), s('windows'))).toBe('["C:\\\\Program Files\\\\a.exe","-x","a b","c\\\\d"]');
    // CommandLineToArgvW backslash rules: 2n+1 backslashes + quote → n backslashes and a literal quote.
    expect(await str('parse_command_line', s('p a\\"b "c\\\\" d""e "f""g"'), s('windows'))).toBe('["p","a\\"b","c\\\\","de","f\\"g"]');
    expect(await str('make_string', l(75), l(117), l(115), l(116), l(111))).toBe('Kusto');
    expect(await str('make_string', dyn([75, 117, 115, 116, 111]))).toBe('Kusto');
  });
});

describe('conversions', () => {
  it('tostring of every type', async () => {
    expect(await str('tostring', l(123))).toBe('123');
    expect(await str('tostring', l(null))).toBe('');
    expect(await str('tostring', b(true))).toBe('true');
    expect(await str('tostring', r(1))).toBe('1');
    expect(await str('tostring', r(0.1))).toBe('0.1');
    expect(await str('tostring', r(1e20))).toBe('1E+20');
    expect(await str('tostring', r(1.5e-7))).toBe('1.5E-07');
    expect(await str('tostring', r(Number.NaN))).toBe('NaN');
    expect(await str('tostring', dt('2015-12-31T00:00:00Z'))).toBe('2015-12-31T00:00:00.0000000Z');
    expect(await str('tostring', dt('2015-12-31T23:59:59.900Z'))).toBe('2015-12-31T23:59:59.9000000Z');
    expect(await str('tostring', ts(86_400_000_000 + 3_723_000_000))).toBe('1.01:02:03');
    expect(await str('tostring', ts(-1_500_000))).toBe('-00:00:01.5000000');
    expect(await str('tostring', dyn('text'))).toBe('text');
    expect(await str('tostring', dyn({ a: [1, 2] }))).toBe('{"a":[1,2]}');
    expect(await str('tostring', expr(`'{"a" : 1}'::JSON`, 'dynamic'))).toBe('{"a":1}');
    expect(await str('tostring', dyn(null))).toBe('');
  });

  it('numeric and boolean conversions (unparseable → null)', async () => {
    expect(await call(con, 'toint', [s('123')], 'int')).toBe('123');
    expect(await call(con, 'toint', [r(2.3)], 'int')).toBe('2');
    expect(await call(con, 'toint', [r(2.7)], 'int')).toBe('2');
    expect(await call(con, 'tolong', [r(-2.7)], 'long')).toBe('-2');
    expect(await call(con, 'tolong', [s('abc')], 'long')).toBe(null);
    expect(await call(con, 'tolong', [s('12345678901234567')], 'long')).toBe('12345678901234567');
    expect(await call(con, 'todouble', [s('1.5')], 'real')).toBe('1.5');
    expect(await call(con, 'toreal', [s('x')], 'real')).toBe(null);
    expect(await call(con, 'tolong', [dyn(7)], 'long')).toBe('7');
    expect(await call(con, 'tobool', [s('true')], 'bool')).toBe('true');
    expect(await call(con, 'tobool', [s('FALSE')], 'bool')).toBe('false');
    expect(await call(con, 'tobool', [l(123)], 'bool')).toBe('true');
    expect(await call(con, 'toboolean', [s('maybe')], 'bool')).toBe(null);
    expect(await call(con, 'toguid', [s('74BE27DE-1E4E-49D9-B579-FE0B331D3642')], 'guid')).toBe('74be27de-1e4e-49d9-b579-fe0b331d3642');
    expect(await call(con, 'toguid', [s('nope')], 'guid')).toBe(null);
  });

  it('todatetime / totimespan', async () => {
    expect(await call(con, 'todatetime', [s('2015-12-31 23:59:59.9')], 'datetime')).toBe('2015-12-31 23:59:59.9');
    expect(await call(con, 'todatetime', [s('2014-05-25T08:20:03.123456Z')], 'datetime')).toBe('2014-05-25 08:20:03.123456');
    expect(await call(con, 'todatetime', [s('2014-05-25T10:20:03+02:00')], 'datetime')).toBe('2014-05-25 08:20:03');
    expect(await call(con, 'todatetime', [s('Sat, 8 Nov 14 15:05:02 GMT')], 'datetime')).toBe('2014-11-08 15:05:02');
    expect(await call(con, 'todatetime', [s('08-Nov-14 15:05')], 'datetime')).toBe('2014-11-08 15:05:00');
    expect(await call(con, 'todatetime', [s('not a date')], 'datetime')).toBe(null);
    expect(await call(con, 'totimespan', [s('0.00:01:00')], 'timespan')).toBe('60000000');
    expect(await call(con, 'totimespan', [s('1.02:03:04.5')], 'timespan')).toBe('93784500000');
    expect(await call(con, 'totimespan', [s('1.5h')], 'timespan')).toBe('5400000000');
    expect(await call(con, 'totimespan', [s('bad')], 'timespan')).toBe(null);
  });
});

describe('conditionals', () => {
  it('iff, case, coalesce (first non-empty string), min_of, max_of, isnan family', async () => {
    expect(await str('iff', b(true), s('a'), s('b'))).toBe('a');
    expect(await str('iff', b(null), s('a'), s('b'))).toBe('b');
    expect(await call(con, 'case', [b(false), s('Small'), b(true), s('Medium'), s('Large')], 'string')).toBe('Medium');
    expect(await call(con, 'case', [b(false), s('Small'), s('Large')], 'string')).toBe('Large');
    expect(await call(con, 'coalesce', [l(null), l(42), l(33)], 'long')).toBe('42');
    expect(await str('coalesce', s(''), s(null), s('x'))).toBe('x');
    expect(await str('coalesce', s(''), s(null))).toBe('');
    expect(await call(con, 'min_of', [l(10), l(1), l(-3), l(17)], 'long')).toBe('-3');
    expect(await call(con, 'min_of', [i32(null), i32(3)], 'int')).toBe('3');
    expect(await call(con, 'max_of', [r(1.5), l(2)], 'real')).toBe('2.0');
    expect(await pred(con, 'isnan', [r(Number.NaN)])).toBe(true);
    expect(await pred(con, 'isinf', [r(Infinity)])).toBe(true);
    expect(await pred(con, 'isfinite', [l(1)])).toBe(true);
  });
});
