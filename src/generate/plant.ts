/**
 * Planted infrastructure: the indicators a generated data set deliberately references, and the
 * "planted truth" — which rows reference which indicator, by table and event key — that detection
 * and hunting tests compare their results against.
 *
 * The default set mirrors the MDTI blog scenario: the phishing-kit host `dancevida.com` and its child
 * hosts, a C2 domain, two C2 IPv4s (one only matched through its CIDR), a malicious URL, a SHA256 and a
 * SHA1 file hash, a malicious sender. Plus two decoys that must never raise an alert: an expired
 * indicator and an inactive one. Apart from `dancevida.com` (the blog's own example) every value sits in
 * reserved space (RFC 2606 `example.*` names, RFC 5737 documentation addresses), so nothing here points
 * at a real host.
 */
import { createHash } from 'node:crypto';
import { QuarryError } from '../core/errors.js';

export type IndicatorKind = 'domain' | 'ipv4' | 'cidr' | 'url' | 'sha256' | 'sha1' | 'email';

/** `active` indicators should match; `expired` (ExpirationDateTime in the past) and `inactive` ones must not. */
export type IndicatorStatus = 'active' | 'expired' | 'inactive';

/** What an indicator stands for; decides where the generator plants it (phish → mail and browsing, c2 → network). */
export type IndicatorRole = 'phish' | 'c2' | 'payload' | 'sender';

export interface PlantedIndicator {
  /** Stable short name used in the truth, e.g. `phish-domain`. */
  readonly id: string;
  readonly kind: IndicatorKind;
  /** The indicator value: domain, IPv4, CIDR, URL, hash or email address. */
  readonly value: string;
  /**
   * Values that appear in events for this indicator: the child hosts of a domain (the domain itself
   * included), the member addresses of a CIDR. Defaults to `[value]`.
   */
  readonly observed?: readonly string[];
  readonly role: IndicatorRole;
  readonly status: IndicatorStatus;
  readonly description: string;
  readonly threatType: string;
  readonly confidence: number;
  readonly activityGroup?: string;
  /** File name that goes with a hash indicator. */
  readonly fileName?: string;
}

export interface PlantConfig {
  /** Fraction of rows of each planting table that reference an indicator (besides the forced ones). */
  readonly rate: number;
  readonly indicators: readonly PlantedIndicator[];
}

/** One reference of a row to an indicator. */
export interface TruthRef {
  readonly table: string;
  /** Name of the key column (`ReportId`, or the column the generator fills uniquely in Sentinel tables). */
  readonly keyColumn: string;
  /** The row's key, as text. */
  readonly key: string;
  /** `PlantedIndicator.id`. */
  readonly indicator: string;
  /** Column holding the reference (`AdditionalFields` for a DnsQueryString, `UrlChain` for a chain element). */
  readonly column: string;
  /** The observed value in that column (host, URL, IP, hash, address). */
  readonly value: string;
  /** Event time, ISO 8601. */
  readonly time: string;
}

export interface PlantedTruth {
  readonly indicators: readonly PlantedIndicator[];
  readonly refs: readonly TruthRef[];
}

function sha(alg: 'sha1' | 'sha256', text: string): string {
  return createHash(alg).update(text).digest('hex');
}

const phishHosts = ['dancevida.com', 'www.dancevida.com', 'login.dancevida.com', 'cdn.dancevida.com', 'mail.dancevida.com'];

export const defaultIndicators: readonly PlantedIndicator[] = [
  {
    id: 'phish-domain', kind: 'domain', value: 'dancevida.com', observed: phishHosts, role: 'phish', status: 'active',
    description: 'Phishing kit host serving credential-harvesting pages', threatType: 'Phishing', confidence: 90,
    activityGroup: 'STORM-0000',
  },
  {
    id: 'c2-domain', kind: 'domain', value: 'cdn-sync.example.net', role: 'c2', status: 'active',
    description: 'Command and control domain of the implant', threatType: 'C2', confidence: 85, activityGroup: 'STORM-0000',
  },
  {
    id: 'c2-ip', kind: 'ipv4', value: '203.0.113.77', role: 'c2', status: 'active',
    description: 'Command and control server', threatType: 'C2', confidence: 80, activityGroup: 'STORM-0000',
  },
  {
    id: 'c2-cidr', kind: 'cidr', value: '198.51.100.0/24', observed: ['198.51.100.23'], role: 'c2', status: 'active',
    description: 'Hosting range of the C2 infrastructure', threatType: 'C2', confidence: 70, activityGroup: 'STORM-0000',
  },
  {
    id: 'phish-url', kind: 'url', value: 'https://login.dancevida.com/owa/auth/logon.aspx', role: 'phish', status: 'active',
    description: 'Credential phishing page imitating Outlook Web Access', threatType: 'Phishing', confidence: 95,
    activityGroup: 'STORM-0000',
  },
  {
    id: 'payload-sha256', kind: 'sha256', value: sha('sha256', 'quarry-planted-dropper-Invoice_2291.iso'), role: 'payload',
    status: 'active', description: 'Dropper delivered by the phishing campaign', threatType: 'Malware', confidence: 90,
    activityGroup: 'STORM-0000', fileName: 'Invoice_2291.iso',
  },
  {
    id: 'payload-sha1', kind: 'sha1', value: sha('sha1', 'quarry-planted-implant-msupdate.dll'), role: 'payload',
    status: 'active', description: 'Implant loaded by the dropper', threatType: 'Malware', confidence: 85,
    activityGroup: 'STORM-0000', fileName: 'msupdate.dll',
  },
  {
    id: 'phish-sender', kind: 'email', value: 'accounts@billing-notice.example.org', role: 'sender', status: 'active',
    description: 'Sender of the invoice-themed phishing mails', threatType: 'Phishing', confidence: 85, activityGroup: 'STORM-0000',
  },
  {
    id: 'decoy-expired-ip', kind: 'ipv4', value: '192.0.2.44', role: 'c2', status: 'expired',
    description: 'Former C2 server of an old campaign (expired)', threatType: 'C2', confidence: 60,
  },
  {
    id: 'decoy-inactive-domain', kind: 'domain', value: 'old-cdn.example.com', role: 'c2', status: 'inactive',
    description: 'State: inactive; Retired C2 domain', threatType: 'C2', confidence: 50,
  },
];

export const defaultPlantConfig: PlantConfig = { rate: 0.002, indicators: defaultIndicators };

export function observedValues(ind: PlantedIndicator): readonly string[] {
  return ind.observed && ind.observed.length > 0 ? ind.observed : [ind.value];
}

/** Host of an http(s) URL, lowercase; '' when it is not a URL. */
export function urlHost(url: string): string {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#:]+)/i.exec(url);
  return m ? (m[1] as string).toLowerCase() : '';
}

/** Checks a plant configuration; throws `generate/bad-option` with the offending entry. */
export function validatePlantConfig(cfg: PlantConfig): PlantConfig {
  if (!(cfg.rate >= 0 && cfg.rate <= 0.5)) {
    throw new QuarryError('generate/bad-option', `plant rate must be between 0 and 0.5, got ${cfg.rate}`);
  }
  const ids = new Set<string>();
  for (const ind of cfg.indicators) {
    if (ids.has(ind.id)) throw new QuarryError('generate/bad-option', `planted indicator id '${ind.id}' is used twice`);
    ids.add(ind.id);
    const ok =
      ind.kind === 'domain' ? /^[a-z0-9.-]+\.[a-z]{2,}$/i.test(ind.value)
      : ind.kind === 'ipv4' ? /^\d{1,3}(\.\d{1,3}){3}$/.test(ind.value)
      : ind.kind === 'cidr' ? /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(ind.value) && (ind.observed?.length ?? 0) > 0
      : ind.kind === 'url' ? urlHost(ind.value) !== ''
      : ind.kind === 'sha256' ? /^[0-9a-f]{64}$/i.test(ind.value)
      : ind.kind === 'sha1' ? /^[0-9a-f]{40}$/i.test(ind.value)
      : /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i.test(ind.value);
    if (!ok) {
      throw new QuarryError('generate/bad-option', `planted indicator '${ind.id}': '${ind.value}' is not a valid ${ind.kind}`, {
        hints: ind.kind === 'cidr' ? ['a cidr indicator needs `observed` member addresses to plant'] : undefined,
      });
    }
  }
  return cfg;
}
