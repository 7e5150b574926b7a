/**
 * SecurityEvent: Windows Security event log records collected by the Log Analytics agent.
 * Columns in the Azure Monitor reference order (alphabetical, case-insensitive), hidden `_`-columns left out.
 * `TenantId` is a standard column of every Log Analytics table; this page does not list it, so it is added
 * at its alphabetical place.
 * Source: MicrosoftDocs/azure-reference-other `azure-monitor-ref/tables/includes/securityevent-include.md`.
 */
import { columns, entities } from '../column-spec.js';
import type { TableDef } from '../types.js';
import { azureMonitorDoc } from './defender-doc.js';

export const SecurityEvent: TableDef = {
  name: 'SecurityEvent',
  origin: 'sentinel',
  category: 'event',
  description: 'Windows Security event log records (logons, process creation, account and policy changes).',
  timeColumn: 'TimeGenerated',
  source: azureMonitorDoc('SecurityEvent'),
  columns: columns(`
    AccessMask Account AccountDomain AccountExpires AccountName AccountSessionIdentifier AccountType Activity
    AdditionalInfo AdditionalInfo2 AllowedToDelegateTo Attributes AuditPolicyChanges AuditsDiscarded:int
    AuthenticationLevel:int AuthenticationPackageName AuthenticationProvider AuthenticationServer
    AuthenticationService:int AuthenticationType AzureDeploymentID CACertificateHash CalledStationID CallerProcessId
    CallerProcessName CallingStationID CAPublicKeyHash CategoryId CertificateDatabaseHash Channel ClassId ClassName
    ClientAddress ClientIPAddress ClientName CommandLine CompatibleIds Computer DCDNSName DeviceDescription DeviceId
    DisplayName Disposition DomainBehaviorVersion DomainName DomainPolicyChanged DomainSid EAPType ElevatedToken
    ErrorCode:int EventData EventID:int EventSourceName ExtendedQuarantineState FailureReason FileHash FilePath
    FilePathNoUser Filter ForceLogoff Fqbn FullyQualifiedSubjectMachineName FullyQualifiedSubjectUserName
    GroupMembership HandleId HardwareIds HomeDirectory HomePath InterfaceUuid IpAddress IpPort KeyLength:int Level
    LmPackageName LocationInformation LockoutDuration LockoutObservationWindow LockoutThreshold LoggingResult
    LogonGuid LogonHours LogonID LogonProcessName LogonType:int LogonTypeName MachineAccountQuota MachineInventory
    MachineLogon ManagementGroupName MandatoryLabel MaxPasswordAge MemberName MemberSid MinPasswordAge
    MinPasswordLength MixedDomainMode NASIdentifier NASIPv4Address NASIPv6Address NASPort NASPortType
    NetworkPolicyName NewDate NewMaxUsers NewProcessId NewProcessName NewRemark NewShareFlags NewTime NewUacValue
    NewValue NewValueType ObjectName ObjectServer ObjectType ObjectValueName OemInformation OldMaxUsers OldRemark
    OldShareFlags OldUacValue OldValue OldValueType OperationType PackageName ParentProcessName
    PasswordHistoryLength PasswordLastSet PasswordProperties PreviousDate PreviousTime PrimaryGroupId
    PrivateKeyUsageCount PrivilegeList Process ProcessId ProcessName ProfilePath Properties ProtocolSequence
    ProxyPolicyName QuarantineHelpURL QuarantineSessionID QuarantineSessionIdentifier QuarantineState
    QuarantineSystemHealthResult RelativeTargetName RemoteIpAddress RemotePort Requester RequestId
    RestrictedAdminMode RowsDeleted SamAccountName ScriptPath SecurityDescriptor ServiceAccount ServiceFileName
    ServiceName ServiceStartType:int ServiceType SessionName ShareLocalPath ShareName SidHistory SourceComputerId
    SourceSystem Status StorageAccount SubcategoryGuid SubcategoryId Subject SubjectAccount SubjectDomainName
    SubjectKeyIdentifier SubjectLogonId SubjectMachineName SubjectMachineSID SubjectUserName SubjectUserSid
    SubStatus TableId TargetAccount TargetDomainName TargetInfo TargetLinkedLogonId TargetLogonGuid TargetLogonId
    TargetOutboundDomainName TargetOutboundUserName TargetServerName TargetSid TargetUser TargetUserName
    TargetUserSid Task:int TemplateContent TemplateDSObjectFQDN TemplateInternalName TemplateOID
    TemplateSchemaVersion TemplateVersion TenantId TimeGenerated:datetime TokenElevationType TransmittedServices
    Type UserAccountControl UserParameters UserPrincipalName UserWorkstations VendorIds VirtualAccount Workstation
    WorkstationName
  `),
  entityColumns: [
    ...entities('account', 'Account', 'TargetAccount', 'SubjectAccount', 'TargetUserName', 'SubjectUserName'),
    ...entities('sid', 'SubjectUserSid', 'TargetUserSid', 'TargetSid'),
    ...entities('upn', 'UserPrincipalName'),
    ...entities('host', 'Computer', 'WorkstationName'),
    ...entities('ip', 'IpAddress', 'ClientIPAddress', 'RemoteIpAddress'),
    ...entities('command-line', 'CommandLine'),
    ...entities('process', 'NewProcessName', 'ProcessName', 'ParentProcessName'),
    ...entities('file-hash', 'FileHash'),
  ],
};
