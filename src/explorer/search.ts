/**
 * The one search box: what kind of artifact a text is. Order matters (a SHA-1 is also hex, a URL contains a
 * host); ambiguous text such as `example` (no dot) is treated as a cookie name / tracker value search.
 */
import { QuarryError } from '../core/errors.js';
import { cidrRange, hostOfUrl, isHostname, isIpAddress, normaliseHost, registeredDomain } from './hostnames.js';

export type ArtifactKind =
  | 'domain' | 'host' | 'ip' | 'cidr' | 'url' | 'certificate' | 'hash' | 'email' | 'asn' | 'tracker' | 'cookie';

export interface Artifact {
  readonly kind: ArtifactKind;
  /** Normalised value used for lookups (lowercase host, `AS123` → `123`, …). */
  readonly value: string;
  readonly input: string;
  /** For hashes: md5, sha1, sha256. */
  readonly hashType?: 'md5' | 'sha1' | 'sha256';
}

const trackerLike = /^(UA-\d{4,10}-\d{1,4}|G-[A-Z0-9]{6,12}|GTM-[A-Z0-9]{4,9}|AW-\d{8,12})$/i;

export function classifyArtifact(text: string): Artifact {
  const input = text;
  const s = text.trim();
  if (!s) throw new QuarryError('explorer/bad-artifact', 'the search text is empty');
  if (/^https?:\/\//i.test(s) && hostOfUrl(s)) return { kind: 'url', value: s, input };
  if (isIpAddress(normaliseHost(s))) return { kind: 'ip', value: normaliseHost(s), input };
  if (/\//.test(s) && cidrRange(s)) return { kind: 'cidr', value: s, input };
  if (/^AS\s?\d{1,10}$/i.test(s)) return { kind: 'asn', value: s.replace(/^AS\s?/i, ''), input };
  if (/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i.test(s)) return { kind: 'email', value: s.toLowerCase(), input };
  if (/^[0-9a-f]{40}$/i.test(s)) return { kind: 'certificate', value: s.toLowerCase(), input, hashType: 'sha1' };
  if (/^[0-9a-f]{64}$/i.test(s)) return { kind: 'hash', value: s.toLowerCase(), input, hashType: 'sha256' };
  if (/^[0-9a-f]{32}$/i.test(s)) return { kind: 'hash', value: s.toLowerCase(), input, hashType: 'md5' };
  if (trackerLike.test(s)) return { kind: 'tracker', value: s.toUpperCase(), input };
  const h = normaliseHost(s);
  if (isHostname(h)) return { kind: registeredDomain(h) === h ? 'domain' : 'host', value: h, input };
  if (/^[A-Za-z0-9_.$-]{1,128}$/.test(s)) return { kind: 'cookie', value: s, input };
  throw new QuarryError('explorer/bad-artifact', `'${s}' is not a domain, host, IP, CIDR, URL, certificate SHA-1, hash, e-mail, ASN, tracker or cookie name`, {
    hints: ['examples: dancevida.com, 203.0.113.77, 198.51.100.0/24, AS64500, UA-12345678-1, JSESSIONID'],
  });
}

/** The host a lookup centres on (URL → its host); undefined for kinds without a host. */
export function hostOfArtifact(a: Artifact): string | undefined {
  if (a.kind === 'domain' || a.kind === 'host' || a.kind === 'ip') return a.value;
  if (a.kind === 'url') return hostOfUrl(a.value);
  return undefined;
}
