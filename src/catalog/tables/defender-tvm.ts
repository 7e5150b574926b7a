/**
 * Defender Vulnerability Management tables (advanced hunting). Most are snapshots without a time column.
 * Source: MicrosoftDocs/defender-docs `defender-xdr/advanced-hunting-<table>-table.md`.
 */
import { columns, entities } from '../column-spec.js';
import type { TableDef } from '../types.js';
import { defenderDoc } from './defender-doc.js';

const deviceEntities = [...entities('device-id', 'DeviceId'), ...entities('host', 'DeviceName')];

export const DeviceTvmSoftwareVulnerabilities: TableDef = {
  name: 'DeviceTvmSoftwareVulnerabilities',
  origin: 'defender',
  category: 'event',
  description: 'Vulnerabilities (CVEs) of installed software per device, with recommended updates.',
  source: defenderDoc('DeviceTvmSoftwareVulnerabilities'),
  columns: columns(`
    DeviceId DeviceName OSPlatform OSVersion OSArchitecture SoftwareVendor SoftwareName SoftwareVersion CveId
    VulnerabilitySeverityLevel RecommendedSecurityUpdate RecommendedSecurityUpdateId CveTags:dynamic
  `),
  entityColumns: deviceEntities,
};

export const DeviceTvmSoftwareVulnerabilitiesKB: TableDef = {
  name: 'DeviceTvmSoftwareVulnerabilitiesKB',
  origin: 'defender',
  category: 'event',
  description: 'Knowledge base of vulnerabilities that Defender Vulnerability Management assesses devices for.',
  source: defenderDoc('DeviceTvmSoftwareVulnerabilitiesKB'),
  columns: columns(`
    CveId CvssScore IsExploitAvailable:bool VulnerabilitySeverityLevel LastModifiedTime:datetime
    PublishedDate:datetime VulnerabilityDescription AffectedSoftware:dynamic
  `),
};

export const DeviceTvmSoftwareInventory: TableDef = {
  name: 'DeviceTvmSoftwareInventory',
  origin: 'defender',
  category: 'event',
  description: 'Software installed on devices, with end-of-support information.',
  source: defenderDoc('DeviceTvmSoftwareInventory'),
  columns: columns(`
    DeviceId DeviceName OSPlatform OSVersion OSArchitecture SoftwareVendor SoftwareName SoftwareVersion
    EndOfSupportStatus EndOfSupportDate:datetime ProductCodeCpe
  `),
  entityColumns: deviceEntities,
};

export const DeviceTvmBrowserExtensions: TableDef = {
  name: 'DeviceTvmBrowserExtensions',
  origin: 'defender',
  category: 'event',
  description: 'Browser extensions installed on devices.',
  source: defenderDoc('DeviceTvmBrowserExtensions'),
  columns: columns(`
    DeviceId BrowserName ExtensionId ExtensionName ExtensionDescription ExtensionVersion ExtensionRisk
    ExtensionVendor IsActivated InstallationTime:datetime
  `),
  entityColumns: entities('device-id', 'DeviceId'),
};

export const DeviceTvmSecureConfigurationAssessment: TableDef = {
  name: 'DeviceTvmSecureConfigurationAssessment',
  origin: 'defender',
  category: 'event',
  description: 'Security configuration assessment results per device.',
  timeColumn: 'Timestamp',
  source: defenderDoc('DeviceTvmSecureConfigurationAssessment'),
  columns: columns(`
    DeviceId DeviceName OSPlatform Timestamp:datetime ConfigurationId ConfigurationCategory ConfigurationSubcategory
    ConfigurationImpact:real IsCompliant:bool IsApplicable:bool Context:dynamic IsExpectedUserImpact:bool
  `),
  entityColumns: deviceEntities,
};

export const defenderTvmTables: readonly TableDef[] = [
  DeviceTvmSoftwareVulnerabilities, DeviceTvmSoftwareVulnerabilitiesKB, DeviceTvmSoftwareInventory,
  DeviceTvmBrowserExtensions, DeviceTvmSecureConfigurationAssessment,
];
