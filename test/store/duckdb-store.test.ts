import { afterAll, describe, expect, it } from 'vitest';
import type { ColumnDef } from '../../src/catalog/types.js';
import { QuarryError } from '../../src/core/errors.js';
import type { PhysicalTable } from '../../src/store/catalog-sync.js';
import { openStore } from '../../src/store/duckdb/open-store.js';
import { getMeta, setMeta } from '../../src/store/meta.js';
import type { Store } from '../../src/store/store.js';
import { removeTempDirs, tempDataDir } from './temp-dir.js';

afterAll(removeTempDirs);

const allTypes: ColumnDef[] = [
  { name: 'Timestamp', type: 'datetime' },
  { name: 'L', type: 'long' },
  { name: 'I', type: 'int' },
  { name: 'R', type: 'real' },
  { name: 'B', type: 'bool' },
  { name: 'S', type: 'string' },
  { name: 'G', type: 'guid' },
  { name: 'D', type: 'dynamic' },
  { name: 'Span', type: 'timespan' },
  { name: 'Dec', type: 'decimal' },
];
const tables: PhysicalTable[] = [{ name: 'AllTypes', columns: allTypes }];

async function caught(p: Promise<unknown>): Promise<QuarryError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(QuarryError);
    return e as QuarryError;
  }
  throw new Error('expected a QuarryError');
}

async function withStore<T>(fn: (s: Store) => Promise<T>, t: readonly PhysicalTable[] = tables): Promise<T> {
  const store = await openStore(tempDataDir(), { tables: t });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

describe('DuckDB store: append and query round trip', () => {
  it('stores every KQL type and reads it back with the documented JS mapping', async () => {
    await withStore(async (s) => {
      const n = await s.append('AllTypes', [
        {
          Timestamp: '2024-01-02T03:04:05.1234567Z',
          L: '9007199254740993',
          I: 7,
          R: 1.25,
          B: true,
          S: "it's",
          G: '6f1c0e5e-3b8a-4a57-9f1e-000000000001',
          D: { a: [1, 2n ** 60n], b: 'x' },
          Span: 90_000_000n,
          Dec: '2.5',
        },
        { L: 9007199254740993n, Timestamp: new Date(Date.UTC(2024, 0, 1)), D: '[1,2]', B: 'false', I: '-3' },
        { Timestamp: 1_700_000_000_123, D: 'plain text', L: -5, S: { k: [1, 'two'] } },
        { Timestamp: 1_700_000_000_000_001n, D: 42 },
        {},
      ]);
      expect(n).toBe(5);
      const r = await s.query('SELECT * FROM "AllTypes"');
      expect(r.columns.map((c) => c.sqlType)).toEqual(['TIMESTAMP', 'BIGINT', 'INTEGER', 'DOUBLE', 'BOOLEAN', 'VARCHAR', 'VARCHAR', 'JSON', 'BIGINT', 'DOUBLE']);
      expect(r.rows[0]).toEqual([
        1704164645123456n, // 7th fraction digit is below DuckDB's microsecond precision
        9007199254740993n,
        7,
        1.25,
        true,
        "it's",
        '6f1c0e5e-3b8a-4a57-9f1e-000000000001',
        '{"a":[1,1152921504606846976],"b":"x"}',
        90_000_000n,
        2.5,
      ]);
      expect(r.rows[1]!.slice(0, 5)).toEqual([1704067200000000n, 9007199254740993n, -3, null, false]);
      expect(r.rows[1]![7]).toBe('[1,2]');
      expect(r.rows[2]![0]).toBe(1_700_000_000_123_000n);
      expect(r.rows[2]![7]).toBe('"plain text"');
      expect(r.rows[2]![5]).toBe('{"k":[1,"two"]}');
      expect(r.rows[3]![0]).toBe(1_700_000_000_000_001n);
      expect(r.rows[3]![7]).toBe('42');
      expect(r.rows[4]).toEqual(new Array(10).fill(null));
      const exact = await s.query('SELECT "L" = 9007199254740993 FROM "AllTypes" WHERE "L" > 9007199254740992');
      expect(exact.rows).toEqual([[true], [true]]);
    });
  });

  it('round-trips text exactly across chunks: inline, long, repeated, unicode, empty and null strings', async () => {
    await withStore(async (s) => {
      const pool = ['', 'a', '123456789012', '1234567890123', 'é', 'ü-ü-ü-ü-ü-ü', '日本語テキスト', 'a long repeated device name.corp.example.com', null];
      const rows = Array.from({ length: 5000 }, (_, i) => ({
        L: i,
        S: i % 11 === 0 ? `unique-long-value-number-${i}` : pool[i % pool.length]!,
        G: i % 3 === 0 ? null : pool[(i * 7) % pool.length]!,
        D: i % 5 === 0 ? { i, s: pool[i % pool.length] } : null,
      }));
      await s.append('AllTypes', rows);
      const r = await s.query('SELECT "L", "S", "G", "D" FROM "AllTypes" ORDER BY "L"');
      expect(r.rows.length).toBe(5000);
      for (let i = 0; i < rows.length; i++) {
        const want = rows[i]!;
        expect(r.rows[i]).toEqual([BigInt(i), want.S, want.G, want.D === null ? null : JSON.stringify(want.D)]);
      }
      const distinct = await s.query(`SELECT count(*) FROM "AllTypes" WHERE "S" = 'a long repeated device name.corp.example.com'`);
      expect(distinct.rows[0]![0]).toBe(BigInt(rows.filter((x) => x.S === 'a long repeated device name.corp.example.com').length));
    });
  });

  it('maps nested and unusual DuckDB types as store.ts documents', async () => {
    await withStore(async (s) => {
      const r = await s.query(`SELECT [1, 2]::BIGINT[] AS l, {'a': 1, 'b': 'x'} AS st, MAP {'k': 2} AS m, INTERVAL 90 SECOND AS iv,
        DATE '1970-01-02' AS d, 1.5::DECIMAL(4,1) AS dec, 170141183460469231731687303715884105727::HUGEINT AS h,
        '6f1c0e5e-3b8a-4a57-9f1e-000000000001'::UUID AS u, TIMESTAMPTZ '1970-01-01 00:00:01+00' AS tz, NULL AS n, 3::SMALLINT AS sm`);
      expect(r.rows[0]).toEqual([
        [1n, 2n], { a: 1, b: 'x' }, { k: 2 }, 90_000_000n, 86_400_000_000n, 1.5, 2n ** 127n - 1n,
        '6f1c0e5e-3b8a-4a57-9f1e-000000000001', 1_000_000n, null, 3,
      ]);
    });
  });

  it('binds $n and ? parameters, bigint exactly', async () => {
    await withStore(async (s) => {
      const a = await s.query('SELECT $1 + 1 AS x, $2 AS y, $3 AS t', { params: [9007199254740993n, "it's", new Date(1000)] });
      expect(a.rows[0]).toEqual([9007199254740994n, "it's", 1_000_000n]);
      const b = await s.query('SELECT ? * 2 AS x, ? AS y', { params: [21, null] });
      expect(b.rows[0]).toEqual([42, null]);
    });
  });

  it('stops at maxRows and marks the result truncated', async () => {
    await withStore(async (s) => {
      const cut = await s.query('SELECT range AS i FROM range(100000)', { maxRows: 5 });
      expect(cut.rows).toEqual([[0n], [1n], [2n], [3n], [4n]]);
      expect(cut.truncated).toBe(true);
      const exact = await s.query('SELECT range AS i FROM range(3)', { maxRows: 3 });
      expect(exact.rows.length).toBe(3);
      expect(exact.truncated).toBeUndefined();
      const chunkEdge = await s.query('SELECT range AS i FROM range(2049)', { maxRows: 2048 });
      expect(chunkEdge.rows.length).toBe(2048);
      expect(chunkEdge.truncated).toBe(true);
    });
  });
});

describe('DuckDB store: bad rows commit nothing', () => {
  it('names row index and column for a bad value and leaves the table unchanged', async () => {
    await withStore(async (s) => {
      await s.append('AllTypes', [{ L: 1 }]);
      const rows = Array.from({ length: 5000 }, (_, i) => ({ L: i, S: `r${i}` })) as Record<string, unknown>[];
      rows[4321] = { L: 'not a number' };
      const e = await caught(s.append('AllTypes', rows));
      expect(e.code).toBe('store/bad-row');
      expect(e.message).toContain('row 4321');
      expect(e.details).toMatchObject({ table: 'AllTypes', row: 4321, column: 'L' });
      expect(await s.count('AllTypes')).toBe(1n);
    });
  });

  it.each([
    [{ Timestamp: 'yesterday' }, 'Timestamp'],
    [{ Timestamp: '2024-02-31T00:00:00Z' }, 'Timestamp'],
    [{ I: 2 ** 31 }, 'I'],
    [{ L: 2 ** 60 }, 'L'],
    [{ L: '99999999999999999999' }, 'L'],
    [{ B: 'maybe' }, 'B'],
    [{ S: Symbol('x') }, 'S'],
    [{ R: 'x1' }, 'R'],
  ])('refuses %j', async (row, column) => {
    await withStore(async (s) => {
      const e = await caught(s.append('AllTypes', [row]));
      expect(e.code).toBe('store/bad-row');
      expect(e.details).toMatchObject({ row: 0, column });
    });
  });

  it('refuses unknown columns (with a case hint) and unknown tables', async () => {
    await withStore(async (s) => {
      const e = await caught(s.append('AllTypes', [{ L: 1 }, { l: 2 }]));
      expect(e.code).toBe('store/bad-row');
      expect(e.details).toMatchObject({ row: 1, column: 'l' });
      expect(e.hints?.[0]).toContain("'L'");
      const t = await caught(s.append('NoSuchTable', [{ a: 1 }]));
      expect(t.code).toBe('catalog/unknown-table');
      expect(await s.count('AllTypes')).toBe(0n);
    });
  });

  it('rolls back a transaction when its callback throws', async () => {
    await withStore(async (s) => {
      await expect(
        s.transaction(async (tx) => {
          await tx.append('AllTypes', [{ L: 1 }, { L: 2 }]);
          await tx.exec('INSERT INTO "AllTypes" ("L") VALUES (3)');
          expect((await tx.query('SELECT count(*) FROM "AllTypes"')).rows[0]![0]).toBe(3n);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await s.count('AllTypes')).toBe(0n);
      const v = await s.transaction(async (tx) => tx.append('AllTypes', [{ L: 1 }]));
      expect(v).toBe(1);
      expect(await s.count('AllTypes')).toBe(1n);
    });
  });
});

describe('DuckDB store: cancellation', () => {
  const slow = 'SELECT count(*) FROM range(1000000000000) a WHERE a.range % 7 = 3';

  it('interrupts a long query on timeout', async () => {
    await withStore(async (s) => {
      const t0 = Date.now();
      const e = await caught(s.query(slow, { timeoutMs: 200 }));
      expect(e.code).toBe('store/timeout');
      expect(Date.now() - t0).toBeLessThan(5000);
      // The connection is usable afterwards.
      expect((await s.query('SELECT 1 AS one')).rows).toEqual([[1]]);
    });
  });

  it('interrupts a long query when the signal aborts', async () => {
    await withStore(async (s) => {
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 150);
      const e = await caught(s.query(slow, { signal: ac.signal }));
      expect(e.code).toBe('store/cancelled');
      const pre = await caught(s.query('SELECT 1', { signal: AbortSignal.abort() }));
      expect(pre.code).toBe('store/cancelled');
    });
  });

  it('runs reads concurrently with a long query', async () => {
    await withStore(async (s) => {
      const ac = new AbortController();
      const long = s.query(slow, { signal: ac.signal }).catch((e: unknown) => e);
      const quick = await s.query('SELECT 42 AS x');
      expect(quick.rows).toEqual([[42]]);
      ac.abort();
      expect(((await long) as QuarryError).code).toBe('store/cancelled');
    });
  });

  it('reports SQL errors as store/query-failed', async () => {
    await withStore(async (s) => {
      const e = await caught(s.query('SELECT * FROM nowhere'));
      expect(e.code).toBe('store/query-failed');
      expect(e.message).toMatch(/nowhere/);
    });
  });
});

describe('DuckDB store: migrations, catalog sync, sharing', () => {
  it('migrates once, syncs new catalog columns on reopen and keeps data', async () => {
    const dir = tempDataDir();
    const v1: PhysicalTable[] = [{ name: 'Evolving', columns: [{ name: 'A', type: 'long' }] }];
    const s1 = await openStore(dir, { tables: v1 });
    await s1.append('Evolving', [{ A: 1 }]);
    await setMeta(s1, 'k', 'v1');
    await s1.close();
    const v2: PhysicalTable[] = [
      { name: 'Evolving', columns: [{ name: 'A', type: 'long' }, { name: 'B', type: 'dynamic' }] },
      { name: 'Fresh', columns: [{ name: 'X', type: 'string' }] },
    ];
    const s2 = await openStore(dir, { tables: v2 });
    try {
      const m = await s2.query('SELECT version, name FROM _quarry_migrations ORDER BY version');
      expect(m.rows).toEqual([[1, 'meta']]);
      const r = await s2.query('SELECT * FROM "Evolving"');
      expect(r.columns.map((c) => `${c.name}:${c.sqlType}`)).toEqual(['A:BIGINT', 'B:JSON']);
      expect(r.rows).toEqual([[1n, null]]);
      expect(await s2.listTables()).toEqual(expect.arrayContaining(['Evolving', 'Fresh', '_quarry_meta', '_quarry_migrations']));
      expect(await getMeta(s2, 'k')).toBe('v1');
      expect(await getMeta(s2, 'missing')).toBeUndefined();
    } finally {
      await s2.close();
    }
  });

  it('creates every table of the default catalog', async () => {
    const s = await openStore(tempDataDir());
    try {
      const names = await s.listTables();
      expect(names).toEqual(expect.arrayContaining(['DeviceNetworkEvents', 'EmailUrlInfo', 'ThreatIntelligenceIndicator']));
      const cols = await s.query(`SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'DeviceNetworkEvents'`);
      const byName = Object.fromEntries(cols.rows.map((r) => [r[0], r[1]]));
      expect(byName).toMatchObject({ Timestamp: 'TIMESTAMP', RemotePort: 'INTEGER', TimeGenerated: 'TIMESTAMP', TenantId: 'VARCHAR' });
    } finally {
      await s.close();
    }
  });

  it('shares one instance between two opens in a process', async () => {
    const dir = tempDataDir();
    const a = await openStore(dir, { tables });
    const b = await openStore(dir, { tables });
    await a.append('AllTypes', [{ L: 1 }]);
    expect(await b.count('AllTypes')).toBe(1n);
    await a.close();
    expect(await b.count('AllTypes')).toBe(1n);
    await b.close();
    const e = await caught(b.count('AllTypes'));
    expect(e.code).toBe('store/closed');
    const c = await openStore(dir, { tables });
    expect(await c.count('AllTypes')).toBe(1n);
    await c.close();
  });

  it('raises store/migration-failed for a broken migration and records nothing', async () => {
    const { runMigrations } = await import('../../src/store/migrations.js');
    await withStore(async (s) => {
      const e = await caught(runMigrations(s, [{ version: 1, name: 'meta', up: [] }, { version: 2, name: 'broken', up: ['CREATE TABLE ok (a INT)', 'CREATE TABLE bad (a NOTATYPE)'] }]));
      expect(e.code).toBe('store/migration-failed');
      expect(e.message).toContain('migration 2 (broken)');
      expect((await s.query('SELECT max(version) FROM _quarry_migrations')).rows[0]![0]).toBe(1);
      expect(await s.listTables()).not.toContain('ok');
    });
  });
});
