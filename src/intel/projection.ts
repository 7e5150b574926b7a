/**
 * Projection of intel objects into the KQL-visible Sentinel tables, Sentinel style: every change of an
 * object appends new rows (TimeGenerated = time of the change); hunters take `arg_max(TimeGenerated, *)`.
 *
 * - ThreatIntelligenceIndicator (legacy): one row per (indicator, legacy-mappable observable); an indicator
 *   without one still gets one row (no observable columns) so its lifecycle stays visible.
 *   IndicatorId = upper-case SHA-256 of `stixId|key|value` (or of the STIX id for the observable-less row),
 *   unless the indicator carries `x_quarry_sentinel_indicator_id` (an id given by an upstream system).
 * - ThreatIntelIndicators: one row per observable (ObservableKey/ObservableValue), one row when none.
 * - ThreatIntelObjects: one row per version of every other object.
 * Active/IsActive = not revoked and detection enabled (`x_quarry_detect` ≠ false, e.g. MISP to_ids=false).
 * ExpirationDateTime/ValidUntil = the effective expiry of the decay model (decay.ts).
 */
import { createHash } from 'node:crypto';
import { decayScore, expiryMicros } from './decay.js';
import type { Observable } from './pattern/observables.js';
import { timestampMicros, type StixObject } from './stix.js';
import { tlpLevelOf } from './tlp.js';

export interface ProjectionInput {
  readonly obj: StixObject;
  readonly observables: readonly Observable[];
  readonly source: string;
  readonly method: string;
  readonly tags: readonly string[];
  readonly activityGroups: readonly string[];
}

export interface ProjectionRows {
  readonly legacy: Record<string, unknown>[];
  readonly stix: Record<string, unknown>[];
  readonly objects: Record<string, unknown>[];
}

const SOURCE_SYSTEM = 'Quarry';

function dateOf(v: unknown): Date | null {
  const us = timestampMicros(v);
  return us === null ? null : new Date(Number(us / 1000n));
}

export function isDetectable(o: StixObject): boolean {
  return o.revoked !== true && o.x_quarry_detect !== false;
}

export function legacyIndicatorId(o: StixObject, ob?: Observable): string {
  if (typeof o.x_quarry_sentinel_indicator_id === 'string') return o.x_quarry_sentinel_indicator_id;
  const text = ob ? `${o.id}|${ob.key}|${ob.value}` : o.id;
  return createHash('sha256').update(text).digest('hex').toUpperCase();
}

const hashType: Record<string, string> = { md5: 'MD5', sha1: 'SHA1', sha256: 'SHA256', sha512: 'SHA512' };

/** Sets the legacy observable columns for one observable; false when the observable has no legacy column. */
function legacyColumns(row: Record<string, unknown>, ob: Observable): boolean {
  const cidr = ob.value.includes('/');
  switch (ob.kind) {
    case 'domain': row.DomainName = ob.value; return true;
    case 'url': row.Url = ob.value; return true;
    case 'ipv4': case 'ipv6':
      if (ob.key.startsWith('network-traffic:dst_ref')) row[cidr ? 'NetworkDestinationCidrBlock' : 'NetworkDestinationIP'] = ob.value;
      else if (ob.key.startsWith('network-traffic:src_ref')) row[cidr ? 'NetworkSourceCidrBlock' : 'NetworkSourceIP'] = ob.value;
      else row[cidr ? 'NetworkCidrBlock' : 'NetworkIP'] = ob.value;
      return true;
    case 'md5': case 'sha1': case 'sha256': case 'sha512':
      row.FileHashType = hashType[ob.kind];
      row.FileHashValue = ob.value;
      return true;
    case 'email':
      if (/to_refs|cc_refs|bcc_refs/.test(ob.key)) row.EmailRecipient = ob.value;
      else {
        row.EmailSenderAddress = ob.value;
        row.EmailSourceDomain = ob.value.split('@')[1];
      }
      return true;
    case 'filename': row.FileName = ob.value; return true;
    default: return false;
  }
}

function killChain(o: StixObject): Record<string, boolean> {
  const phases = Array.isArray(o.kill_chain_phases) ? (o.kill_chain_phases as { phase_name?: string }[]).map((p) => p.phase_name ?? '') : [];
  const has = (...names: string[]) => phases.some((p) => names.includes(p));
  return {
    KillChainActions: has('actions-on-objectives', 'exfiltration', 'impact'),
    KillChainC2: has('command-and-control'),
    KillChainDelivery: has('delivery', 'initial-access'),
    KillChainExploitation: has('exploitation', 'execution'),
    KillChainReconnaissance: has('reconnaissance'),
    KillChainWeaponization: has('weaponization', 'resource-development'),
  };
}

function strList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export function projectIndicator(p: ProjectionInput, now: Date): Pick<ProjectionRows, 'legacy' | 'stix'> {
  const o = p.obj;
  const kinds = p.observables.map((x) => x.kind);
  const expiry = new Date(Number(expiryMicros(o, kinds) / 1000n));
  const active = isDetectable(o);
  const tlp = tlpLevelOf(o);
  const tags = [...new Set([...strList(o.labels), ...p.tags])].join(',');
  const threatType = strList(o.indicator_types)[0] ?? strList(o.labels)[0] ?? null;
  const confidence = typeof o.confidence === 'number' ? o.confidence : null;
  const base: Record<string, unknown> = {
    Action: 'alert',
    Active: active,
    ActivityGroupNames: p.activityGroups.join(',') || null,
    ConfidenceScore: confidence,
    Description: typeof o.description === 'string' ? o.description : typeof o.name === 'string' ? o.name : null,
    ExpirationDateTime: expiry,
    ExternalIndicatorId: o.id,
    IndicatorProvider: p.source,
    PassiveOnly: o.x_quarry_detect === false,
    SourceSystem: SOURCE_SYSTEM,
    Tags: tags || null,
    ThreatType: threatType,
    TimeGenerated: now,
    TrafficLightProtocolLevel: tlp,
    ...killChain(o),
  };
  const legacy: Record<string, unknown>[] = [];
  for (const ob of p.observables) {
    const row = { ...base, IndicatorId: legacyIndicatorId(o, ob) };
    if (legacyColumns(row, ob)) legacy.push(row);
  }
  if (legacy.length === 0) legacy.push({ ...base, IndicatorId: legacyIndicatorId(o) });

  const stixBase: Record<string, unknown> = {
    AdditionalFields: { TLPLevel: tlp, DecayScore: decayScore(o, kinds, now), ObservableKinds: [...new Set(kinds)] },
    Confidence: confidence,
    Created: dateOf(o.created),
    Data: o,
    Id: o.id,
    IsActive: active,
    IsDeleted: false,
    LastUpdateMethod: p.method,
    Modified: dateOf(o.modified ?? o.created),
    Pattern: typeof o.pattern === 'string' ? o.pattern : null,
    Revoked: o.revoked === true,
    Source: p.source,
    SourceSystem: SOURCE_SYSTEM,
    Tags: tags || null,
    TimeGenerated: now,
    ValidFrom: dateOf(o.valid_from ?? o.created),
    ValidUntil: expiry,
  };
  const stix = p.observables.length === 0
    ? [{ ...stixBase }]
    : p.observables.map((ob) => ({ ...stixBase, ObservableKey: ob.key, ObservableValue: ob.value }));
  return { legacy, stix };
}

export function projectObject(p: Omit<ProjectionInput, 'observables' | 'activityGroups'>, now: Date): Record<string, unknown> {
  const o = p.obj;
  return {
    AdditionalFields: { TLPLevel: tlpLevelOf(o), Tags: p.tags },
    Data: o,
    Id: o.id,
    IsDeleted: false,
    LastUpdateMethod: p.method,
    Source: p.source,
    SourceSystem: SOURCE_SYSTEM,
    StixType: o.type,
    TimeGenerated: now,
  };
}
