/**
 * Sentinel alert and incident tables. Quarry's own detections write alerts and incidents in these shapes.
 * Columns in the Azure Monitor reference order (alphabetical), hidden `_`-columns left out.
 * `TenantId` is a standard column of every Log Analytics table; the SecurityAlert page does not list it,
 * so it is added at its alphabetical place.
 * Source: MicrosoftDocs/azure-reference-other `azure-monitor-ref/tables/includes/<table>-include.md`.
 */
import { columns, entities } from '../column-spec.js';
import type { TableDef } from '../types.js';
import { azureMonitorDoc } from './defender-doc.js';

export const SecurityAlert: TableDef = {
  name: 'SecurityAlert',
  origin: 'sentinel',
  category: 'alert',
  description: 'Alerts raised by analytics rules and connected security products.',
  timeColumn: 'TimeGenerated',
  source: azureMonitorDoc('SecurityAlert'),
  columns: columns(`
    AlertLink AlertName AlertSeverity AlertType CompromisedEntity ConfidenceLevel ConfidenceScore:real Description
    DisplayName EndTime:datetime Entities ExtendedLinks ExtendedProperties IsIncident:bool
    ProcessingEndTime:datetime ProductComponentName ProductName ProviderName RemediationSteps ResourceId
    SourceComputerId StartTime:datetime Status SubTechniques SystemAlertId Tactics Techniques TenantId
    TimeGenerated:datetime Type VendorName VendorOriginalId WorkspaceResourceGroup WorkspaceSubscriptionId
  `),
  entityColumns: entities('host', 'CompromisedEntity'),
};

export const SecurityIncident: TableDef = {
  name: 'SecurityIncident',
  origin: 'sentinel',
  category: 'alert',
  description: 'Incidents: groups of alerts with status, owner and classification; one row per incident update.',
  timeColumn: 'TimeGenerated',
  source: azureMonitorDoc('SecurityIncident'),
  columns: columns(`
    AdditionalData:dynamic AlertIds:dynamic BookmarkIds:dynamic Classification ClassificationComment
    ClassificationReason ClosedTime:datetime Comments:dynamic CreatedTime:datetime Description
    FirstActivityTime:datetime FirstModifiedTime:datetime IncidentName IncidentNumber:int IncidentUrl
    Labels:dynamic LastActivityTime:datetime LastModifiedTime:datetime ModifiedBy Owner:dynamic ProviderIncidentId
    ProviderName RelatedAnalyticRuleIds:dynamic Severity SourceSystem Status Tasks:dynamic TenantId
    TimeGenerated:datetime Title Type
  `),
};

export const sentinelAlertTables: readonly TableDef[] = [SecurityAlert, SecurityIncident];
