/**
 * Matching event rows against the indicator index on the columns the catalog marks as entities:
 * `ip` columns (exact and CIDR; a column may hold a comma-separated list, as DnsEvents.IPAddresses does),
 * `domain` columns (host of the value, with parent domains), `url` columns (exact URL, and the URL's host
 * against domain indicators), hash columns, e-mail/mailbox columns. Used by NRT (committed batches) and
 * retro-hunt (stored history).
 */
import type { Catalog } from '../catalog/catalog.js';
import type { EntityKind } from '../catalog/types.js';
import type { IndicatorIndex, IndexHit } from './indicator-index.js';
import type { ObservableKind } from './indicators.js';
import { hostOf, normEmail, normHash, normIp, normUrl, toMs } from './normalize.js';

export interface EntityMatch {
  readonly column: string;
  /** The observed value in its normal form (host for domain matches). */
  readonly entity: string;
  readonly hit: IndexHit;
}

type Probe = 'ip' | 'domain' | 'url' | 'hash' | 'email';

const probeOf: Partial<Record<EntityKind, Probe>> = {
  ip: 'ip', domain: 'domain', url: 'url', 'file-hash': 'hash', md5: 'hash', sha1: 'hash', sha256: 'hash', email: 'email', mailbox: 'email',
};

/** Column → probe kinds for a table (a column listed as both url and domain is probed as url, which covers its host). */
export function matchColumns(catalog: Catalog, table: string): Map<string, Set<Probe>> {
  const out = new Map<string, Set<Probe>>();
  const def = catalog.tryGetTable(table);
  for (const e of def?.entityColumns ?? []) {
    const p = probeOf[e.kind];
    if (!p) continue;
    let s = out.get(e.column);
    if (!s) out.set(e.column, (s = new Set()));
    s.add(p);
  }
  for (const s of out.values()) if (s.has('url')) s.delete('domain');
  return out;
}

/** Which observable kinds a probe of a column can hit (for retro-hunt: which columns to scan for an indicator). */
export function probesFor(kind: ObservableKind): Probe[] {
  switch (kind) {
    case 'domain': return ['domain', 'url'];
    case 'ip': case 'cidr': return ['ip'];
    case 'url': return ['url'];
    case 'file-hash': return ['hash'];
    case 'email': return ['email'];
  }
}

export function timeOf(row: Readonly<Record<string, unknown>>): number | null {
  return toMs(row.Timestamp ?? row.TimeGenerated);
}

/** All matches of one row. Each (indicator, entity) pair appears once even when several columns carry it. */
export function matchRow(
  index: IndicatorIndex, columns: ReadonlyMap<string, ReadonlySet<Probe>>, row: Readonly<Record<string, unknown>>, nowMs: number,
): EntityMatch[] {
  const out: EntityMatch[] = [];
  const seen = new Set<string>();
  const eventMs = timeOf(row);
  const add = (column: string, entity: string, keys: readonly string[]) => {
    for (const key of keys) {
      const id = `${key}\u0000${entity}`;
      if (seen.has(id)) continue;
      const hit = index.activeFor(key, nowMs, eventMs);
      if (!hit) continue;
      seen.add(id);
      out.push({ column, entity, hit });
    }
  };
  for (const [column, probes] of columns) {
    const raw = row[column];
    if (raw === null || raw === undefined || raw === '') continue;
    const text = typeof raw === 'string' ? raw : String(raw);
    for (const p of probes) {
      switch (p) {
        case 'ip':
          for (const part of text.split(/[\s,;]+/)) if (part) add(column, normIp(part), index.ipKeys(normIp(part)));
          break;
        case 'domain': {
          const h = hostOf(text);
          if (h) add(column, h, index.domainKeys(h));
          break;
        }
        case 'url': {
          const u = normUrl(text);
          add(column, u, index.exactKey('url', u));
          const h = hostOf(text);
          if (h) add(column, h, index.domainKeys(h));
          break;
        }
        case 'hash':
          add(column, normHash(text), index.exactKey('file-hash', normHash(text)));
          break;
        case 'email':
          add(column, normEmail(text), index.exactKey('email', normEmail(text)));
          break;
      }
    }
  }
  return out;
}
