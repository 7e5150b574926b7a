/**
 * Part A: Kusto term operators (has, hasprefix, hassuffix, has_any, has_all) on a real DuckDB, checked against
 * the documented examples and against a direct model of the term rule on random data, for every SQL shape
 * (single needle, short list, long tokenised list with and without punctuated needles, run-time lists).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { dyn, expr, openDb, pred, render, s } from './duckdb-functions-a-harness.js';

let con: DuckDBConnection;
beforeAll(async () => {
  con = await openDb();
});

const isAlnum = (c: string | undefined) => c !== undefined && /^[A-Za-z0-9]$/.test(c);
/** The term rule, written directly: n occurs in h with non-alphanumeric neighbours where n's ends are alphanumeric. */
function modelHas(h: string, n: string, ci = true, mode: 'has' | 'prefix' | 'suffix' = 'has'): boolean {
  if (ci) {
    h = h.toLowerCase();
    n = n.toLowerCase();
  }
  for (let i = h.indexOf(n); i >= 0; i = h.indexOf(n, i + 1)) {
    const leftOk = mode === 'suffix' || !isAlnum(n[0]) || i === 0 || !isAlnum(h[i - 1]);
    const end = i + n.length;
    const rightOk = mode === 'prefix' || !isAlnum(n[n.length - 1]) || end === h.length || !isAlnum(h[end]);
    if (leftOk && rightOk) return true;
  }
  return false;
}

describe('documented examples', () => {
  it('has / hasprefix / hassuffix and their _cs and negated forms', async () => {
    const na = s('North America');
    const cases: Array<[string, string, boolean]> = [
      ['has', 'america', true], ['!has', 'amer', true], ['has_cs', 'America', true], ['!has_cs', 'amer', true],
      ['hasprefix', 'ame', true], ['!hasprefix', 'mer', true], ['hasprefix_cs', 'Ame', true], ['!hasprefix_cs', 'CA', true],
      ['hassuffix', 'ica', true], ['!hassuffix', 'americ', true], ['hassuffix_cs', 'ica', true], ['!hassuffix_cs', 'icA', true],
      ['has', 'amer', false], ['has_cs', 'america', false], ['has', 'North America', true],
    ];
    for (const [op, n, want] of cases) expect([op, n, await pred(con, op, [na, s(n)])]).toEqual([op, n, want]);
    expect(await pred(con, 'has', [s('KustoExplorerQueryRun'), s('Explorer')])).toBe(false);
  });

  it('terms are maximal ASCII alphanumeric runs', async () => {
    const k = s('Kusto:  ad67d136-c1db-4f9f-88ef-d94f3b6b0b5a;;WilliamGates3rd');
    for (const t of ['Kusto', 'ad67d136', 'c1db', '4f9f', '88ef', 'd94f3b6b0b5a', 'WilliamGates3rd']) expect(await pred(con, 'has', [k, s(t)])).toBe(true);
    expect(await pred(con, 'has', [k, s('WilliamGates')])).toBe(false);
    expect(await pred(con, 'has', [k, s('4f9f-88ef')])).toBe(true);
    // Non-ASCII letters separate terms.
    expect(await pred(con, 'has', [s('naïve café'), s('caf')])).toBe(true);
    expect(await pred(con, 'has', [s('naïve café'), s('café')])).toBe(true);
    expect(await pred(con, 'has', [s('naïve café'), s('na')])).toBe(true);
  });

  it('needles with punctuation match at term boundaries (MicrosoftDocs/dataexplorer-docs#1005)', async () => {
    const url = s('https://management.azure.com/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/test.rg000001?api-version=2021-04-01');
    expect(await pred(con, 'has', [url, s('resourcegroups/test.rg000001')])).toBe(true);
    expect(await pred(con, 'has', [url, s('/resourcegroups/test.rg000001?')])).toBe(true);
    expect(await pred(con, 'has', [url, s('esourcegroups/test.rg000001')])).toBe(false);
    const cmd = s('C:\\Windows\\System32\\cmd.exe /c whoami');
    expect(await pred(con, 'has', [cmd, s('cmd.exe')])).toBe(true);
    expect(await pred(con, 'has', [cmd, s('md.exe')])).toBe(false);
    expect(await pred(con, 'has', [cmd, s('cmd.ex')])).toBe(false);
    expect(await pred(con, 'has', [cmd, s('.exe')])).toBe(true);
    expect(await pred(con, 'has', [cmd, s('\\system32\\')])).toBe(true);
  });

  it('has_any and has_all', async () => {
    expect(await pred(con, 'has_any', [s('North America'), s('south'), s('north')])).toBe(true);
    expect(await pred(con, 'has_any', [s('North America'), dyn(['south', 'nor'])])).toBe(false);
    expect(await pred(con, 'has_all', [s('North America'), s('america'), s('north')])).toBe(true);
    expect(await pred(con, 'has_all', [s('North America'), dyn(['america', 'south'])])).toBe(false);
    expect(await pred(con, 'has_any', [s('x')])).toBe(false);
  });

  it('a NULL haystack reads as ""', async () => {
    expect(await pred(con, '!has', [s(null), s('a')])).toBe(true);
    expect(await pred(con, 'has', [s(null), s('a')])).toBe(false);
  });
});

describe('agrees with the term model on random data', () => {
  const alphabet = ['a', 'b', 'A', 'B', '1', '.', '-', '/', ' ', 'é', 'ab', 'ba', 'a.b', 'x'];
  let seed = 12345;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const word = (len: number) => Array.from({ length: len }, () => alphabet[rnd(alphabet.length)]).join('');
  const hays = Array.from({ length: 300 }, () => word(1 + rnd(10)));
  const needles = Array.from({ length: 60 }, () => word(1 + rnd(3))).filter((n) => n.trim() !== '' && n !== ' ');

  beforeAll(async () => {
    await con.run('CREATE TABLE hs(id INTEGER, h VARCHAR)');
    const values = hays.map((h, i) => `(${i}, '${h.replace(/'/g, "''")}')`).join(', ');
    await con.run(`INSERT INTO hs VALUES ${values}`);
  });

  async function column(sql: string): Promise<boolean[]> {
    const res = await con.runAndReadAll(`SELECT (${sql}) AS v FROM hs ORDER BY id`);
    return res.getRowObjectsJson().map((o) => o.v === true);
  }
  const H = expr('h', 'string');

  it('has, has_cs, hasprefix, hassuffix with constant and run-time needles', async () => {
    for (const n of needles.slice(0, 20)) {
      for (const [op, ci, mode] of [['has', true, 'has'], ['has_cs', false, 'has'], ['hasprefix', true, 'prefix'], ['hassuffix_cs', false, 'suffix']] as const) {
        const want = hays.map((h) => modelHas(h, n, ci, mode));
        expect([op, n, await column(render(op, [H, s(n)]))]).toEqual([op, n, want]);
        expect([op, n, 'runtime', await column(render(op, [H, expr(`'${n.replace(/'/g, "''")}'::VARCHAR`, 'string')]))]).toEqual([op, n, 'runtime', want]);
      }
    }
  });

  it('has_any / has_all over short, long and run-time lists', async () => {
    const words = Array.from({ length: 40 }, (_, k) => `w${k}`);
    const lists = [needles.slice(0, 3), needles, [...needles, ...words], [...words, 'ab', 'B1']];
    for (const list of lists) {
      const any = hays.map((h) => list.some((n) => modelHas(h, n)));
      const all = hays.map((h) => list.every((n) => modelHas(h, n)));
      expect(await column(render('has_any', [H, ...list.map(s)]))).toEqual(any);
      expect(await column(render('has_any', [H, dyn(list)]))).toEqual(any);
      const json = `'${JSON.stringify(list).replace(/'/g, "''")}'::JSON`;
      expect(await column(render('has_any', [H, expr(json, 'dynamic')]))).toEqual(any);
      expect(await column(render('has_all', [H, dyn(list)]))).toEqual(all);
      expect(await column(render('has_all', [H, expr(json, 'dynamic')]))).toEqual(all);
    }
    const pairs = [['ab', 'a'], ['b', '1', 'ba', 'x', 'a', 'ab']];
    for (const list of pairs) {
      expect(await column(render('has_all', [H, dyn(list)]))).toEqual(hays.map((h) => list.every((n) => modelHas(h, n))));
    }
  });

  it('long lists use the tokenised semi-join, not one regex per needle', () => {
    const list = Array.from({ length: 1000 }, (_, k) => `ioc${k}`);
    const sql = render('has_any', [H, dyn(list)]);
    expect(sql).toContain('string_split_regex');
    expect(sql.match(/regexp_matches/g) ?? []).toHaveLength(0);
    const mixed = render('has_any', [H, dyn([...list, ...list.map((x) => `${x}.example.com`)])]);
    expect((mixed.match(/regexp_matches/g) ?? []).length).toBeLessThanOrEqual(5);
  });
});
