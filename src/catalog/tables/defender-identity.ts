/**
 * Defender for Identity tables (advanced hunting): AD queries (including DNS queries seen on domain
 * controllers), authentications, directory events and the identity inventory.
 * Source: MicrosoftDocs/defender-docs `defender-xdr/advanced-hunting-<table>-table.md`.
 */
import { columns, entities } from '../column-spec.js';
import type { EntityColumn, TableDef } from '../types.js';
import { defenderDoc } from './defender-doc.js';

const accountEntities: EntityColumn[] = [
  ...entities('account', 'AccountName'),
  ...entities('upn', 'AccountUpn'),
  ...entities('sid', 'AccountSid'),
];

export const IdentityQueryEvents: TableDef = {
  name: 'IdentityQueryEvents',
  origin: 'defender',
  category: 'event',
  description: 'Queries for Active Directory objects and DNS queries seen by Defender for Identity.',
  timeColumn: 'Timestamp',
  source: defenderDoc('IdentityQueryEvents'),
  columns: columns(`
    Timestamp:datetime ActionType Application QueryType QueryTarget Query Protocol AccountName AccountDomain
    AccountUpn AccountSid AccountObjectId AccountDisplayName DeviceName IPAddress Port:int DestinationDeviceName
    DestinationIPAddress DestinationPort:int TargetDeviceName TargetAccountUpn TargetAccountDisplayName Location
    ReportId AdditionalFields:dynamic
  `),
  entityColumns: [
    ...accountEntities,
    // For DNS queries QueryTarget is the queried name, so domain indicators match it.
    ...entities('domain', 'QueryTarget'),
    ...entities('host', 'DeviceName', 'DestinationDeviceName', 'TargetDeviceName'),
    ...entities('ip', 'IPAddress', 'DestinationIPAddress'),
    ...entities('upn', 'TargetAccountUpn'),
  ],
};

export const IdentityLogonEvents: TableDef = {
  name: 'IdentityLogonEvents',
  origin: 'defender',
  category: 'event',
  description: 'Authentication events from on-premises AD (Defender for Identity) and Microsoft online services.',
  timeColumn: 'Timestamp',
  source: defenderDoc('IdentityLogonEvents'),
  columns: columns(`
    Timestamp:datetime ActionType Application LogonType Protocol FailureReason AccountName AccountDomain AccountUpn
    AccountSid AccountObjectId AccountDisplayName DeviceName DeviceType OSPlatform IPAddress Port:int
    DestinationDeviceName DestinationIPAddress DestinationPort:int TargetDeviceName TargetAccountDisplayName
    Location Isp ReportId AdditionalFields:dynamic
  `),
  entityColumns: [
    ...accountEntities,
    ...entities('host', 'DeviceName', 'DestinationDeviceName', 'TargetDeviceName'),
    ...entities('ip', 'IPAddress', 'DestinationIPAddress'),
  ],
};

export const IdentityDirectoryEvents: TableDef = {
  name: 'IdentityDirectoryEvents',
  origin: 'defender',
  category: 'event',
  description: 'Domain controller and Active Directory events (password changes, group changes, ...).',
  timeColumn: 'Timestamp',
  source: defenderDoc('IdentityDirectoryEvents'),
  columns: columns(`
    Timestamp:datetime ActionType Application TargetAccountUpn TargetAccountDisplayName TargetDeviceName
    DestinationDeviceName DestinationIPAddress DestinationPort:int Protocol AccountName AccountDomain AccountUpn
    AccountSid AccountObjectId AccountDisplayName DeviceName IPAddress Port:int Location ISP ReportId
    AdditionalFields:dynamic
  `),
  entityColumns: [
    ...accountEntities,
    ...entities('upn', 'TargetAccountUpn'),
    ...entities('host', 'DeviceName', 'DestinationDeviceName', 'TargetDeviceName'),
    ...entities('ip', 'IPAddress', 'DestinationIPAddress'),
  ],
};

/**
 * The 2024 published IdentityInfo schema. It documents its own `Type` (identity type), `TenantId` and
 * `SourceSystem` columns; `views.ts` keeps them as stored columns, and the Sentinel view's `Type` is
 * still the table name as in every Log Analytics table.
 */
export const IdentityInfo: TableDef = {
  name: 'IdentityInfo',
  origin: 'defender',
  category: 'event',
  description: 'User account inventory from Entra ID, Active Directory and Defender for Identity.',
  timeColumn: 'Timestamp',
  source: defenderDoc('IdentityInfo'),
  columns: columns(`
    Timestamp:datetime ReportId AccountObjectId AccountUpn OnPremSid AccountDisplayName AccountName AccountDomain
    Type DistinguishedName CloudSid GivenName Surname Department JobTitle EmailAddress SipProxyAddress Address City
    Country IsAccountEnabled:bool Manager Phone CreatedDateTime:datetime SourceProvider ChangeSource Tags:dynamic
    AssignedRoles:dynamic PrivilegedEntraPimRoles:dynamic TenantId SourceSystem
  `),
  entityColumns: [
    ...entities('account', 'AccountName'),
    ...entities('upn', 'AccountUpn'),
    ...entities('sid', 'OnPremSid', 'CloudSid'),
    ...entities('email', 'EmailAddress'),
  ],
};

export const defenderIdentityTables: readonly TableDef[] = [
  IdentityQueryEvents, IdentityLogonEvents, IdentityDirectoryEvents, IdentityInfo,
];
