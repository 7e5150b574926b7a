/**
 * Defender XDR cloud tables (advanced hunting): cloud app activity and Entra ID sign-ins.
 * Source: MicrosoftDocs/defender-docs `defender-xdr/advanced-hunting-<table>-table.md`.
 */
import { columns, entities } from '../column-spec.js';
import type { TableDef } from '../types.js';
import { defenderDoc } from './defender-doc.js';

export const CloudAppEvents: TableDef = {
  name: 'CloudAppEvents',
  origin: 'defender',
  category: 'event',
  description: 'Activity in Office 365 and other cloud apps connected to Defender for Cloud Apps.',
  timeColumn: 'Timestamp',
  source: defenderDoc('CloudAppEvents'),
  columns: columns(`
    Timestamp:datetime ActionType Application ApplicationId:int AppInstanceId:int AccountObjectId AccountId
    AccountDisplayName IsAdminOperation:bool DeviceType OSPlatform IPAddress IsAnonymousProxy:bool CountryCode City
    Isp UserAgent ActivityType ActivityObjects:dynamic ObjectName ObjectType ObjectId ReportId AccountType
    IsExternalUser:bool IsImpersonated:bool IPTags:dynamic IPCategory UserAgentTags:dynamic RawEventData:dynamic
    AdditionalFields:dynamic LastSeenForUser:dynamic UncommonForUser:dynamic AuditSource SessionData:dynamic
    OAuthAppId
  `),
  entityColumns: [...entities('ip', 'IPAddress'), ...entities('account', 'AccountId')],
};

export const AADSignInEventsBeta: TableDef = {
  name: 'AADSignInEventsBeta',
  origin: 'defender',
  category: 'event',
  description: 'Microsoft Entra ID interactive and non-interactive sign-ins (beta table).',
  timeColumn: 'Timestamp',
  source: defenderDoc('AADSignInEventsBeta'),
  columns: columns(`
    Timestamp:datetime Application ApplicationId LogonType ErrorCode:int CorrelationId SessionId AccountDisplayName
    AccountObjectId AccountUpn IsExternalUser:int IsGuestUser:bool AlternateSignInName
    LastPasswordChangeTimestamp:datetime ResourceDisplayName ResourceId ResourceTenantId DeviceName AadDeviceId
    EntraIdDeviceId OSPlatform DeviceTrustType IsManaged:int IsCompliant:int AuthenticationProcessingDetails
    AuthenticationRequirement TokenIssuerType:int RiskLevelAggregated:int RiskDetails:int RiskState:int UserAgent
    ClientAppUsed Browser ConditionalAccessPolicies ConditionalAccessStatus:int IPAddress Country State City
    Latitude Longitude NetworkLocationDetails RequestId ReportId EndpointCall
  `),
  entityColumns: [...entities('upn', 'AccountUpn'), ...entities('ip', 'IPAddress'), ...entities('host', 'DeviceName')],
};

export const defenderCloudTables: readonly TableDef[] = [CloudAppEvents, AADSignInEventsBeta];
