/**
 * Defender for Endpoint device state tables (advanced hunting): device inventory, network adapters and
 * file signing certificates. Source: MicrosoftDocs/defender-docs `defender-xdr/advanced-hunting-<table>-table.md`.
 */
import { columns, entities } from '../column-spec.js';
import type { TableDef } from '../types.js';
import { defenderDoc } from './defender-doc.js';

export const DeviceInfo: TableDef = {
  name: 'DeviceInfo',
  origin: 'defender',
  category: 'event',
  description: 'Device inventory from periodic device reports: OS, agent version, public IP, logged-on users.',
  timeColumn: 'Timestamp',
  source: defenderDoc('DeviceInfo'),
  columns: columns(`
    Timestamp:datetime DeviceId DeviceName ClientVersion PublicIP OSArchitecture OSPlatform OSBuild:long
    IsAzureADJoined:bool JoinType AadDeviceId LoggedOnUsers RegistryDeviceTag OSVersion MachineGroup ReportId:long
    OnboardingStatus AdditionalFields DeviceCategory DeviceType DeviceSubtype Model Vendor OSDistribution
    OSVersionInfo MergedDeviceIds MergedToDeviceId IsInternetFacing:bool SensorHealthState IsExcluded:bool
    ExclusionReason ExposureLevel AssetValue DeviceManualTags DeviceDynamicTags ConnectivityType HostDeviceId
  `),
  entityColumns: [...entities('device-id', 'DeviceId'), ...entities('host', 'DeviceName'), ...entities('ip', 'PublicIP')],
};

export const DeviceNetworkInfo: TableDef = {
  name: 'DeviceNetworkInfo',
  origin: 'defender',
  category: 'event',
  description: 'Network adapter configuration of devices: IP and MAC addresses, DNS servers, connected networks.',
  timeColumn: 'Timestamp',
  source: defenderDoc('DeviceNetworkInfo'),
  columns: columns(`
    Timestamp:datetime DeviceId DeviceName NetworkAdapterName MacAddress NetworkAdapterType NetworkAdapterStatus
    TunnelType ConnectedNetworks DnsAddresses IPv4Dhcp IPv6Dhcp DefaultGateways IPAddresses ReportId:long
    NetworkAdapterVendor
  `),
  entityColumns: [
    ...entities('device-id', 'DeviceId'),
    ...entities('host', 'DeviceName'),
    ...entities('ip', 'IPv4Dhcp', 'IPv6Dhcp'),
  ],
};

export const DeviceFileCertificateInfo: TableDef = {
  name: 'DeviceFileCertificateInfo',
  origin: 'defender',
  category: 'event',
  description: 'File signing certificate information from certificate verification on endpoints.',
  timeColumn: 'Timestamp',
  source: defenderDoc('DeviceFileCertificateInfo'),
  columns: columns(`
    Timestamp:datetime DeviceId DeviceName SHA1 IsSigned:bool SignatureType Signer SignerHash Issuer IssuerHash
    CertificateSerialNumber CrlDistributionPointUrls CertificateCreationTime:datetime
    CertificateExpirationTime:datetime CertificateCountersignatureTime:datetime IsTrusted:bool
    IsRootSignerMicrosoft:bool ReportId:long
  `),
  entityColumns: [...entities('device-id', 'DeviceId'), ...entities('host', 'DeviceName'), ...entities('sha1', 'SHA1')],
};

export const defenderDeviceInfoTables: readonly TableDef[] = [DeviceInfo, DeviceNetworkInfo, DeviceFileCertificateInfo];
