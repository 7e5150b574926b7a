/**
 * Defender XDR alert tables (advanced hunting): AlertInfo, AlertEvidence and the retired
 * DeviceAlertEvents (replaced by the first two, still read by older community queries).
 * Source: MicrosoftDocs/defender-docs `defender-xdr/advanced-hunting-<table>-table.md`;
 * DeviceAlertEvents: MicrosoftDocs/windows-itpro-docs (Defender ATP advanced hunting reference, 2020).
 */
import { columns, entities } from '../column-spec.js';
import type { TableDef } from '../types.js';
import { defenderDoc } from './defender-doc.js';

export const AlertInfo: TableDef = {
  name: 'AlertInfo',
  origin: 'defender',
  category: 'alert',
  description: 'Alerts from Defender for Endpoint, Office 365, Cloud Apps and Identity.',
  timeColumn: 'Timestamp',
  source: defenderDoc('AlertInfo'),
  columns: columns('Timestamp:datetime AlertId Title Category Severity ServiceSource DetectionSource AttackTechniques'),
};

export const AlertEvidence: TableDef = {
  name: 'AlertEvidence',
  origin: 'defender',
  category: 'alert',
  description: 'Entities (files, IPs, URLs, users, devices, mail) associated with alerts.',
  timeColumn: 'Timestamp',
  source: defenderDoc('AlertEvidence'),
  columns: columns(`
    Timestamp:datetime AlertId Title Categories AttackTechniques ServiceSource DetectionSource EntityType
    EvidenceRole EvidenceDirection FileName FolderPath SHA1 SHA256 FileSize:long ThreatFamily RemoteIP RemoteUrl
    AccountName AccountDomain AccountSid AccountObjectId AccountUpn DeviceId DeviceName LocalIP NetworkMessageId
    EmailSubject Application ApplicationId:int OAuthApplicationId ProcessCommandLine RegistryKey RegistryValueName
    RegistryValueData AdditionalFields Severity CloudResource CloudPlatform ResourceType ResourceID SubscriptionId
  `),
  entityColumns: [
    ...entities('file-name', 'FileName'),
    ...entities('sha1', 'SHA1'),
    ...entities('sha256', 'SHA256'),
    ...entities('ip', 'RemoteIP', 'LocalIP'),
    ...entities('url', 'RemoteUrl'),
    ...entities('domain', 'RemoteUrl'),
    ...entities('account', 'AccountName'),
    ...entities('sid', 'AccountSid'),
    ...entities('upn', 'AccountUpn'),
    ...entities('device-id', 'DeviceId'),
    ...entities('host', 'DeviceName'),
    ...entities('command-line', 'ProcessCommandLine'),
  ],
};

export const DeviceAlertEvents: TableDef = {
  name: 'DeviceAlertEvents',
  origin: 'defender',
  category: 'alert',
  description: 'Retired Defender for Endpoint alert table (replaced by AlertInfo and AlertEvidence).',
  timeColumn: 'Timestamp',
  source: 'https://github.com/MicrosoftDocs/windows-itpro-docs/blob/public/windows/security/threat-protection/microsoft-defender-atp/advanced-hunting-devicealertevents-table.md',
  columns: columns(`
    AlertId Timestamp:datetime DeviceId DeviceName Severity Category Title FileName SHA1 RemoteUrl RemoteIP
    AttackTechniques ReportId:long Table
  `),
  entityColumns: [
    ...entities('device-id', 'DeviceId'),
    ...entities('host', 'DeviceName'),
    ...entities('file-name', 'FileName'),
    ...entities('sha1', 'SHA1'),
    ...entities('url', 'RemoteUrl'),
    ...entities('domain', 'RemoteUrl'),
    ...entities('ip', 'RemoteIP'),
  ],
};

export const defenderAlertTables: readonly TableDef[] = [AlertInfo, AlertEvidence, DeviceAlertEvents];
