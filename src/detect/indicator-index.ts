/**
 * The in-memory index of indicators the NRT matcher looks values up in. It keeps the latest version of
 * every source (so a later inactive/expired version switches a value off) and answers, per observed
 * value: exact domain and every parent domain, exact IP and every IPv4 network (CIDR) containing it,
 * exact URL, hash, e-mail address. Expiry and exclusions are checked at lookup time against the clock.
 */
import type { IndicatorVersion, Observable } from './indicators.js';
import { ipv4ToInt, maskIpv4, parseCidr } from './normalize.js';

export interface IndexHit {
  readonly observable: Observable;
  readonly version: IndicatorVersion;
}

export class IndicatorIndex {
  private readonly versions = new Map<string, IndicatorVersion>();
  /** observable key → source ids carrying it (in any version still current). */
  private readonly byKey = new Map<string, Set<string>>();
  /** prefix length → network (as integer) → observable keys. */
  private readonly cidrs = new Map<number, Map<number, Set<string>>>();
  private readonly excluded = new Set<string>();

  get size(): number {
    return this.byKey.size;
  }

  /** Applies one version; returns the observables whose state changed (new, reactivated or edited), for retro-hunt. */
  apply(v: IndicatorVersion): Observable[] {
    const old = this.versions.get(v.sourceId);
    if (old && old.time > v.time) return [];
    this.versions.set(v.sourceId, v);
    if (old) for (const o of old.observables) if (!v.observables.some((x) => x.key === o.key)) this.unlink(o, v.sourceId);
    for (const o of v.observables) this.link(o, v.sourceId);
    if (!v.active) return [];
    const same = old && old.active && old.expiresAt === v.expiresAt;
    return v.observables.filter((o) => !(same && old.observables.some((x) => x.key === o.key)));
  }

  setExcluded(keys: Iterable<string>): void {
    this.excluded.clear();
    for (const k of keys) this.excluded.add(k);
  }

  isExcluded(key: string): boolean {
    return this.excluded.has(key);
  }

  private link(o: Observable, sourceId: string): void {
    let s = this.byKey.get(o.key);
    if (!s) this.byKey.set(o.key, (s = new Set()));
    s.add(sourceId);
    if (o.kind === 'cidr') {
      const c = parseCidr(o.value)!;
      let m = this.cidrs.get(c.bits);
      if (!m) this.cidrs.set(c.bits, (m = new Map()));
      let keys = m.get(c.network);
      if (!keys) m.set(c.network, (keys = new Set()));
      keys.add(o.key);
    }
  }

  private unlink(o: Observable, sourceId: string): void {
    const s = this.byKey.get(o.key);
    if (!s) return;
    s.delete(sourceId);
    if (s.size > 0) return;
    this.byKey.delete(o.key);
    if (o.kind === 'cidr') {
      const c = parseCidr(o.value)!;
      this.cidrs.get(c.bits)?.get(c.network)?.delete(o.key);
    }
  }

  /** The active, unexpired, not excluded version carrying `key` (highest confidence first); null otherwise. */
  activeFor(key: string, nowMs: number, eventMs: number | null): IndexHit | null {
    if (this.excluded.has(key)) return null;
    const ids = this.byKey.get(key);
    if (!ids) return null;
    let best: IndexHit | null = null;
    for (const id of ids) {
      const v = this.versions.get(id)!;
      if (!v.active) continue;
      if (v.expiresAt !== null && (v.expiresAt <= nowMs || (eventMs !== null && eventMs >= v.expiresAt))) continue;
      const o = v.observables.find((x) => x.key === key)!;
      if (!best || (v.info.confidence ?? 0) > (best.version.info.confidence ?? 0)) best = { observable: o, version: v };
    }
    return best;
  }

  /** Keys of domain indicators matching a host or any of its parents. */
  domainKeys(host: string): string[] {
    const out: string[] = [];
    let h = host;
    for (;;) {
      const k = `domain:${h}`;
      if (this.byKey.has(k)) out.push(k);
      const dot = h.indexOf('.');
      if (dot < 0) break;
      h = h.slice(dot + 1);
    }
    return out;
  }

  /** Keys of IP indicators equal to the address, and of every CIDR containing it (IPv4). */
  ipKeys(ip: string): string[] {
    const out: string[] = [];
    const k = `ip:${ip}`;
    if (this.byKey.has(k)) out.push(k);
    const n = ipv4ToInt(ip);
    if (n !== null) {
      for (const [bits, nets] of this.cidrs) {
        const keys = nets.get(maskIpv4(n, bits));
        if (keys) for (const key of keys) out.push(key);
      }
    }
    return out;
  }

  exactKey(kind: 'url' | 'file-hash' | 'email', value: string): string[] {
    const k = `${kind}:${value}`;
    return this.byKey.has(k) ? [k] : [];
  }

  /** Every current observable key with its version (for retro-hunt over all indicators). */
  *entries(): Generator<IndexHit> {
    for (const v of this.versions.values()) for (const o of v.observables) yield { observable: o, version: v };
  }
}
