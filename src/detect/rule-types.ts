/**
 * The detection rule model: one shape for Sentinel scheduled / NRT analytics rules and Defender custom
 * detections. Field names follow Sentinel's analytic-rule YAML (`queryFrequency`, `queryPeriod`,
 * `triggerOperator`, `entityMappings`, `alertDetailsOverride`, …) so import/export is a plain mapping.
 */
export const severities = ['Informational', 'Low', 'Medium', 'High'] as const;
export type Severity = (typeof severities)[number];

/**
 * `Scheduled` and `NRT`: Sentinel semantics. `CustomDetection`: Defender custom detection (required columns,
 * frequency → lookback). `ThreatIntelligence`: the built-in matching analytics (no query: NRT and retro-hunt
 * attribute indicator matches no TI-map rule covers to it), like Sentinel's read-only TI analytics rule.
 */
export const ruleKinds = ['Scheduled', 'NRT', 'CustomDetection', 'ThreatIntelligence'] as const;
export type RuleKind = (typeof ruleKinds)[number];

export const triggerOperators = ['gt', 'ge', 'lt', 'le', 'eq', 'ne'] as const;
export type TriggerOperator = (typeof triggerOperators)[number];

/** Sentinel entity types Quarry maps (the account, host, IP, URL, file hash, mailbox, process, plus DNS). */
export const entityTypes = ['Account', 'Host', 'IP', 'URL', 'FileHash', 'Mailbox', 'Process', 'DNS', 'File', 'MailMessage'] as const;
export type EntityType = (typeof entityTypes)[number];

export interface FieldMapping {
  readonly identifier: string;
  readonly columnName: string;
}

export interface EntityMapping {
  readonly entityType: EntityType;
  readonly fieldMappings: readonly FieldMapping[];
}

export interface AlertDetailsOverride {
  readonly alertDisplayNameFormat?: string;
  readonly alertDescriptionFormat?: string;
  readonly alertSeverityColumnName?: string;
  readonly alertTacticsColumnName?: string;
}

/** Which indicators and event columns a built-in TI-map rule covers (lets NRT and retro-hunt attribute matches to it). */
export interface TiMapSpec {
  readonly indicatorKind: IndicatorKind;
  readonly table: string;
  readonly columns: readonly string[];
}

export type IndicatorKind = 'domain' | 'ip' | 'url' | 'file-hash' | 'email';

export interface RuleSpec {
  /** Stable id (Sentinel rule GUID or a slug). */
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** The rule author's version text (Sentinel `version`, e.g. `1.0.1`). */
  readonly version: string;
  readonly kind: RuleKind;
  readonly enabled: boolean;
  readonly severity: Severity;
  readonly query: string;
  /** How often the rule runs, milliseconds. */
  readonly frequencyMs: number;
  /** How far back the data the query sees reaches from the end of its window, milliseconds. */
  readonly periodMs: number;
  readonly triggerOperator: TriggerOperator;
  readonly triggerThreshold: number;
  readonly tactics: readonly string[];
  readonly techniques: readonly string[];
  readonly entityMappings: readonly EntityMapping[];
  /** Alert custom detail name → result column. */
  readonly customDetails: Readonly<Record<string, string>>;
  readonly alertDetailsOverride?: AlertDetailsOverride;
  /** `SingleAlert` (Sentinel's default: one alert per run) or `AlertPerResult`. */
  readonly aggregation: 'SingleAlert' | 'AlertPerResult';
  readonly suppressionEnabled: boolean;
  readonly suppressionMs: number;
  /** Schema view the query binds against (`sentinel` for Sentinel rules, `defender` for custom detections). */
  readonly view: 'sentinel' | 'defender';
  readonly tiMap?: TiMapSpec;
  /** Shipped with Quarry (read from `rules/`). */
  readonly builtIn?: boolean;
}

/** A rule as stored: the spec plus Quarry's revision counter and timestamps. */
export interface StoredRule extends RuleSpec {
  readonly revision: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Defender custom detections: frequency → lookback (`custom-detection-rules.md`). */
const HOUR = 3_600_000;
export const defenderLookback: ReadonlyMap<number, number> = new Map([
  [24 * HOUR, 30 * 24 * HOUR],
  [12 * HOUR, 48 * HOUR],
  [3 * HOUR, 12 * HOUR],
  [HOUR, 4 * HOUR],
]);

/** Columns one of which a Defender custom detection's result must carry (besides Timestamp and ReportId). */
export const defenderEntityColumns = [
  'DeviceId', 'DeviceName', 'RemoteDeviceName', 'RecipientEmailAddress', 'SenderFromAddress', 'SenderMailFromAddress',
  'RecipientObjectId', 'AccountObjectId', 'AccountSid', 'AccountUpn', 'InitiatingProcessAccountSid',
  'InitiatingProcessAccountUpn', 'InitiatingProcessAccountObjectId',
] as const;

/** Tables a Defender NRT (continuous) detection may read. */
export const defenderNrtTables = [
  'AlertEvidence', 'CloudAppEvents', 'DeviceEvents', 'DeviceFileCertificateInfo', 'DeviceFileEvents', 'DeviceImageLoadEvents',
  'DeviceLogonEvents', 'DeviceNetworkEvents', 'DeviceNetworkInfo', 'DeviceInfo', 'DeviceProcessEvents', 'DeviceRegistryEvents',
  'EmailAttachmentInfo', 'EmailEvents', 'EmailPostDeliveryEvents', 'EmailUrlInfo', 'IdentityDirectoryEvents',
  'IdentityLogonEvents', 'IdentityQueryEvents', 'UrlClickEvents',
] as const;
