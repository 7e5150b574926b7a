/** The catalog's column names and KQL types, in order, against hand-typed published schemas. */
import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../../src/catalog/catalog.js';
import { publishedSchemas } from './published-schemas.js';

describe('catalog schemas match Microsoft published schemas', () => {
  const catalog = defaultCatalog();
  for (const [table, expected] of Object.entries(publishedSchemas)) {
    it(`${table}: names and types in published order`, () => {
      const actual = catalog.getTable(table).columns.map((c) => `${c.name}:${c.type}`);
      expect(actual).toEqual(expected);
    });
  }

  it('ReportId is long in Device tables and string in Email, Url and Identity tables', () => {
    const reportIdType = (t: string) => catalog.getTable(t).columns.find((c) => c.name === 'ReportId')?.type;
    for (const t of ['DeviceNetworkEvents', 'DeviceEvents', 'DeviceFileEvents', 'DeviceProcessEvents', 'DeviceInfo']) {
      expect(reportIdType(t), t).toBe('long');
    }
    for (const t of ['EmailEvents', 'EmailUrlInfo', 'UrlClickEvents', 'IdentityQueryEvents', 'IdentityLogonEvents']) {
      expect(reportIdType(t), t).toBe('string');
    }
  });

  it('holds the required Defender tables with Timestamp and Sentinel tables with TimeGenerated, TenantId and Type', () => {
    const defender = [
      'EmailEvents', 'EmailUrlInfo', 'EmailAttachmentInfo', 'EmailPostDeliveryEvents', 'UrlClickEvents',
      'DeviceNetworkEvents', 'DeviceEvents', 'DeviceFileEvents', 'DeviceProcessEvents', 'DeviceLogonEvents',
      'DeviceInfo', 'DeviceNetworkInfo', 'DeviceRegistryEvents', 'DeviceImageLoadEvents', 'DeviceFileCertificateInfo',
      'IdentityQueryEvents', 'IdentityLogonEvents', 'IdentityDirectoryEvents', 'IdentityInfo', 'CloudAppEvents',
      'AlertInfo', 'AlertEvidence',
    ];
    // The TVM inventories are snapshots: the published schemas have no time column.
    const defenderTimeless = [
      'DeviceTvmSoftwareVulnerabilities', 'DeviceTvmSoftwareVulnerabilitiesKB', 'DeviceTvmSoftwareInventory',
      'DeviceTvmBrowserExtensions',
    ];
    const sentinel = [
      'DnsEvents', 'CommonSecurityLog', 'Syslog', 'SecurityEvent', 'SigninLogs', 'AuditLogs', 'OfficeActivity',
      'AzureActivity', 'SecurityAlert', 'SecurityIncident', 'ThreatIntelligenceIndicator', 'ThreatIntelIndicators',
      'ThreatIntelObjects',
    ];
    for (const t of defender) {
      const def = catalog.getTable(t);
      expect(def.origin, t).toBe('defender');
      expect(def.timeColumn, t).toBe('Timestamp');
    }
    for (const t of defenderTimeless) {
      const def = catalog.getTable(t);
      expect(def.origin, t).toBe('defender');
      expect(def.timeColumn, t).toBeUndefined();
      expect(def.columns.some((c) => c.type === 'datetime' && c.name === 'Timestamp'), t).toBe(false);
    }
    for (const t of sentinel) {
      const def = catalog.getTable(t);
      const names = def.columns.map((c) => c.name);
      expect(def.origin, t).toBe('sentinel');
      expect(def.timeColumn, t).toBe('TimeGenerated');
      expect(names, t).toEqual(expect.arrayContaining(['TimeGenerated', 'TenantId', 'Type']));
    }
  });

  it('sets category and source on every Microsoft table', () => {
    // Quarry's own tables (explorer data sets, ingest bookkeeping) have no Microsoft doc page.
    for (const def of catalog.listTables().filter((d) => d.origin !== 'quarry')) {
      expect(['event', 'indicator', 'alert'], def.name).toContain(def.category);
      expect(def.source, def.name).toMatch(/^https:\/\//);
    }
    expect(catalog.getTable('ThreatIntelligenceIndicator').category).toBe('indicator');
    expect(catalog.getTable('SecurityAlert').category).toBe('alert');
    expect(catalog.getTable('DeviceNetworkEvents').category).toBe('event');
  });
});
