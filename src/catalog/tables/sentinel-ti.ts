/**
 * Sentinel threat-intelligence tables: the legacy ThreatIntelligenceIndicator (flat observables; rows are
 * append-only versions keyed by IndicatorId) and the STIX 2.1 based ThreatIntelIndicators / ThreatIntelObjects.
 * Columns in the Azure Monitor reference order (alphabetical); `_BilledSize`/`_IsBillable`/`_ResourceId`/
 * `_SubscriptionId` are hidden system columns and left out.
 * Source: MicrosoftDocs/azure-reference-other `azure-monitor-ref/tables/includes/<table>-include.md`.
 */
import { columns, entities } from '../column-spec.js';
import type { TableDef } from '../types.js';
import { azureMonitorDoc } from './defender-doc.js';

export const ThreatIntelligenceIndicator: TableDef = {
  name: 'ThreatIntelligenceIndicator',
  origin: 'sentinel',
  category: 'indicator',
  description: 'Legacy Sentinel indicator table: one row per indicator version, observables in flat columns.',
  timeColumn: 'TimeGenerated',
  source: azureMonitorDoc('ThreatIntelligenceIndicator'),
  columns: columns(`
    Action Active:bool ActivityGroupNames AdditionalInformation ConfidenceScore:real Description DiamondModel
    DomainName EmailEncoding EmailLanguage EmailRecipient EmailSenderAddress EmailSenderName EmailSourceDomain
    EmailSourceIpAddress EmailSubject EmailXMailer ExpirationDateTime:datetime ExternalIndicatorId
    FileCompileDateTime:datetime FileCreatedDateTime:datetime FileHashType FileHashValue FileMutexName FileName
    FilePacker FilePath FileSize:int FileType IndicatorId IndicatorProvider KillChainActions:bool KillChainC2:bool
    KillChainDelivery:bool KillChainExploitation:bool KillChainReconnaissance:bool KillChainWeaponization:bool
    KnownFalsePositives MalwareNames NetworkCidrBlock NetworkDestinationAsn:int NetworkDestinationCidrBlock
    NetworkDestinationIP NetworkDestinationPort:int NetworkIP NetworkPort:int NetworkProtocol:int
    NetworkSourceAsn:int NetworkSourceCidrBlock NetworkSourceIP NetworkSourcePort:int PassiveOnly:bool SourceSystem
    Tags TenantId ThreatSeverity:int ThreatType TimeGenerated:datetime TrafficLightProtocolLevel Type Url UserAgent
  `),
  entityColumns: [
    ...entities('domain', 'DomainName', 'EmailSourceDomain'),
    ...entities('email', 'EmailRecipient', 'EmailSenderAddress'),
    ...entities('ip', 'EmailSourceIpAddress', 'NetworkIP', 'NetworkDestinationIP', 'NetworkSourceIP'),
    ...entities('file-hash', 'FileHashValue'),
    ...entities('file-name', 'FileName'),
    ...entities('url', 'Url'),
  ],
};

export const ThreatIntelIndicators: TableDef = {
  name: 'ThreatIntelIndicators',
  origin: 'sentinel',
  category: 'indicator',
  description: 'STIX 2.1 indicators: one row per observable of an indicator version (ObservableKey/ObservableValue).',
  timeColumn: 'TimeGenerated',
  source: azureMonitorDoc('ThreatIntelIndicators'),
  columns: columns(`
    AdditionalFields:dynamic AzureTenantId Confidence:int Created:datetime Data:dynamic Id IsActive:bool
    IsDeleted:bool LastUpdateMethod Modified:datetime ObservableKey ObservableValue Pattern Revoked:bool Source
    SourceSystem Tags TenantId TimeGenerated:datetime Type ValidFrom:datetime ValidUntil:datetime WorkspaceId
  `),
};

export const ThreatIntelObjects: TableDef = {
  name: 'ThreatIntelObjects',
  origin: 'sentinel',
  category: 'indicator',
  description: 'STIX 2.1 objects other than indicators (threat actors, attack patterns, identities, relationships).',
  timeColumn: 'TimeGenerated',
  source: azureMonitorDoc('ThreatIntelObjects'),
  columns: columns(`
    AdditionalFields:dynamic AzureTenantId Data:dynamic Id IsDeleted:bool LastUpdateMethod Source SourceSystem
    StixType TenantId TimeGenerated:datetime Type WorkspaceId
  `),
};

export const sentinelTiTables: readonly TableDef[] = [ThreatIntelligenceIndicator, ThreatIntelIndicators, ThreatIntelObjects];
