/**
 * Defender for Office 365 tables (advanced hunting): email, URLs in email, attachments, post-delivery
 * actions and Safe Links clicks. `ReportId` is a string in these tables (a long in Device* tables).
 * Source: MicrosoftDocs/defender-docs `defender-xdr/advanced-hunting-<table>-table.md`.
 */
import { columns, entities } from '../column-spec.js';
import type { TableDef } from '../types.js';
import { defenderDoc } from './defender-doc.js';

export const EmailEvents: TableDef = {
  name: 'EmailEvents',
  origin: 'defender',
  category: 'event',
  description: 'Email delivery and blocking events processed by Defender for Office 365.',
  timeColumn: 'Timestamp',
  source: defenderDoc('EmailEvents'),
  columns: columns(`
    Timestamp:datetime NetworkMessageId InternetMessageId SenderMailFromAddress SenderFromAddress SenderDisplayName
    SenderObjectId SenderMailFromDomain SenderFromDomain SenderIPv4 SenderIPv6 RecipientEmailAddress RecipientObjectId
    Subject EmailClusterId:long EmailDirection DeliveryAction DeliveryLocation ThreatTypes ThreatNames DetectionMethods
    ConfidenceLevel BulkComplaintLevel:int EmailAction EmailActionPolicy EmailActionPolicyGuid AuthenticationDetails
    AttachmentCount:int UrlCount:int EmailLanguage Connectors OrgLevelAction OrgLevelPolicy UserLevelAction
    UserLevelPolicy ReportId AdditionalFields LatestDeliveryLocation LatestDeliveryAction
  `),
  entityColumns: [
    ...entities('email', 'SenderMailFromAddress', 'SenderFromAddress', 'RecipientEmailAddress'),
    ...entities('mailbox', 'RecipientEmailAddress'),
    ...entities('domain', 'SenderMailFromDomain', 'SenderFromDomain'),
    ...entities('ip', 'SenderIPv4', 'SenderIPv6'),
  ],
};

export const EmailUrlInfo: TableDef = {
  name: 'EmailUrlInfo',
  origin: 'defender',
  category: 'event',
  description: 'URLs found in emails (body, attachments, QR codes).',
  timeColumn: 'Timestamp',
  source: defenderDoc('EmailUrlInfo'),
  columns: columns('Timestamp:datetime NetworkMessageId Url UrlDomain UrlLocation ReportId'),
  entityColumns: [...entities('url', 'Url'), ...entities('domain', 'UrlDomain')],
};

export const EmailAttachmentInfo: TableDef = {
  name: 'EmailAttachmentInfo',
  origin: 'defender',
  category: 'event',
  description: 'Attachments of emails processed by Defender for Office 365.',
  timeColumn: 'Timestamp',
  source: defenderDoc('EmailAttachmentInfo'),
  columns: columns(`
    Timestamp:datetime NetworkMessageId SenderFromAddress SenderDisplayName SenderObjectId RecipientEmailAddress
    RecipientObjectId FileName FileType SHA256 FileSize:long ThreatTypes ThreatNames DetectionMethods ReportId
  `),
  entityColumns: [
    ...entities('email', 'SenderFromAddress', 'RecipientEmailAddress'),
    ...entities('mailbox', 'RecipientEmailAddress'),
    ...entities('file-name', 'FileName'),
    ...entities('sha256', 'SHA256'),
  ],
};

export const EmailPostDeliveryEvents: TableDef = {
  name: 'EmailPostDeliveryEvents',
  origin: 'defender',
  category: 'event',
  description: 'Actions taken on emails after delivery (ZAP, manual remediation).',
  timeColumn: 'Timestamp',
  source: defenderDoc('EmailPostDeliveryEvents'),
  columns: columns(`
    Timestamp:datetime NetworkMessageId InternetMessageId Action ActionType ActionTrigger ActionResult
    RecipientEmailAddress DeliveryLocation ThreatTypes DetectionMethods ReportId
  `),
  entityColumns: [...entities('email', 'RecipientEmailAddress'), ...entities('mailbox', 'RecipientEmailAddress')],
};

export const UrlClickEvents: TableDef = {
  name: 'UrlClickEvents',
  origin: 'defender',
  category: 'event',
  description: 'Safe Links clicks from email, Office apps and Teams.',
  timeColumn: 'Timestamp',
  source: defenderDoc('UrlClickEvents'),
  columns: columns(`
    Timestamp:datetime Url ActionType AccountUpn Workload NetworkMessageId ThreatTypes DetectionMethods IPAddress
    IsClickedThrough:bool UrlChain ReportId
  `),
  entityColumns: [...entities('url', 'Url'), ...entities('upn', 'AccountUpn'), ...entities('ip', 'IPAddress')],
};

export const defenderEmailTables: readonly TableDef[] = [
  EmailEvents, EmailUrlInfo, EmailAttachmentInfo, EmailPostDeliveryEvents, UrlClickEvents,
];
