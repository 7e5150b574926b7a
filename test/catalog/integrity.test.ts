/** Structural checks over every built-in table: types, names, time and entity columns, DuckDB layout. */
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../../src/catalog/catalog.js';
import { isKqlScalarType } from '../../src/catalog/types.js';
import { physicalColumns, viewTable } from '../../src/catalog/views.js';
import { duckdbTypeOf } from '../../src/sql/dialects/duckdb/types.js';

const tables = defaultCatalog().listTables();

describe('every built-in table is well formed', () => {
  it('has a sizeable catalog', () => {
    expect(tables.length).toBeGreaterThanOrEqual(39);
  });

  it.each(tables.map((t) => [t.name, t] as const))('%s', (_name, def) => {
    const names = def.columns.map((c) => c.name);
    for (const c of def.columns) expect(isKqlScalarType(c.type), `${def.name}.${c.name}: ${c.type}`).toBe(true);
    expect(new Set(names.map((n) => n.toLowerCase())).size, 'no duplicate column names').toBe(names.length);
    if (def.timeColumn !== undefined) {
      const t = def.columns.find((c) => c.name === def.timeColumn);
      expect(t?.type, `time column ${def.timeColumn}`).toBe('datetime');
    }
    const physical = new Set(physicalColumns(def).map((c) => c.name));
    for (const e of def.entityColumns ?? []) {
      expect(names, `entity column ${e.column}`).toContain(e.column);
      expect(physical.has(e.column), `entity column ${e.column} is stored`).toBe(true);
    }
    for (const view of ['defender', 'sentinel'] as const) {
      const v = viewTable(def, view);
      const vnames = v.columns.map((c) => c.name);
      expect(new Set(vnames).size, `${view} view has no duplicates`).toBe(vnames.length);
      if (v.timeColumn) expect(vnames).toContain(v.timeColumn);
    }
  });

  it('marks entity columns on the event tables the NRT matcher reads', () => {
    const byName = new Map(tables.map((t) => [t.name, t]));
    const kinds = (t: string, col: string) =>
      (byName.get(t)?.entityColumns ?? []).filter((e) => e.column === col).map((e) => e.kind);
    expect(kinds('DeviceNetworkEvents', 'RemoteIP')).toEqual(['ip']);
    expect(kinds('DeviceNetworkEvents', 'RemoteUrl')).toEqual(expect.arrayContaining(['url', 'domain']));
    expect(kinds('EmailUrlInfo', 'Url')).toEqual(['url']);
    expect(kinds('EmailUrlInfo', 'UrlDomain')).toEqual(['domain']);
    expect(kinds('UrlClickEvents', 'AccountUpn')).toEqual(['upn']);
    expect(kinds('DeviceFileEvents', 'SHA256')).toEqual(['sha256']);
    expect(kinds('DeviceFileEvents', 'FileOriginUrl')).toEqual(['url']);
    expect(kinds('DeviceProcessEvents', 'ProcessCommandLine')).toEqual(['command-line']);
    expect(kinds('IdentityQueryEvents', 'QueryTarget')).toEqual(['domain']);
    expect(kinds('DnsEvents', 'Name')).toEqual(['domain']);
    expect(kinds('CommonSecurityLog', 'SourceIP')).toEqual(['ip']);
    expect(kinds('EmailEvents', 'SenderFromAddress')).toEqual(['email']);
  });

  it('creates every physical table in a real DuckDB', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    try {
      for (const def of tables) {
        const cols = physicalColumns(def).map((c) => `"${c.name}" ${duckdbTypeOf[c.type]}`).join(', ');
        await conn.run(`CREATE TABLE "${def.name}" (${cols})`);
        const reader = await conn.runAndReadAll(
          `SELECT column_name FROM information_schema.columns WHERE table_name = '${def.name}' ORDER BY ordinal_position`,
        );
        const stored = reader.getRowObjects().map((r) => String(r['column_name']));
        expect(stored, def.name).toEqual(physicalColumns(def).map((c) => c.name));
      }
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });
});
