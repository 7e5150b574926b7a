/**
 * Defender for Endpoint event tables (advanced hunting), columns in the documented order.
 * Source: MicrosoftDocs/defender-docs `defender-xdr/advanced-hunting-<table>-table.md`.
 */
import { columns, entities, initiatingAccount, initiatingRemoteSession, versionInfo } from '../column-spec.js';
import type { ColumnDef, EntityColumn, TableDef } from '../types.js';
import { defenderDoc } from './defender-doc.js';

const ipVersion = versionInfo('InitiatingProcess');

/**
 * The Azure Monitor reference of every Device* event table lists `MachineGroup` (the device's RBAC group),
 * which the Defender schema of these tables does not; Sentinel rules project it.
 */
const machineGroup: readonly ColumnDef[] = columns('MachineGroup');

/** Entity columns every Device* event table shares (device and initiating process). */
function initiatingEntities(extra: EntityColumn[] = []): EntityColumn[] {
  return [
    ...entities('device-id', 'DeviceId'),
    ...entities('host', 'DeviceName'),
    ...entities('sha1', 'InitiatingProcessSHA1'),
    ...entities('sha256', 'InitiatingProcessSHA256'),
    ...entities('md5', 'InitiatingProcessMD5'),
    ...entities('process', 'InitiatingProcessFileName'),
    ...entities('command-line', 'InitiatingProcessCommandLine'),
    ...entities('account', 'InitiatingProcessAccountName'),
    ...entities('sid', 'InitiatingProcessAccountSid'),
    ...entities('upn', 'InitiatingProcessAccountUpn'),
    ...extra,
  ];
}

const fileEntities = [
  ...entities('file-name', 'FileName'),
  ...entities('sha1', 'SHA1'),
  ...entities('sha256', 'SHA256'),
  ...entities('md5', 'MD5'),
];

export const DeviceNetworkEvents: TableDef = {
  name: 'DeviceNetworkEvents',
  origin: 'defender',
  category: 'event',
  description: 'Network connections and related events on devices.',
  timeColumn: 'Timestamp',
  source: defenderDoc('DeviceNetworkEvents'),
  sentinelColumns: machineGroup,
  columns: columns(`
    Timestamp:datetime DeviceId DeviceName ActionType RemoteIP RemotePort:int RemoteUrl LocalIP LocalPort:int Protocol
    LocalIPType RemoteIPType InitiatingProcessSHA1 InitiatingProcessSHA256 InitiatingProcessMD5 InitiatingProcessFileName
    InitiatingProcessFileSize:long ${ipVersion} InitiatingProcessId:long InitiatingProcessCommandLine
    InitiatingProcessCreationTime:datetime InitiatingProcessFolderPath InitiatingProcessParentFileName
    InitiatingProcessParentId:long InitiatingProcessParentCreationTime:datetime ${initiatingAccount}
    InitiatingProcessIntegrityLevel InitiatingProcessTokenElevation ReportId:long AppGuardContainerId AdditionalFields
    ${initiatingRemoteSession}
  `),
  entityColumns: initiatingEntities([
    ...entities('ip', 'RemoteIP', 'LocalIP', 'InitiatingProcessRemoteSessionIP'),
    // RemoteUrl holds a URL or a bare FQDN, so it takes both URL and domain indicators.
    ...entities('url', 'RemoteUrl'),
    ...entities('domain', 'RemoteUrl'),
  ]),
};

export const DeviceEvents: TableDef = {
  name: 'DeviceEvents',
  origin: 'defender',
  category: 'event',
  description: 'Miscellaneous device events: antivirus, exploit protection, firewall, SmartScreen and more.',
  timeColumn: 'Timestamp',
  source: defenderDoc('DeviceEvents'),
  sentinelColumns: machineGroup,
  columns: columns(`
    Timestamp:datetime DeviceId DeviceName ActionType FileName FolderPath SHA1 SHA256 MD5 FileSize:long
    AccountDomain AccountName AccountSid RemoteUrl RemoteDeviceName ProcessId:long ProcessCommandLine
    ProcessCreationTime:datetime ProcessTokenElevation LogonId:long RegistryKey RegistryValueName RegistryValueData
    RemoteIP RemotePort:int LocalIP LocalPort:int FileOriginUrl FileOriginIP
    InitiatingProcessSHA1 InitiatingProcessSHA256 InitiatingProcessMD5 InitiatingProcessFileName
    InitiatingProcessFileSize:long InitiatingProcessFolderPath InitiatingProcessId:long InitiatingProcessCommandLine
    InitiatingProcessCreationTime:datetime ${initiatingAccount} ${ipVersion}
    InitiatingProcessParentId:long InitiatingProcessParentFileName InitiatingProcessParentCreationTime:datetime
    InitiatingProcessLogonId:long ReportId:long AppGuardContainerId AdditionalFields ${initiatingRemoteSession}
    CreatedProcessSessionId:long IsProcessRemoteSession:bool ProcessRemoteSessionDeviceName ProcessRemoteSessionIP
  `),
  entityColumns: initiatingEntities([
    ...fileEntities,
    ...entities('ip', 'RemoteIP', 'LocalIP', 'FileOriginIP', 'InitiatingProcessRemoteSessionIP', 'ProcessRemoteSessionIP'),
    ...entities('url', 'RemoteUrl', 'FileOriginUrl'),
    ...entities('domain', 'RemoteUrl'),
    ...entities('host', 'RemoteDeviceName'),
    ...entities('account', 'AccountName'),
    ...entities('sid', 'AccountSid'),
    ...entities('command-line', 'ProcessCommandLine'),
  ]),
};

export const DeviceFileEvents: TableDef = {
  name: 'DeviceFileEvents',
  origin: 'defender',
  category: 'event',
  description: 'File creation, modification and other file system events.',
  timeColumn: 'Timestamp',
  source: defenderDoc('DeviceFileEvents'),
  sentinelColumns: machineGroup,
  columns: columns(`
    Timestamp:datetime DeviceId DeviceName ActionType FileName FolderPath SHA1 SHA256 MD5 FileOriginUrl
    FileOriginReferrerUrl FileOriginIP PreviousFolderPath PreviousFileName FileSize:long ${initiatingAccount}
    InitiatingProcessMD5 InitiatingProcessSHA1 InitiatingProcessSHA256 InitiatingProcessFolderPath
    InitiatingProcessFileName InitiatingProcessFileSize:long ${ipVersion} InitiatingProcessId:long
    InitiatingProcessCommandLine InitiatingProcessCreationTime:datetime InitiatingProcessIntegrityLevel
    InitiatingProcessTokenElevation InitiatingProcessParentId:long InitiatingProcessParentFileName
    InitiatingProcessParentCreationTime:datetime RequestProtocol RequestSourceIP RequestSourcePort:int
    RequestAccountName RequestAccountDomain RequestAccountSid ShareName SensitivityLabel SensitivitySubLabel
    IsAzureInfoProtectionApplied:bool ReportId:long AppGuardContainerId AdditionalFields ${initiatingRemoteSession}
  `),
  entityColumns: initiatingEntities([
    ...fileEntities,
    ...entities('url', 'FileOriginUrl', 'FileOriginReferrerUrl'),
    ...entities('ip', 'FileOriginIP', 'RequestSourceIP', 'InitiatingProcessRemoteSessionIP'),
    ...entities('account', 'RequestAccountName'),
    ...entities('sid', 'RequestAccountSid'),
  ]),
};

export const DeviceProcessEvents: TableDef = {
  name: 'DeviceProcessEvents',
  origin: 'defender',
  category: 'event',
  description: 'Process creation and related events.',
  timeColumn: 'Timestamp',
  source: defenderDoc('DeviceProcessEvents'),
  sentinelColumns: machineGroup,
  columns: columns(`
    Timestamp:datetime DeviceId DeviceName ActionType FileName FolderPath SHA1 SHA256 MD5 FileSize:long
    ${versionInfo('Process')} ProcessId:long ProcessCommandLine ProcessIntegrityLevel ProcessTokenElevation
    ProcessCreationTime:datetime AccountDomain AccountName AccountSid AccountUpn AccountObjectId LogonId:long
    ${initiatingAccount} InitiatingProcessLogonId:long InitiatingProcessIntegrityLevel InitiatingProcessTokenElevation
    InitiatingProcessSHA1 InitiatingProcessSHA256 InitiatingProcessMD5 InitiatingProcessFileName
    InitiatingProcessFileSize:long ${ipVersion} InitiatingProcessId:long InitiatingProcessCommandLine
    InitiatingProcessCreationTime:datetime InitiatingProcessFolderPath InitiatingProcessParentId:long
    InitiatingProcessParentFileName InitiatingProcessParentCreationTime:datetime InitiatingProcessSignerType
    InitiatingProcessSignatureStatus ReportId:long AppGuardContainerId AdditionalFields
  `),
  entityColumns: initiatingEntities([
    ...fileEntities,
    ...entities('process', 'FileName'),
    ...entities('command-line', 'ProcessCommandLine'),
    ...entities('account', 'AccountName'),
    ...entities('sid', 'AccountSid'),
    ...entities('upn', 'AccountUpn'),
  ]),
};

export const DeviceLogonEvents: TableDef = {
  name: 'DeviceLogonEvents',
  origin: 'defender',
  category: 'event',
  description: 'User logons and other authentication events on devices.',
  timeColumn: 'Timestamp',
  source: defenderDoc('DeviceLogonEvents'),
  sentinelColumns: machineGroup,
  columns: columns(`
    Timestamp:datetime DeviceId DeviceName ActionType LogonType AccountDomain AccountName AccountSid Protocol
    FailureReason IsLocalAdmin:bool LogonId:long RemoteDeviceName RemoteIP RemoteIPType RemotePort:int
    ${initiatingAccount} InitiatingProcessIntegrityLevel InitiatingProcessTokenElevation InitiatingProcessSHA1
    InitiatingProcessSHA256 InitiatingProcessMD5 InitiatingProcessFileName InitiatingProcessFileSize:long ${ipVersion}
    InitiatingProcessId:long InitiatingProcessCommandLine InitiatingProcessCreationTime:datetime
    InitiatingProcessFolderPath InitiatingProcessParentId:long InitiatingProcessParentFileName
    InitiatingProcessParentCreationTime:datetime ReportId:long AppGuardContainerId AdditionalFields
    ${initiatingRemoteSession}
  `),
  entityColumns: initiatingEntities([
    ...entities('ip', 'RemoteIP', 'InitiatingProcessRemoteSessionIP'),
    ...entities('host', 'RemoteDeviceName'),
    ...entities('account', 'AccountName'),
    ...entities('sid', 'AccountSid'),
  ]),
};

export const DeviceRegistryEvents: TableDef = {
  name: 'DeviceRegistryEvents',
  origin: 'defender',
  category: 'event',
  description: 'Creation and modification of registry entries.',
  timeColumn: 'Timestamp',
  source: defenderDoc('DeviceRegistryEvents'),
  sentinelColumns: machineGroup,
  columns: columns(`
    Timestamp:datetime DeviceId DeviceName ActionType RegistryKey RegistryValueType RegistryValueName
    RegistryValueData PreviousRegistryKey PreviousRegistryValueName PreviousRegistryValueData ${initiatingAccount}
    InitiatingProcessSHA1 InitiatingProcessSHA256 InitiatingProcessMD5 InitiatingProcessFileName
    InitiatingProcessFileSize:long ${ipVersion} InitiatingProcessId:long InitiatingProcessCommandLine
    InitiatingProcessCreationTime:datetime InitiatingProcessFolderPath InitiatingProcessParentId:long
    InitiatingProcessParentFileName InitiatingProcessParentCreationTime:datetime InitiatingProcessIntegrityLevel
    InitiatingProcessTokenElevation ReportId:long AppGuardContainerId ${initiatingRemoteSession}
  `),
  entityColumns: initiatingEntities(entities('ip', 'InitiatingProcessRemoteSessionIP')),
};

export const DeviceImageLoadEvents: TableDef = {
  name: 'DeviceImageLoadEvents',
  origin: 'defender',
  category: 'event',
  description: 'DLL loading events.',
  timeColumn: 'Timestamp',
  source: defenderDoc('DeviceImageLoadEvents'),
  sentinelColumns: machineGroup,
  columns: columns(`
    Timestamp:datetime DeviceId DeviceName ActionType FileName FolderPath SHA1 SHA256 MD5 FileSize:long
    ${initiatingAccount} InitiatingProcessIntegrityLevel InitiatingProcessTokenElevation InitiatingProcessSHA1
    InitiatingProcessSHA256 InitiatingProcessMD5 InitiatingProcessFileName InitiatingProcessFileSize:long ${ipVersion}
    InitiatingProcessId:long InitiatingProcessCommandLine InitiatingProcessCreationTime:datetime
    InitiatingProcessFolderPath InitiatingProcessParentId:long InitiatingProcessParentFileName
    InitiatingProcessParentCreationTime:datetime ReportId:long AppGuardContainerId
  `),
  entityColumns: initiatingEntities(fileEntities),
};

export const defenderDeviceEventTables: readonly TableDef[] = [
  DeviceNetworkEvents, DeviceEvents, DeviceFileEvents, DeviceProcessEvents, DeviceLogonEvents,
  DeviceRegistryEvents, DeviceImageLoadEvents,
];
