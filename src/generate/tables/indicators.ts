/**
 * The Sentinel indicator tables for the planted indicators: legacy ThreatIntelligenceIndicator (flat
 * observable columns; rows are versions, the rules keep `arg_max(TimeGenerated, *) by IndicatorId`) and
 * STIX-based ThreatIntelIndicators. Two versions per indicator, both inside the rules' 14-day lookback:
 * the current one decides — Active with ExpirationDateTime / ValidUntil 30 days after `end`, except the
 * expired decoy (expired a day before `end`) and the inactive decoy (current version inactive, marked
 * `State: inactive;` as MDTI does).
 */
import { createHash } from 'node:crypto';
import type { PlantedIndicator } from '../plant.js';
import { hashGuid, hashString } from '../prng.js';
import { DAY, HOUR, type TableCtx, type TableGenerator } from '../table-gen.js';

const PROVIDER = 'Microsoft Defender Threat Intelligence';

/** The legacy table's IndicatorId: a stable 64-hex id per (seed, indicator). */
export function legacyIndicatorId(seed: number, ind: PlantedIndicator): string {
  return createHash('sha256').update(`${seed}/${ind.id}/${ind.value}`).digest('hex').toUpperCase();
}

export function stixIndicatorId(seed: number, ind: PlantedIndicator): string {
  return `indicator--${hashGuid(seed, hashString(ind.id), hashString(ind.value))}`;
}

interface Version {
  readonly ind: PlantedIndicator;
  readonly current: boolean;
  readonly time: number;
  readonly created: number;
  readonly expires: number;
  readonly active: boolean;
  readonly description: string;
}

function versionOf(ctx: TableCtx, i: number): Version {
  const indicators = ctx.plant?.indicators ?? [];
  const k = Math.floor(i / 2);
  const ind = indicators[k] as PlantedIndicator;
  const current = i % 2 === 1;
  const end = ctx.opts.endMs;
  const created = end - 6 * DAY - k * HOUR;
  const time = current ? end - 2 * DAY + k * HOUR : created;
  const expires = ind.status === 'expired' ? end - DAY : end + 30 * DAY;
  const active = current ? ind.status !== 'inactive' : true;
  let description = ind.description;
  if (current && ind.status === 'inactive' && !description.includes('State: inactive;')) description = `State: inactive; ${description}`;
  if (!current) description = description.replace('State: inactive; ', '');
  return { ind, current, time, created, expires, active, description };
}

function observableKey(ind: PlantedIndicator): string {
  switch (ind.kind) {
    case 'domain': return 'domain-name:value';
    case 'ipv4': case 'cidr': return 'ipv4-addr:value';
    case 'url': return 'url:value';
    case 'sha256': return "file:hashes.'SHA-256'";
    case 'sha1': return "file:hashes.'SHA-1'";
    case 'email': return 'email-addr:value';
  }
}

function stixPattern(ind: PlantedIndicator): string {
  return `[${observableKey(ind)} = '${ind.value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
}

export const threatIntelligenceIndicator: TableGenerator = {
  table: 'ThreatIntelligenceIndicator',
  keyColumns: ['IndicatorId'],
  plantColumns: {},
  row(ctx, i) {
    const v = versionOf(ctx, i);
    const { ind } = v;
    const c2 = ind.role === 'c2';
    const row: Record<string, unknown> = {
      Action: 'alert',
      Active: v.active,
      ActivityGroupNames: ind.activityGroup ?? '',
      AdditionalInformation: '',
      ConfidenceScore: ind.confidence,
      Description: v.description,
      ExpirationDateTime: new Date(v.expires),
      ExternalIndicatorId: stixIndicatorId(ctx.seed, ind),
      IndicatorId: legacyIndicatorId(ctx.seed, ind),
      IndicatorProvider: PROVIDER,
      KillChainActions: false,
      KillChainC2: c2,
      KillChainDelivery: ind.role === 'phish' || ind.role === 'sender' || ind.role === 'payload',
      KillChainExploitation: false,
      KillChainReconnaissance: false,
      KillChainWeaponization: false,
      MalwareNames: ind.role === 'payload' ? 'Quarry.Demo.Dropper' : '',
      PassiveOnly: false,
      SourceSystem: PROVIDER,
      Tags: ind.status === 'active' ? 'planted' : 'planted,decoy',
      TenantId: ctx.pop.tenantId,
      ThreatSeverity: Math.round(ind.confidence / 20),
      ThreatType: ind.threatType,
      TimeGenerated: new Date(v.time),
      TrafficLightProtocolLevel: 'amber',
    };
    switch (ind.kind) {
      case 'domain': row.DomainName = ind.value; break;
      case 'ipv4': row.NetworkIP = ind.value; break;
      case 'cidr': row.NetworkCidrBlock = ind.value; break;
      case 'url': row.Url = ind.value; break;
      case 'sha256': case 'sha1':
        row.FileHashType = ind.kind.toUpperCase();
        row.FileHashValue = ind.value;
        if (ind.fileName) row.FileName = ind.fileName;
        break;
      case 'email':
        row.EmailSenderAddress = ind.value;
        row.EmailSourceDomain = ind.value.split('@')[1];
        break;
    }
    return row;
  },
};

export const threatIntelIndicators: TableGenerator = {
  table: 'ThreatIntelIndicators',
  keyColumns: ['Id'],
  plantColumns: {},
  row(ctx, i) {
    const v = versionOf(ctx, i);
    const { ind } = v;
    const id = stixIndicatorId(ctx.seed, ind);
    const iso = (ms: number): string => new Date(ms).toISOString();
    const data = {
      type: 'indicator',
      spec_version: '2.1',
      id,
      created: iso(v.created),
      modified: iso(v.time),
      name: ind.value,
      description: v.description,
      indicator_types: [ind.role === 'c2' ? 'malicious-activity' : ind.role === 'payload' ? 'malicious-activity' : 'anomalous-activity'],
      pattern: stixPattern(ind),
      pattern_type: 'stix',
      valid_from: iso(v.created),
      valid_until: iso(v.expires),
      confidence: ind.confidence,
      revoked: false,
      labels: [ind.threatType],
    };
    return {
      AdditionalFields: { TLPLevel: 'Amber', ThreatType: ind.threatType },
      AzureTenantId: ctx.pop.tenantId,
      Confidence: ind.confidence,
      Created: new Date(v.created),
      Data: data,
      Id: id,
      IsActive: v.active,
      IsDeleted: false,
      LastUpdateMethod: 'MicrosoftDefenderThreatIntelligence',
      Modified: new Date(v.time),
      ObservableKey: observableKey(ind),
      ObservableValue: ind.value,
      Pattern: stixPattern(ind),
      Revoked: false,
      Source: PROVIDER,
      SourceSystem: PROVIDER,
      Tags: ind.status === 'active' ? 'planted' : 'planted,decoy',
      TenantId: ctx.pop.tenantId,
      TimeGenerated: new Date(v.time),
      ValidFrom: new Date(v.created),
      ValidUntil: new Date(v.expires),
      WorkspaceId: ctx.pop.tenantId,
    };
  },
};
