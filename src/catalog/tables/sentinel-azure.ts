/**
 * Sentinel tables from Microsoft cloud services: Entra ID sign-ins and audit logs, Office 365 activity and
 * the Azure activity log. Columns in the Azure Monitor reference order (alphabetical, case-insensitive),
 * hidden `_`-columns left out. `TenantId` is a standard column of every Log Analytics table; where a page
 * does not list it, it is added at its alphabetical place.
 * Source: MicrosoftDocs/azure-reference-other `azure-monitor-ref/tables/includes/<table>-include.md`.
 */
import { columns, entities } from '../column-spec.js';
import type { TableDef } from '../types.js';
import { azureMonitorDoc } from './defender-doc.js';

export const SigninLogs: TableDef = {
  name: 'SigninLogs',
  origin: 'sentinel',
  category: 'event',
  description: 'Microsoft Entra ID interactive user sign-ins.',
  timeColumn: 'TimeGenerated',
  source: azureMonitorDoc('SigninLogs'),
  columns: columns(`
    AADTenantId AlternateSignInName AppDisplayName AppId AppliedConditionalAccessPolicies
    AppliedEventListeners:dynamic AuthenticationContextClassReferences AuthenticationDetails
    AuthenticationMethodsUsed AuthenticationProcessingDetails AuthenticationProtocol AuthenticationRequirement
    AuthenticationRequirementPolicies AutonomousSystemNumber Category ClientAppUsed ConditionalAccessPolicies:dynamic
    ConditionalAccessStatus CorrelationId CreatedDateTime:datetime CrossTenantAccessType DeviceDetail:dynamic
    DurationMs:long FlaggedForReview:bool HomeTenantId Id Identity IPAddress IPAddressFromResourceProvider
    IsInteractive:bool IsRisky:bool Level Location LocationDetails:dynamic MfaDetail:dynamic NetworkLocationDetails
    OperationName OperationVersion OriginalRequestId ProcessingTimeInMilliseconds Resource ResourceDisplayName
    ResourceGroup ResourceId ResourceIdentity ResourceProvider ResourceServicePrincipalId ResourceTenantId
    ResultDescription ResultSignature ResultType RiskDetail RiskEventTypes RiskEventTypes_V2 RiskLevel
    RiskLevelAggregated RiskLevelDuringSignIn RiskState ServicePrincipalId ServicePrincipalName
    SessionLifetimePolicies SignInIdentifier SignInIdentifierType SourceSystem Status:dynamic TenantId
    TimeGenerated:datetime TokenIssuerName TokenIssuerType Type UniqueTokenIdentifier UserAgent UserDisplayName
    UserId UserPrincipalName UserType
  `),
  entityColumns: [...entities('upn', 'UserPrincipalName'), ...entities('ip', 'IPAddress')],
};

export const AuditLogs: TableDef = {
  name: 'AuditLogs',
  origin: 'sentinel',
  category: 'event',
  description: 'Microsoft Entra ID audit log: directory changes (users, groups, apps, roles, policies).',
  timeColumn: 'TimeGenerated',
  source: azureMonitorDoc('AuditLogs'),
  columns: columns(`
    AADOperationType AADTenantId ActivityDateTime:datetime ActivityDisplayName AdditionalDetails:dynamic Category
    CorrelationId DurationMs:long Id Identity InitiatedBy:dynamic Level Location LoggedByService OperationName
    OperationVersion Resource ResourceGroup ResourceId ResourceProvider Result ResultDescription ResultReason
    ResultSignature ResultType SourceSystem TargetResources:dynamic TenantId TimeGenerated:datetime Type
  `),
};

export const OfficeActivity: TableDef = {
  name: 'OfficeActivity',
  origin: 'sentinel',
  category: 'event',
  description: 'Office 365 audit activity: Exchange, SharePoint, OneDrive, Teams and Entra ID operations.',
  timeColumn: 'TimeGenerated',
  source: azureMonitorDoc('OfficeActivity'),
  columns: columns(`
    AADGroupId AADTarget Activity Actor ActorContextId ActorIpAddress AddOnGuid AddonName AddOnType AffectedItems
    AppDistributionMode AppId Application ApplicationId AzureActiveDirectory_EventType AzureADAppId ChannelGuid
    ChannelName ChannelType ChatName ChatThreadId Client Client_IPAddress ClientAppId ClientInfoString ClientIP
    ClientMachineName ClientProcessName ClientVersion CommunicationType CrossMailboxOperations:bool CustomEvent
    DataCenterSecurityEventType:int DestFolder DestinationFileExtension DestinationFileName DestinationRelativeUrl
    DestMailboxId DestMailboxOwnerMasterAccountSid DestMailboxOwnerSid DestMailboxOwnerUPN EffectiveOrganization
    ElevationApprovedTime:datetime ElevationApprover ElevationDuration:int ElevationRequestId ElevationRole
    ElevationTime:datetime Event_Data EventSource ExtendedProperties ExternalAccess ExtraProperties:dynamic Folder
    Folders GenericInfo InternalLogonType:int InterSystemsId IntraSystemId IsManagedDevice:bool Item ItemName
    ItemType LoginStatus:int Logon_Type LogonUserDisplayName LogonUserSid MachineDomainInfo MachineId MailboxGuid
    MailboxOwnerMasterAccountSid MailboxOwnerSid MailboxOwnerUPN Members:dynamic MessageId
    ModifiedObjectResolvedName ModifiedProperties Name NewValue OfficeId OfficeObjectId OfficeTenantId
    OfficeWorkload OldValue Operation OperationProperties:dynamic OperationScope OrganizationId OrganizationName
    OriginatingServer Parameters RecordType ResultReasonType ResultStatus SendAsUserMailboxGuid SendAsUserSmtp
    SendonBehalfOfUserMailboxGuid SendOnBehalfOfUserSmtp SharingType Site_ Site_Url Source_Name
    SourceFileExtension SourceFileName SourceRecordId SourceRelativeUrl SourceSystem SRPolicyId SRPolicyName
    SRRuleMatchDetails:dynamic Start_Time:datetime SupportTicketId TabType TargetContextId TargetUserId
    TargetUserOrGroupName TargetUserOrGroupType TeamGuid TeamName TenantId TimeGenerated:datetime Type UserAgent
    UserDomain UserId UserKey UserSharedWith UserType
  `),
  entityColumns: [
    ...entities('ip', 'ClientIP', 'Client_IPAddress', 'ActorIpAddress'),
    ...entities('upn', 'UserId', 'MailboxOwnerUPN'),
    ...entities('mailbox', 'MailboxOwnerUPN'),
    ...entities('url', 'Site_Url'),
    ...entities('file-name', 'SourceFileName'),
  ],
};

export const AzureActivity: TableDef = {
  name: 'AzureActivity',
  origin: 'sentinel',
  category: 'event',
  description: 'Azure activity log: control-plane operations on Azure resources.',
  timeColumn: 'TimeGenerated',
  source: azureMonitorDoc('AzureActivity'),
  columns: columns(`
    ActivityStatus ActivityStatusValue ActivitySubstatus ActivitySubstatusValue Authorization
    Authorization_d:dynamic Caller CallerIpAddress Category CategoryValue Claims Claims_d:dynamic CorrelationId
    EventDataId EventSubmissionTimestamp:datetime Hierarchy HTTPRequest Level OperationId OperationName
    OperationNameValue Properties Properties_d:dynamic Resource ResourceGroup ResourceId ResourceProvider
    ResourceProviderValue SourceSystem SubscriptionId TenantId TimeGenerated:datetime Type
  `),
  entityColumns: [...entities('ip', 'CallerIpAddress'), ...entities('account', 'Caller')],
};

export const sentinelAzureTables: readonly TableDef[] = [SigninLogs, AuditLogs, OfficeActivity, AzureActivity];
