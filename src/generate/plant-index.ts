/**
 * Lookup of planted values by the kind of column they sit in. The engine runs it over the declared
 * plant columns of every planted row to record the truth, so a row's references are read off the row
 * itself rather than remembered separately by each table generator.
 */
import { observedValues, urlHost, type PlantConfig, type PlantedIndicator } from './plant.js';

/** How a column can carry an indicator. */
export type PlantColumnKind =
  | 'url' // a URL, or a bare host (DeviceNetworkEvents.RemoteUrl), or `host/path` (CEF RequestURL)
  | 'host' // a host name
  | 'ip'
  | 'hash'
  | 'email'
  | 'dnsjson' // Defender AdditionalFields JSON with DnsQueryString
  | 'urlchain' // JSON array string of URLs
  | 'text'; // free text (command lines): any planted value as a substring

export interface PlantMatch {
  readonly indicator: PlantedIndicator;
  readonly value: string;
}

export interface PlantIndex {
  lookup(kind: PlantColumnKind, value: unknown): PlantMatch[];
}

function add(map: Map<string, PlantedIndicator[]>, key: string, ind: PlantedIndicator): void {
  const k = key.toLowerCase();
  const list = map.get(k);
  if (list) list.push(ind);
  else map.set(k, [ind]);
}

/** Host part of a URL-ish value: `https://h/p` → h, `h/p` → h, `h` → h. */
export function hostOfUrlish(v: string): string {
  if (v.includes('://')) return urlHost(v);
  return (v.split(/[/:?#]/)[0] ?? '').toLowerCase();
}

export function buildPlantIndex(cfg: PlantConfig): PlantIndex {
  const byUrl = new Map<string, PlantedIndicator[]>();
  const byHost = new Map<string, PlantedIndicator[]>();
  const byIp = new Map<string, PlantedIndicator[]>();
  const byHash = new Map<string, PlantedIndicator[]>();
  const byEmail = new Map<string, PlantedIndicator[]>();
  const texts: [string, PlantedIndicator][] = [];
  for (const ind of cfg.indicators) {
    for (const v of observedValues(ind)) {
      texts.push([v.toLowerCase(), ind]);
      switch (ind.kind) {
        case 'domain': add(byHost, v, ind); break;
        case 'ipv4': case 'cidr': add(byIp, v, ind); break;
        case 'url': add(byUrl, v, ind); break;
        case 'sha1': case 'sha256': add(byHash, v, ind); break;
        case 'email': add(byEmail, v, ind); break;
      }
    }
  }

  const one = (map: Map<string, PlantedIndicator[]>, v: string, shown: string, out: PlantMatch[]): void => {
    const hit = map.get(v.toLowerCase());
    if (hit) for (const indicator of hit) out.push({ indicator, value: shown });
  };
  const url = (v: string, out: PlantMatch[]): void => {
    one(byUrl, v, v, out);
    const host = hostOfUrlish(v);
    if (host) one(byHost, host, host, out);
  };

  return {
    lookup(kind, raw) {
      const out: PlantMatch[] = [];
      if (raw === null || raw === undefined || raw === '') return out;
      switch (kind) {
        case 'url': url(String(raw), out); break;
        case 'host': one(byHost, String(raw), String(raw).toLowerCase(), out); break;
        case 'ip': one(byIp, String(raw), String(raw), out); break;
        case 'hash': one(byHash, String(raw), String(raw), out); break;
        case 'email': one(byEmail, String(raw), String(raw), out); break;
        case 'dnsjson': {
          const obj = typeof raw === 'string' ? (JSON.parse(raw) as Record<string, unknown>) : (raw as Record<string, unknown>);
          const q = obj?.DnsQueryString;
          if (typeof q === 'string') one(byHost, q, q.toLowerCase(), out);
          break;
        }
        case 'urlchain': {
          const arr = typeof raw === 'string' ? (JSON.parse(raw) as unknown[]) : (raw as unknown[]);
          for (const u of arr) if (typeof u === 'string') url(u, out);
          break;
        }
        case 'text': {
          const t = String(raw).toLowerCase();
          for (const [v, indicator] of texts) if (t.includes(v)) out.push({ indicator, value: v });
          break;
        }
      }
      return out;
    },
  };
}
