/**
 * Indicators as detection sees them: observables read off rows of `ThreatIntelligenceIndicator` (legacy,
 * flat columns; one row per version, keyed by IndicatorId) and `ThreatIntelIndicators` (STIX; one row per
 * observable of a version, keyed by Id + ObservableValue). The latest version of a source decides whether
 * it is active — the same rule the Sentinel TI-map queries apply with `arg_max(TimeGenerated, *)`.
 */
import { canonicalCidr, normDomain, normEmail, normHash, normIp, normUrl, toMs } from './normalize.js';

export type ObservableKind = 'domain' | 'ip' | 'cidr' | 'url' | 'file-hash' | 'email';

export interface IndicatorInfo {
  readonly ids: readonly string[];
  readonly table: string;
  readonly threatType: string;
  readonly description: string;
  readonly confidence: number | null;
  readonly activityGroupNames: string;
  readonly tags: string;
  readonly tlp: string;
  readonly expiresAt: string | null;
}

/** One observable of one indicator version. `key` (`kind:value`) identifies the indicator in dedup keys. */
export interface Observable {
  readonly kind: ObservableKind;
  readonly value: string;
  readonly key: string;
}

/** The state one source row (version) puts a source id in. */
export interface IndicatorVersion {
  /** `tii:<IndicatorId>` or `tis:<Id>|<ObservableValue>`. */
  readonly sourceId: string;
  readonly time: number;
  readonly active: boolean;
  readonly expiresAt: number | null;
  readonly observables: readonly Observable[];
  readonly info: IndicatorInfo;
}

export const LEGACY_TABLE = 'ThreatIntelligenceIndicator';
export const STIX_TABLE = 'ThreatIntelIndicators';
export const indicatorTables: readonly string[] = [LEGACY_TABLE, STIX_TABLE];

export function observable(kind: ObservableKind, raw: string): Observable | null {
  const t = raw.trim();
  if (t === '') return null;
  let value: string | null;
  switch (kind) {
    case 'domain': value = normDomain(t); break;
    case 'ip': value = t.includes('/') ? null : normIp(t); break;
    case 'cidr': value = canonicalCidr(t); break;
    case 'url': value = normUrl(t); break;
    case 'file-hash': value = normHash(t); break;
    case 'email': value = normEmail(t); break;
  }
  if (!value) return null;
  // A /32 "CIDR" is a plain address.
  const k: ObservableKind = kind === 'cidr' && !value.includes('/') ? 'ip' : kind;
  return { kind: k, value, key: `${k === 'cidr' ? 'ip' : k}:${value}` };
}

function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'string' ? v : String(v);
}

function jsonField(v: unknown, field: string): unknown {
  if (v === null || v === undefined) return undefined;
  let o = v;
  if (typeof v === 'string') {
    try {
      o = JSON.parse(v);
    } catch {
      return undefined;
    }
  }
  return o && typeof o === 'object' ? (o as Record<string, unknown>)[field] : undefined;
}

function isTrue(v: unknown): boolean {
  return v === true || v === 1 || v === 1n || (typeof v === 'string' && v.toLowerCase() === 'true');
}

const inactiveMarks = ['State: inactive;', 'State: falsepos;'];

const legacyColumns: readonly [string, ObservableKind][] = [
  ['DomainName', 'domain'], ['Url', 'url'], ['NetworkIP', 'ip'], ['NetworkDestinationIP', 'ip'], ['NetworkSourceIP', 'ip'],
  ['EmailSourceIpAddress', 'ip'], ['NetworkCidrBlock', 'cidr'], ['NetworkDestinationCidrBlock', 'cidr'], ['NetworkSourceCidrBlock', 'cidr'],
  ['FileHashValue', 'file-hash'], ['EmailSenderAddress', 'email'], ['EmailRecipient', 'email'],
];

function stixKind(key: string, value: string): ObservableKind | null {
  const k = key.toLowerCase();
  if (k.startsWith('domain-name')) return 'domain';
  if (k.startsWith('ipv4-addr') || k.startsWith('ipv6-addr')) return value.includes('/') ? 'cidr' : 'ip';
  if (k.startsWith('url')) return 'url';
  if (k.startsWith('file:hashes')) return 'file-hash';
  if (k.startsWith('email-addr') || k.startsWith('email-message:from_ref')) return 'email';
  return null;
}

/** The indicator version a row of one of the indicator tables stands for; null when the row holds no usable observable. */
export function versionFromRow(table: string, row: Readonly<Record<string, unknown>>): IndicatorVersion | null {
  const time = toMs(row.TimeGenerated);
  if (time === null) return null;
  if (table === LEGACY_TABLE) {
    const id = text(row.IndicatorId);
    if (!id) return null;
    const observables: Observable[] = [];
    for (const [col, kind] of legacyColumns) {
      const o = observable(kind, text(row[col]));
      if (o && !observables.some((x) => x.key === o.key)) observables.push(o);
    }
    const description = text(row.Description);
    const expiresAt = toMs(row.ExpirationDateTime);
    return {
      sourceId: `tii:${id}`, time, observables, expiresAt,
      active: isTrue(row.Active) && !inactiveMarks.some((m) => description.includes(m)),
      info: {
        ids: [id, ...(row.ExternalIndicatorId ? [text(row.ExternalIndicatorId)] : [])], table, threatType: text(row.ThreatType), description,
        confidence: row.ConfidenceScore === null || row.ConfidenceScore === undefined ? null : Number(row.ConfidenceScore),
        activityGroupNames: text(row.ActivityGroupNames), tags: text(row.Tags), tlp: text(row.TrafficLightProtocolLevel),
        expiresAt: expiresAt === null ? null : new Date(expiresAt).toISOString(),
      },
    };
  }
  if (table === STIX_TABLE) {
    const id = text(row.Id);
    const value = text(row.ObservableValue);
    if (!id || !value) return null;
    const kind = stixKind(text(row.ObservableKey), value);
    const o = kind ? observable(kind, value) : null;
    const description = text(jsonField(row.Data, 'description'));
    const expiresAt = toMs(row.ValidUntil);
    return {
      sourceId: `tis:${id}|${value}`, time, observables: o ? [o] : [], expiresAt,
      active: isTrue(row.IsActive) && !isTrue(row.Revoked) && !isTrue(row.IsDeleted) && !inactiveMarks.some((m) => description.includes(m)),
      info: {
        ids: [id], table, threatType: text(jsonField(row.AdditionalFields, 'ThreatType')), description,
        confidence: row.Confidence === null || row.Confidence === undefined ? null : Number(row.Confidence),
        activityGroupNames: '', tags: text(row.Tags), tlp: text(jsonField(row.AdditionalFields, 'TLPLevel')),
        expiresAt: expiresAt === null ? null : new Date(expiresAt).toISOString(),
      },
    };
  }
  return null;
}
