/**
 * Sentinel network and host log tables: DNS server events, CEF (CommonSecurityLog) and Syslog.
 * Columns in the Azure Monitor reference order (alphabetical), hidden `_`-columns left out.
 * `TenantId` is a standard column of every Log Analytics table; where a page does not list it, it is
 * added at its alphabetical place.
 * Source: MicrosoftDocs/azure-reference-other `azure-monitor-ref/tables/includes/<table>-include.md`.
 */
import { columns, entities } from '../column-spec.js';
import type { TableDef } from '../types.js';
import { azureMonitorDoc } from './defender-doc.js';

export const DnsEvents: TableDef = {
  name: 'DnsEvents',
  origin: 'sentinel',
  category: 'event',
  description: 'DNS server events: lookups (SubType LookupQuery) with client IP, queried name and answers.',
  timeColumn: 'TimeGenerated',
  source: azureMonitorDoc('DnsEvents'),
  columns: columns(`
    ClientIP Computer Confidence Description EventId:int IndicatorThreatType IPAddresses MaliciousIP Message Name
    QueryType RemoteIPCountry RemoteIPLatitude:real RemoteIPLongitude:real Result ResultCode:int Severity:int
    SourceSystem SubType TaskCategory TenantId TimeGenerated:datetime Type
  `),
  entityColumns: [
    ...entities('ip', 'ClientIP', 'IPAddresses', 'MaliciousIP'),
    ...entities('domain', 'Name'),
    ...entities('host', 'Computer'),
  ],
};

export const CommonSecurityLog: TableDef = {
  name: 'CommonSecurityLog',
  origin: 'sentinel',
  category: 'event',
  description: 'Common Event Format (CEF) events from firewalls, proxies and other network devices.',
  timeColumn: 'TimeGenerated',
  source: azureMonitorDoc('CommonSecurityLog'),
  columns: columns(`
    Activity AdditionalExtensions ApplicationProtocol CollectorHostName CommunicationDirection Computer
    DestinationDnsDomain DestinationHostName DestinationIP DestinationMACAddress DestinationNTDomain
    DestinationPort:int DestinationProcessId:int DestinationProcessName DestinationServiceName
    DestinationTranslatedAddress DestinationTranslatedPort:int DestinationUserID DestinationUserName
    DestinationUserPrivileges DeviceAction DeviceAddress DeviceCustomDate1 DeviceCustomDate1Label DeviceCustomDate2
    DeviceCustomDate2Label DeviceCustomFloatingPoint1:real DeviceCustomFloatingPoint1Label
    DeviceCustomFloatingPoint2:real DeviceCustomFloatingPoint2Label DeviceCustomFloatingPoint3:real
    DeviceCustomFloatingPoint3Label DeviceCustomFloatingPoint4:real DeviceCustomFloatingPoint4Label
    DeviceCustomIPv6Address1 DeviceCustomIPv6Address1Label DeviceCustomIPv6Address2 DeviceCustomIPv6Address2Label
    DeviceCustomIPv6Address3 DeviceCustomIPv6Address3Label DeviceCustomIPv6Address4 DeviceCustomIPv6Address4Label
    DeviceCustomNumber1:int DeviceCustomNumber1Label DeviceCustomNumber2:int DeviceCustomNumber2Label
    DeviceCustomNumber3:int DeviceCustomNumber3Label DeviceCustomString1 DeviceCustomString1Label DeviceCustomString2
    DeviceCustomString2Label DeviceCustomString3 DeviceCustomString3Label DeviceCustomString4 DeviceCustomString4Label
    DeviceCustomString5 DeviceCustomString5Label DeviceCustomString6 DeviceCustomString6Label DeviceDnsDomain
    DeviceEventCategory DeviceEventClassID DeviceExternalID DeviceFacility DeviceInboundInterface DeviceMacAddress
    DeviceName DeviceNtDomain DeviceOutboundInterface DevicePayloadId DeviceProduct DeviceTimeZone
    DeviceTranslatedAddress DeviceVendor DeviceVersion EndTime:datetime EventCount:int EventOutcome EventType:int
    ExternalID:int ExtID FieldDeviceCustomNumber1:long FieldDeviceCustomNumber2:long FieldDeviceCustomNumber3:long
    FileCreateTime FileHash FileID FileModificationTime FileName FilePath FilePermission FileSize:int FileType
    FlexDate1 FlexDate1Label FlexNumber1:int FlexNumber1Label FlexNumber2:int FlexNumber2Label FlexString1
    FlexString1Label FlexString2 FlexString2Label IndicatorThreatType LogSeverity MaliciousIP MaliciousIPCountry
    MaliciousIPLatitude:real MaliciousIPLongitude:real Message OldFileCreateTime OldFileHash OldFileID
    OldFileModificationTime OldFileName OldFilePath OldFilePermission OldFileSize:int OldFileType
    OriginalLogSeverity ProcessID:int ProcessName Protocol Reason ReceiptTime ReceivedBytes:long RemoteIP RemotePort
    ReportReferenceLink RequestClientApplication RequestContext RequestCookies RequestMethod RequestURL SentBytes:long
    SimplifiedDeviceAction SourceDnsDomain SourceHostName SourceIP SourceMACAddress SourceNTDomain SourcePort:int
    SourceProcessId:int SourceProcessName SourceServiceName SourceSystem SourceTranslatedAddress
    SourceTranslatedPort:int SourceUserID SourceUserName SourceUserPrivileges StartTime:datetime TenantId
    ThreatConfidence ThreatDescription ThreatSeverity:int TimeGenerated:datetime Type
  `),
  entityColumns: [
    ...entities('ip', 'SourceIP', 'DestinationIP', 'DeviceAddress', 'RemoteIP', 'MaliciousIP',
      'SourceTranslatedAddress', 'DestinationTranslatedAddress'),
    ...entities('host', 'SourceHostName', 'DestinationHostName', 'DeviceName', 'Computer'),
    ...entities('domain', 'DestinationHostName', 'DestinationDnsDomain'),
    ...entities('url', 'RequestURL'),
    ...entities('file-hash', 'FileHash'),
    ...entities('file-name', 'FileName'),
    ...entities('account', 'SourceUserName', 'DestinationUserName'),
    ...entities('process', 'SourceProcessName', 'DestinationProcessName', 'ProcessName'),
  ],
};

export const Syslog: TableDef = {
  name: 'Syslog',
  origin: 'sentinel',
  category: 'event',
  description: 'Syslog messages collected from Linux hosts and network devices.',
  timeColumn: 'TimeGenerated',
  source: azureMonitorDoc('Syslog'),
  columns: columns(`
    CollectorHostName Computer EventTime:datetime Facility HostIP HostName ProcessID:int ProcessName SeverityLevel
    SourceSystem SyslogMessage TenantId TimeGenerated:datetime Type
  `),
  entityColumns: [
    ...entities('ip', 'HostIP'),
    ...entities('host', 'Computer', 'HostName', 'CollectorHostName'),
    ...entities('process', 'ProcessName'),
  ],
};

export const sentinelNetworkTables: readonly TableDef[] = [DnsEvents, CommonSecurityLog, Syslog];
