/** Defender and Sentinel views of a table and their mapping onto the stored columns. */
import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../../src/catalog/catalog.js';
import type { TableDef } from '../../src/catalog/types.js';
import { physicalColumns, viewTable } from '../../src/catalog/views.js';

const catalog = defaultCatalog();
const names = (cols: readonly { name: string }[]) => cols.map((c) => c.name);

describe('views of a Defender table (DeviceNetworkEvents)', () => {
  const def = catalog.getTable('DeviceNetworkEvents');

  it('stores the Defender columns plus TenantId, TimeGenerated, SourceSystem and MachineGroup, not Type', () => {
    const physical = physicalColumns(def);
    expect(names(physical).slice(0, def.columns.length)).toEqual(names(def.columns));
    expect(physical.slice(def.columns.length).map((c) => `${c.name}:${c.type}`)).toEqual([
      'TenantId:string', 'TimeGenerated:datetime', 'SourceSystem:string', 'MachineGroup:string',
    ]);
    expect(names(physical)).not.toContain('Type');
  });

  it('Defender view is the documented column list, starting with Timestamp', () => {
    const v = viewTable(def, 'defender');
    expect(v.view).toBe('defender');
    expect(v.columns[0]).toMatchObject({ name: 'Timestamp', type: 'datetime' });
    expect(names(v.columns)).toEqual(names(def.columns));
    expect(v.timeColumn).toBe('Timestamp');
    expect(names(v.columns)).not.toContain('TimeGenerated');
    expect(names(v.columns)).not.toContain('TenantId');
  });

  it('Sentinel view adds TenantId, TimeGenerated, SourceSystem, MachineGroup and Type, in Azure Monitor (alphabetical) order', () => {
    const v = viewTable(def, 'sentinel');
    const n = names(v.columns);
    expect(n).toEqual(expect.arrayContaining(['TenantId', 'TimeGenerated', 'Timestamp', 'SourceSystem', 'Type', 'MachineGroup']));
    expect(n).toHaveLength(def.columns.length + 5);
    expect(n.indexOf('MachineGroup')).toBe(n.indexOf('LocalPort') + 1);
    expect(names(viewTable(def, 'defender').columns)).not.toContain('MachineGroup');
    expect(v.timeColumn).toBe('TimeGenerated');
    // Published order of the Azure Monitor reference: ActionType first, then ... SourceSystem, TenantId,
    // TimeGenerated, Timestamp, Type at the end.
    expect(n[0]).toBe('ActionType');
    expect(n.slice(-5)).toEqual(['SourceSystem', 'TenantId', 'TimeGenerated', 'Timestamp', 'Type']);
    expect(n.indexOf('InitiatingProcessIntegrityLevel')).toBe(n.indexOf('InitiatingProcessMD5') - 1);
    expect(v.columns.find((c) => c.name === 'TimeGenerated')?.type).toBe('datetime');
  });

  it('every mapping points at a stored column, except Type which is the table name', () => {
    const stored = new Set(names(physicalColumns(def)));
    for (const view of ['defender', 'sentinel'] as const) {
      const v = viewTable(def, view);
      expect(Object.keys(v.mapping).sort()).toEqual(names(v.columns).sort());
      for (const [col, m] of Object.entries(v.mapping)) {
        if ('constant' in m) {
          expect(col).toBe('Type');
          expect(m.constant).toBe('DeviceNetworkEvents');
        } else {
          expect(stored.has(m.physical), `${view}.${col} -> ${m.physical}`).toBe(true);
          expect(m.physical).toBe(col);
        }
      }
    }
  });
});

describe('views of Sentinel tables', () => {
  it('look the same in both views; Type is a constant and not stored', () => {
    for (const name of ['ThreatIntelligenceIndicator', 'DnsEvents', 'SecurityAlert']) {
      const def = catalog.getTable(name);
      const d = viewTable(def, 'defender');
      const s = viewTable(def, 'sentinel');
      expect(d.columns).toEqual(s.columns);
      expect(d.mapping).toEqual(s.mapping);
      expect(d.timeColumn).toBe('TimeGenerated');
      expect(s.mapping['Type']).toEqual({ constant: name });
      expect(names(physicalColumns(def))).not.toContain('Type');
      expect(physicalColumns(def)).toHaveLength(def.columns.length - 1);
    }
  });
});

describe('Defender tables that document Sentinel-like columns themselves', () => {
  it('IdentityInfo stores TenantId and SourceSystem once and keeps its own Type column', () => {
    const def = catalog.getTable('IdentityInfo');
    const physical = names(physicalColumns(def));
    expect(physical.filter((n) => n === 'TenantId')).toHaveLength(1);
    expect(physical.filter((n) => n === 'SourceSystem')).toHaveLength(1);
    expect(physical).toContain('TimeGenerated');
    expect(physical).toContain('Type');
    expect(viewTable(def, 'defender').mapping['Type']).toEqual({ physical: 'Type' });
    const sentinel = viewTable(def, 'sentinel');
    expect(sentinel.mapping['Type']).toEqual({ constant: 'IdentityInfo' });
    expect(names(sentinel.columns).filter((n) => n === 'Type')).toHaveLength(1);
  });

  it('a timeless Defender table gets TimeGenerated as its Sentinel time column', () => {
    const def = catalog.getTable('DeviceTvmSoftwareInventory');
    expect(viewTable(def, 'defender').timeColumn).toBeUndefined();
    expect(viewTable(def, 'sentinel').timeColumn).toBe('TimeGenerated');
  });
});

describe('Quarry tables', () => {
  it('are the same in both views and stored without Type', () => {
    const def: TableDef = {
      name: 'HostPairs', origin: 'quarry', category: 'explorer', timeColumn: 'FirstSeen',
      columns: [
        { name: 'ParentHost', type: 'string' }, { name: 'ChildHost', type: 'string' },
        { name: 'FirstSeen', type: 'datetime' }, { name: 'Type', type: 'string' },
      ],
    };
    expect(names(physicalColumns(def))).toEqual(['ParentHost', 'ChildHost', 'FirstSeen']);
    expect(viewTable(def, 'defender').columns).toEqual(viewTable(def, 'sentinel').columns);
    expect(viewTable(def, 'sentinel').mapping['Type']).toEqual({ constant: 'HostPairs' });
  });
});
