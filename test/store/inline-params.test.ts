import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inlineParams } from '../../src/store/duckdb/inline-params.js';
import { openStore } from '../../src/store/duckdb/open-store.js';
import type { SqlParam, Store } from '../../src/store/store.js';
import { removeTempDirs, tempDataDir } from './temp-dir.js';

describe('inlineParams', () => {
  it('writes strings, integers, booleans and null as literals', () => {
    expect(inlineParams('SELECT $1, $2, $3, $4', ["it's", 42, true, null])).toBe("SELECT 'it''s', 42, true, NULL");
  });

  it('tells $1 from $10 and reuses a placeholder', () => {
    const params = Array.from({ length: 10 }, (_, i) => `v${i + 1}`);
    expect(inlineParams('SELECT $10, $1, $1', params)).toBe("SELECT 'v10', 'v1', 'v1'");
  });

  it('leaves placeholders inside strings, quoted identifiers and comments alone', () => {
    const sql = `SELECT '$1 it''s', "col$1", $1 -- $1\n, /* $1 */ $1`;
    expect(inlineParams(sql, ['x'])).toBe(`SELECT '$1 it''s', "col$1", 'x' -- $1\n, /* $1 */ 'x'`);
  });

  it('declines what a literal would not say exactly', () => {
    for (const p of [new Date(0), 2n ** 70n, 1.5, Number.NaN, 'a\0b'] as SqlParam[]) expect(inlineParams('SELECT $1', [p])).toBeUndefined();
    expect(inlineParams('SELECT $2', ['only one'])).toBeUndefined();
    expect(inlineParams("SELECT 'open", [])).toBeUndefined();
  });
});

describe('store.query with inlineParams (real DuckDB)', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore(tempDataDir('inline-params'));
    await store.exec(`CREATE TABLE t (s VARCHAR, n INTEGER, b BOOLEAN)`);
    await store.exec(`INSERT INTO t VALUES ('o''brien', 1, true), ('$1', 2, false), ('x', NULL, NULL), ('日本', 3, true)`);
  });
  afterAll(async () => {
    await store.close();
    removeTempDirs();
  });

  it('gives the same rows as bound parameters, for awkward values too', async () => {
    const cases: [string, SqlParam[]][] = [
      ['SELECT s, n FROM t WHERE s = $1', ["o'brien"]],
      ['SELECT s, n FROM t WHERE s = $1', ['$1']],
      ['SELECT s FROM t WHERE s IN ($1, $2) ORDER BY s', ['日本', "x' OR '1'='1"]],
      ['SELECT s FROM t WHERE n = $1', [2]],
      ['SELECT s FROM t WHERE b = $1 ORDER BY s', [true]],
      ['SELECT s FROM t WHERE s = $1 OR n > $2 ORDER BY s', ['x', 1]],
      ['SELECT count(*) FROM t WHERE s LIKE $1', ['%\\%']],
      ['SELECT $1 IS NULL', [null]],
    ];
    for (const [sql, params] of cases) {
      const bound = await store.query(sql, { params });
      const inlined = await store.query(sql, { params, inlineParams: true });
      expect(inlined.rows, sql).toEqual(bound.rows);
    }
  });

  it('falls back to binding when a value cannot be inlined', async () => {
    const r = await store.query('SELECT $1::TIMESTAMP', { params: [new Date('2024-05-01T00:00:00Z')], inlineParams: true });
    expect(r.rows[0]![0]).toBe(1714521600000000n);
  });
});
