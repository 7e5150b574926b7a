/** Catalog lookup, unknown-table suggestions and registration errors. */
import { describe, expect, it } from 'vitest';
import { createCatalog, defaultCatalog } from '../../src/catalog/catalog.js';
import { columns } from '../../src/catalog/column-spec.js';
import type { TableDef } from '../../src/catalog/types.js';
import { QuarryError } from '../../src/core/errors.js';

function caught(fn: () => unknown): QuarryError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(QuarryError);
    return e as QuarryError;
  }
  throw new Error('expected an error');
}

const explorerTable = (name = 'Resolutions'): TableDef => ({
  name,
  origin: 'quarry',
  category: 'explorer',
  timeColumn: 'LastSeen',
  columns: [
    { name: 'Artifact', type: 'string' }, { name: 'Resolve', type: 'string' },
    { name: 'FirstSeen', type: 'datetime' }, { name: 'LastSeen', type: 'datetime' },
  ],
  entityColumns: [{ column: 'Artifact', kind: 'domain' }, { column: 'Resolve', kind: 'ip' }],
});

describe('lookup', () => {
  const catalog = defaultCatalog();

  it('is case-sensitive like Kusto', () => {
    expect(catalog.getTable('DeviceNetworkEvents').name).toBe('DeviceNetworkEvents');
    expect(catalog.tryGetTable('devicenetworkevents')).toBeUndefined();
    expect(catalog.hasTable('EmailUrlInfo')).toBe(true);
  });

  it('suggests the table that differs only in case', () => {
    const e = caught(() => catalog.getTable('devicenetworkevents'));
    expect(e.code).toBe('catalog/unknown-table');
    expect(e.message).toBe("Unknown table 'devicenetworkevents'. Did you mean 'DeviceNetworkEvents'?");
    expect(e.details).toEqual({ table: 'devicenetworkevents', suggestion: 'DeviceNetworkEvents' });
    expect(e.httpStatus).toBe(400);
  });

  it('suggests the nearest name for a typo', () => {
    expect(caught(() => catalog.getTable('DeviceProcessEvent')).details?.['suggestion']).toBe('DeviceProcessEvents');
    expect(caught(() => catalog.getTable('EmailUrlInfos')).details?.['suggestion']).toBe('EmailUrlInfo');
    expect(caught(() => catalog.getTable('ThreatIntelIndicator')).details?.['suggestion']).toBe('ThreatIntelIndicators');
    expect(caught(() => catalog.getTable('SignInLogs')).details?.['suggestion']).toBe('SigninLogs');
  });

  it('does not suggest anything for a name nothing resembles', () => {
    const e = caught(() => catalog.getTable('Zebra'));
    expect(e.code).toBe('catalog/unknown-table');
    expect(e.details?.['suggestion']).toBeUndefined();
    expect(e.message).toContain('case-sensitive');
  });

  it('lists tables in registration order and returns views by name', () => {
    const list = catalog.listTables();
    expect(list[0]?.name).toBe('EmailEvents');
    expect(new Set(list.map((t) => t.name)).size).toBe(list.length);
    expect(catalog.getView('DeviceEvents', 'defender').columns[0]?.name).toBe('Timestamp');
    expect(() => catalog.getView('Nope', 'sentinel')).toThrow(QuarryError);
  });

  it('returns a fresh registry each time', () => {
    const a = defaultCatalog();
    a.register(explorerTable());
    expect(defaultCatalog().hasTable('Resolutions')).toBe(false);
  });
});

describe('register', () => {
  it('adds a valid table and freezes it', () => {
    const catalog = createCatalog();
    catalog.register(explorerTable());
    const def = catalog.getTable('Resolutions');
    expect(Object.isFrozen(def)).toBe(true);
    expect(Object.isFrozen(def.columns)).toBe(true);
    expect(catalog.listTables()).toHaveLength(1);
  });

  it('rejects a duplicate name', () => {
    const catalog = defaultCatalog();
    const e = caught(() => catalog.register({ ...catalog.getTable('DnsEvents') }));
    expect(e.code).toBe('catalog/duplicate-table');
    expect(e.message).toContain("'DnsEvents'");
    expect(e.httpStatus).toBe(409);
  });

  it('rejects an invalid column type', () => {
    const def = { ...explorerTable(), columns: [{ name: 'A', type: 'varchar' }] } as unknown as TableDef;
    const e = caught(() => createCatalog().register(def));
    expect(e.code).toBe('catalog/bad-type');
    expect(e.message).toContain("'varchar'");
  });

  it('rejects duplicate columns, including names that differ only in case', () => {
    for (const second of ['A', 'a']) {
      const def: TableDef = { ...explorerTable(), timeColumn: undefined, entityColumns: [], columns: [{ name: 'A', type: 'string' }, { name: second, type: 'long' }] };
      expect(caught(() => createCatalog().register(def)).code).toBe('catalog/bad-column');
    }
  });

  it('rejects bad names, origins, categories and empty tables', () => {
    const base = explorerTable();
    expect(caught(() => createCatalog().register({ ...base, name: 'has space' })).code).toBe('catalog/bad-table');
    expect(caught(() => createCatalog().register({ ...base, origin: 'splunk' as never })).code).toBe('catalog/bad-table');
    expect(caught(() => createCatalog().register({ ...base, category: 'misc' as never })).code).toBe('catalog/bad-table');
    expect(caught(() => createCatalog().register({ ...base, columns: [], timeColumn: undefined, entityColumns: [] })).code).toBe('catalog/bad-table');
    expect(caught(() => createCatalog().register({ ...base, columns: [{ name: '1st', type: 'string' }], timeColumn: undefined, entityColumns: [] })).code).toBe('catalog/bad-column');
  });

  it('rejects a missing or non-datetime time column', () => {
    const base = explorerTable();
    expect(caught(() => createCatalog().register({ ...base, timeColumn: 'Nope' })).message).toContain("time column 'Nope'");
    expect(caught(() => createCatalog().register({ ...base, timeColumn: 'Artifact' })).message).toContain('not datetime');
  });

  it('rejects entity columns that do not exist, unknown kinds and repeats', () => {
    const base = explorerTable();
    expect(caught(() => createCatalog().register({ ...base, entityColumns: [{ column: 'Nope', kind: 'ip' }] })).message).toContain("'Nope'");
    expect(caught(() => createCatalog().register({ ...base, entityColumns: [{ column: 'Resolve', kind: 'ipv4' as never }] })).message).toContain("unknown kind 'ipv4'");
    expect(caught(() => createCatalog().register({ ...base, entityColumns: [{ column: 'Resolve', kind: 'ip' }, { column: 'Resolve', kind: 'ip' }] })).message).toContain('twice');
    // Type is not stored for Quarry tables, so it cannot be an entity column.
    const withType: TableDef = { ...base, columns: [...base.columns, { name: 'Type', type: 'string' }], entityColumns: [{ column: 'Type', kind: 'host' }] };
    expect(caught(() => createCatalog().register(withType)).message).toContain('stored');
  });

  it('requires a string Type column on Sentinel tables and consistent Sentinel columns on Defender tables', () => {
    const sentinel: TableDef = { name: 'MyLogs', origin: 'sentinel', category: 'event', columns: columns('TimeGenerated:datetime TenantId') };
    expect(caught(() => createCatalog().register(sentinel)).message).toContain("'Type'");
    createCatalog().register({ ...sentinel, columns: columns('TimeGenerated:datetime TenantId Type') });
    const defender: TableDef = { name: 'MyEvents', origin: 'defender', category: 'event', columns: columns('Timestamp:datetime TimeGenerated:string') };
    expect(caught(() => createCatalog().register(defender)).message).toContain("'TimeGenerated' must be datetime");
    const extra: TableDef = { name: 'MyEvents', origin: 'defender', category: 'event', columns: columns('Timestamp:datetime A'), sentinelColumns: columns('a') };
    expect(caught(() => createCatalog().register(extra)).code).toBe('catalog/bad-column');
    expect(caught(() => createCatalog().register({ ...extra, sentinelColumns: columns('TenantId') })).message).toContain("must not list 'TenantId'");
    expect(caught(() => createCatalog().register({ ...sentinel, columns: columns('TimeGenerated:datetime Type'), sentinelColumns: columns('B') })).message).toContain('only Defender tables');
  });
});

describe('column-spec', () => {
  it('parses Name:type items, defaulting to string, and rejects bad types', () => {
    expect(columns('A B:long, C:dynamic')).toEqual([
      { name: 'A', type: 'string' }, { name: 'B', type: 'long' }, { name: 'C', type: 'dynamic' },
    ]);
    expect(caught(() => columns('A:boolean')).code).toBe('catalog/bad-type');
    expect(caught(() => columns('A-B')).code).toBe('catalog/bad-column');
  });
});
