/**
 * Observables of a STIX pattern: every positive equality (`=`, `IN`) comparison becomes an observable with
 * its STIX key (`domain-name:value`, `file:hashes.'SHA-256'`, …) and a normalised value. Matchable kinds
 * (domain, IPv4/IPv6 incl. CIDR, URL, MD5/SHA-1/SHA-256/SHA-512, e-mail, file name) are classified; the rest
 * are kept as `other` so they stay searchable. Negated comparisons and ranges are not observables.
 */
import { normalizeAs, normalizeHash, classifyValue, type ObservableKind } from '../normalize.js';
import { comparisonsOf, parsePattern, pathText, type Literal, type ObjectPath } from './parser.js';

export interface Observable {
  readonly kind: ObservableKind;
  /** Sentinel's ObservableKey: the left side of the comparison as written canonically. */
  readonly key: string;
  readonly value: string;
}

function hashKind(name: string): 'md5' | 'sha1' | 'sha256' | 'sha512' | null {
  const n = name.toUpperCase().replace(/[-_]/g, '');
  return n === 'MD5' ? 'md5' : n === 'SHA1' ? 'sha1' : n === 'SHA256' ? 'sha256' : n === 'SHA512' ? 'sha512' : null;
}

/** The observable kind a path designates; `by-value` when only the value can tell (network-traffic refs). */
function kindOfPath(p: ObjectPath): ObservableKind | 'by-value' {
  const props = p.steps.filter((s) => s.kind === 'prop').map((s) => (s as { name: string }).name);
  const last = props[props.length - 1] ?? '';
  const first = props[0] ?? '';
  switch (p.objectType) {
    case 'domain-name':
      if (props.length === 1 && last === 'value') return 'domain';
      if (first === 'resolves_to_refs' && last === 'value') return 'by-value';
      return 'other';
    case 'ipv4-addr': return props.length === 1 && last === 'value' ? 'ipv4' : 'other';
    case 'ipv6-addr': return props.length === 1 && last === 'value' ? 'ipv6' : 'other';
    case 'url': return props.length === 1 && last === 'value' ? 'url' : 'other';
    case 'email-addr': return props.length === 1 && last === 'value' ? 'email' : 'other';
    case 'email-message':
      if (/^(from_ref|sender_ref|to_refs|cc_refs|bcc_refs)$/.test(first) && last === 'value') return 'email';
      return 'other';
    case 'network-traffic':
      if ((first === 'dst_ref' || first === 'src_ref') && last === 'value') return 'by-value';
      return 'other';
    case 'file':
    case 'artifact':
    case 'x509-certificate':
      if (first === 'hashes' && props.length === 2) return hashKind(last) ?? 'other';
      if (p.objectType === 'file' && props.length === 1 && last === 'name') return 'filename';
      return 'other';
    default:
      return 'other';
  }
}

function literalText(l: Literal): string | null {
  return l.kind === 'string' ? l.value : null;
}

/** Extracts observables from a parsed or textual pattern; duplicates (same key and value) are dropped. */
export function extractObservables(pattern: string): Observable[] {
  const ast = parsePattern(pattern);
  const out: Observable[] = [];
  const seen = new Set<string>();
  for (const c of comparisonsOf(ast)) {
    if (c.kind !== 'compare' || c.negated || (c.op !== '=' && c.op !== 'IN')) continue;
    const values = (Array.isArray(c.value) ? c.value : [c.value]) as Literal[];
    const key = pathText(c.path);
    const pathKind = kindOfPath(c.path);
    for (const lit of values) {
      const raw = literalText(lit);
      if (raw === null) continue;
      let kind: ObservableKind;
      let value: string | null;
      if (pathKind === 'by-value') {
        const guess = classifyValue(raw);
        kind = guess ? guess.kind : 'other';
        value = guess ? guess.value : raw;
      } else if (pathKind === 'md5' || pathKind === 'sha1' || pathKind === 'sha256' || pathKind === 'sha512') {
        // trust the value's length over a mislabelled key (MD5 under 'SHA-256' happens in the wild)
        const h = normalizeHash(raw);
        kind = h ? h.kind : 'other';
        value = h ? h.value : raw;
      } else {
        kind = pathKind;
        value = normalizeAs(kind, raw);
        if (value === null) {
          // an IPv4 comparison holding an IPv6 value or similar slips: keep it searchable
          kind = 'other';
          value = raw;
        }
      }
      const id = `${key}\u0000${value}`;
      if (seen.has(id)) continue;
      seen.add(id);
      out.push({ kind, key, value });
    }
  }
  return out;
}
