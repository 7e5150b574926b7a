import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CaseFileError, parseCaseFile, parseHeader } from './case-file.js';
import { compareRows, datetimeTicks, decodeExpected, encodingProblem, timespanTicks } from './compare.js';
import { isExactNumber, parseExactJson } from './exact-json.js';

const sample = `# doc: https://learn.microsoft.com/kusto/query/where-operator
# a comment

=== filter keeps matching rows
datatable(x:long, s:string) [1, "a", 2, "b"]
| where x > 1   // trailing comment stays in the query
--- expect
x:long, s:string
[2, "b"]

=== ordered with now
--- now: 2024-01-01T00:00:00Z
--- ordered
--- doc: https://learn.microsoft.com/kusto/query/ago-function
print t = ago(1d)
--- expect
t:datetime
["2023-12-31T00:00:00Z"]

=== unknown column is an error
--- error: kql/unknown-column at 1:18
print x = 1 | where y > 1

=== empty result
--- unordered-arrays
print x = 1 | where x > 1
--- expect
x:long
`;

describe('parseCaseFile', () => {
  const cases = parseCaseFile('sample.kqltest', sample);

  it('splits cases and keeps the query text verbatim', () => {
    expect(cases.map((c) => c.name)).toEqual(['filter keeps matching rows', 'ordered with now', 'unknown column is an error', 'empty result']);
    expect(cases[0]!.query).toBe('datatable(x:long, s:string) [1, "a", 2, "b"]\n| where x > 1   // trailing comment stays in the query');
    expect(cases[0]!.line).toBe(4);
    expect(cases[0]!.ordered).toBe(false);
  });

  it('reads directives, docs, expected header and rows', () => {
    const c = cases[1]!;
    expect(c.now).toBe('2024-01-01T00:00:00Z');
    expect(c.ordered).toBe(true);
    expect(c.docs).toEqual(['https://learn.microsoft.com/kusto/query/where-operator', 'https://learn.microsoft.com/kusto/query/ago-function']);
    expect(c.expect?.columns).toEqual([{ name: 't', type: 'datetime' }]);
    expect(c.expect?.rows).toEqual([['2023-12-31T00:00:00Z']]);
    expect(cases[3]!.expect?.rows).toEqual([]);
    expect(cases[3]!.unorderedArrays).toBe(true);
  });

  it('reads error expectations with an optional position', () => {
    expect(cases[2]!.error).toEqual({ code: 'kql/unknown-column', line: 1, column: 18 });
    expect(cases[2]!.expect).toBeUndefined();
  });

  it('rejects malformed files with file:line', () => {
    const bad = (text: string) => () => parseCaseFile('bad.kqltest', text);
    expect(bad('=== a\nprint 1\n')).toThrow(/bad.kqltest:1: case "a": needs "--- expect"/);
    expect(bad('=== a\nprint x=1\n--- expect\nx:long\n[1, 2]\n')).toThrow(/bad.kqltest:5: row has 2 values/);
    expect(bad('=== a\nprint x=1\n--- expect\nx:wide\n')).toThrow(/unknown KQL type "wide"/);
    expect(bad('=== a\n--- sorted\nprint x=1\n--- expect\nx:long\n')).toThrow(/unknown directive "--- sorted"/);
    expect(bad('=== a\nprint x=1\n--- expect\nx:long\n\n=== a\nprint x=1\n--- expect\nx:long\n')).toThrow(/duplicate case name/);
    expect(bad('print 1\n')).toThrow(CaseFileError);
    expect(bad('=== a\n--- skip:\nprint x=1\n--- expect\nx:long\n')).toThrow(/needs a reason/);
    expect(bad('=== a\n--- error: kql/syntax-error\nprint x=1\n--- expect\nx:long\n')).toThrow(/both/);
    expect(bad('=== a\nprint x=1\n--- expect\nx:long\n{"a":1}\n')).toThrow(/must be a JSON array/);
  });

  it('reads a file-level ClickHouse gap for every case, and only before the first case', () => {
    const text = '# clickhouse-gap: no XML there\n=== a\nprint x=1\n--- expect\nx:long\n[1]\n=== b\nprint x=2\n--- expect\nx:long\n[2]\n';
    expect(parseCaseFile('gap.kqltest', text).map((c) => c.clickhouseGap)).toEqual(['no XML there', 'no XML there']);
    expect(parseCaseFile('nogap.kqltest', '=== a\nprint x=1\n--- expect\nx:long\n[1]\n')[0]!.clickhouseGap).toBeUndefined();
    expect(() => parseCaseFile('late.kqltest', '=== a\n# clickhouse-gap: late\nprint x=1\n--- expect\nx:long\n[1]\n')).toThrow(/before the first case/);
    expect(() => parseCaseFile('empty.kqltest', '# clickhouse-gap:\n=== a\nprint x=1\n--- expect\nx:long\n[1]\n')).toThrow(/needs a reason/);
  });

  it('parses headers with aliases and quoted names', () => {
    expect(parseHeader("a:long, ['b c']:string, d:double, e:boolean")).toEqual([
      { name: 'a', type: 'long' }, { name: 'b c', type: 'string' }, { name: 'd', type: 'real' }, { name: 'e', type: 'bool' },
    ]);
    expect(() => parseHeader('a long')).toThrow(/bad header/);
  });
});

describe('exact JSON', () => {
  it('keeps 64-bit integers exact', () => {
    const v = parseExactJson('[9223372036854775807, -9223372036854775808, 1.5e3, "x", null, true, {"a":[1]}]') as unknown[];
    expect(isExactNumber(v[0]) && v[0].text).toBe('9223372036854775807');
    expect(decodeExpected('long', v[0] as never)).toBe(9223372036854775807n);
    expect(decodeExpected('long', v[1] as never)).toBe(-9223372036854775808n);
    expect(decodeExpected('real', v[2] as never)).toBe(1500);
    expect(decodeExpected('dynamic', v[6] as never)).toEqual({ a: [1] });
    expect(() => parseExactJson('[1,')).toThrow(/offset/);
    expect(() => parseExactJson('[1] x')).toThrow(/trailing/);
  });

  it('refuses ill-typed expectations', () => {
    expect(() => decodeExpected('string', null)).toThrow(/never null/);
    expect(() => decodeExpected('long', parseExactJson('1.5'))).toThrow(/integer/);
    expect(() => decodeExpected('datetime', '2024-13-45')).toThrow();
  });
});

describe('value comparison', () => {
  it('reads datetimes and timespans as instants / durations', () => {
    expect(datetimeTicks('2024-01-02T03:04:05.1230000Z')).toBe(datetimeTicks('2024-01-02T03:04:05.123Z'));
    expect(datetimeTicks('1970-01-01T00:00:00.0000001Z')).toBe(1n);
    expect(timespanTicks('1.02:03:04.5000000')).toBe((((1n * 24n + 2n) * 60n + 3n) * 60n + 4n) * 10_000_000n + 5_000_000n);
    expect(timespanTicks('-00:00:01')).toBe(-10_000_000n);
  });

  it('checks the wire encoding of each type', () => {
    expect(encodingProblem('long', 1)).toMatch(/bigint/);
    expect(encodingProblem('long', 1n)).toBeNull();
    expect(encodingProblem('datetime', '2024-01-01T00:00:00Z')).toMatch(/fffffff/);
    expect(encodingProblem('datetime', '2024-01-01T00:00:00.0000000Z')).toBeNull();
    expect(encodingProblem('timespan', '1.00:00:00')).toBeNull();
    expect(encodingProblem('string', null)).toMatch(/""/);
    expect(encodingProblem('dynamic', '[1,2]')).toMatch(/parsed JSON/);
    expect(encodingProblem('real', 'NaN')).toBeNull();
  });

  it('compares rows unordered, with real tolerance, and reports differences', () => {
    const cols = [{ name: 'k', type: 'string' as const }, { name: 'v', type: 'real' as const }];
    expect(compareRows(cols, [['a', 1], ['b', 2]], [['b', 2 + 1e-12], ['a', 1]], { ordered: false, unorderedArrays: false }).ok).toBe(true);
    expect(compareRows(cols, [['a', 1], ['b', 2]], [['b', 2], ['a', 1]], { ordered: true, unorderedArrays: false }).ok).toBe(false);
    const r = compareRows(cols, [['a', 1]], [['a', 1.001]], { ordered: false, unorderedArrays: false });
    expect(r.ok).toBe(false);
    expect(r.problems.join('\n')).toMatch(/no actual row matches/);
    const dyn = [{ name: 's', type: 'dynamic' as const }];
    expect(compareRows(dyn, [[[1, 2]]], [[[2, 1]]], { ordered: false, unorderedArrays: true }).ok).toBe(true);
    expect(compareRows(dyn, [[[1, 2]]], [[[2, 1]]], { ordered: false, unorderedArrays: false }).ok).toBe(false);
    const longs = [{ name: 'n', type: 'long' as const }];
    expect(compareRows(longs, [[9223372036854775807n]], [[9223372036854775806n]], { ordered: false, unorderedArrays: false }).ok).toBe(false);
  });
});

describe('the shipped case files', () => {
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cases');
  const files = readdirSync(dir).filter((f) => f.endsWith('.kqltest')).sort();

  it('all parse, every expectation is well-typed, and there are at least 300 cases', () => {
    let total = 0;
    const names = new Set<string>();
    for (const f of files) {
      const cases = parseCaseFile(f, readFileSync(path.join(dir, f), 'utf8'));
      expect(cases.length, `${f} has no cases`).toBeGreaterThan(0);
      expect(cases.every((c) => c.docs.length > 0), `${f}: every case needs a "# doc:" source`).toBe(true);
      for (const c of cases) {
        names.add(`${f}/${c.name}`);
        for (const row of c.expect?.rows ?? []) {
          row.forEach((v, i) => {
            const col = c.expect!.columns[i]!;
            try {
              decodeExpected(col.type, v);
            } catch (e) {
              throw new Error(`${f}:${c.line} case "${c.name}", column ${col.name}: ${(e as Error).message}`);
            }
          });
        }
      }
      total += cases.length;
    }
    console.log(`[conformance] ${files.length} case files, ${total} cases`);
    expect(total).toBeGreaterThanOrEqual(300);
  });
});
