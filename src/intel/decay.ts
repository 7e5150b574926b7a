/**
 * Indicator expiry and decay (documented in docs/intel.md "Decay model").
 *
 * Each observable kind has a half-life: infrastructure that changes hands quickly decays fast.
 *   IPv4/IPv6 30 days · domain, URL 60 days · e-mail 90 days · file name, other 180 days · hashes 365 days.
 * An indicator takes the shortest half-life among its observables (180 days when it has none).
 * Reference time `seen` = the later of `valid_from` and `modified` (a re-confirmed indicator is fresh again).
 * Effective expiry = `valid_until` when the source gives one, else `seen` + 4 half-lives.
 * Decay score at time t = round(confidence × 0.5^((t − seen) / half-life)), confidence defaulting to 50;
 * 0 once revoked or expired.
 */
import type { ObservableKind } from './normalize.js';
import { timestampMicros, type StixObject } from './stix.js';

const DAY_US = 86_400_000_000n;

export const halfLifeDays: Record<ObservableKind, number> = {
  ipv4: 30, ipv6: 30, domain: 60, url: 60, email: 90, filename: 180, other: 180, md5: 365, sha1: 365, sha256: 365, sha512: 365,
};

export function indicatorHalfLifeDays(kinds: readonly ObservableKind[]): number {
  return kinds.length === 0 ? 180 : Math.min(...kinds.map((k) => halfLifeDays[k]));
}

/** The reference "last seen" of an indicator version, epoch µs. */
export function seenMicros(o: StixObject): bigint {
  const from = timestampMicros(o.valid_from) ?? 0n;
  const mod = timestampMicros(o.modified ?? o.created) ?? 0n;
  return from > mod ? from : mod;
}

/** Effective expiry in epoch µs. */
export function expiryMicros(o: StixObject, kinds: readonly ObservableKind[]): bigint {
  const until = timestampMicros(o.valid_until);
  if (until !== null) return until;
  return seenMicros(o) + BigInt(4 * indicatorHalfLifeDays(kinds)) * DAY_US;
}

export function decayScore(o: StixObject, kinds: readonly ObservableKind[], now: Date = new Date()): number {
  const t = BigInt(now.getTime()) * 1000n;
  if (o.revoked === true || t >= expiryMicros(o, kinds)) return 0;
  const conf = typeof o.confidence === 'number' ? o.confidence : 50;
  const ageDays = Number(t - seenMicros(o)) / Number(DAY_US);
  return Math.round(conf * Math.pow(0.5, Math.max(0, ageDays) / indicatorHalfLifeDays(kinds)));
}
