/**
 * A raw WHOIS text parser for the many registry formats (ICANN `Key: Value`, RIPE-style `key: value` with
 * handles, indented sections such as Nominet's and SIDN's, JPRS `[Key] value`, dotted padding
 * `Key.....: value`, section headers followed by one value per line). It reads the text into `(section, key,
 * value)` entries, then maps keys onto fields with the synonym table in `whois-fields.ts`. The first line
 * that yields a field wins (registries list the authoritative line first).
 *
 * Output: registrar, WHOIS server, created/updated/expires (raw text as the registry wrote it plus an ISO
 * instant when the format is understood), statuses, name servers, contacts by role.
 */
import { normaliseHost } from '../hostnames.js';
import { parseWhoisDate } from './whois-dates.js';
import { contactRoleOf, contactFieldOf, fieldOf, isHeaderKey, type WhoisField } from './whois-fields.js';

export interface WhoisContact {
  name?: string;
  organization?: string;
  email?: string;
  street?: string;
  city?: string;
  state?: string;
  postalCode?: string;
  country?: string;
  phone?: string;
  fax?: string;
}

export interface ParsedWhois {
  domain?: string;
  registrar?: string;
  whoisServer?: string;
  /** Dates as written in the text. */
  createdRaw?: string;
  updatedRaw?: string;
  expiresRaw?: string;
  /** The same dates as ISO 8601 instants, when the format is understood. */
  created?: string;
  updated?: string;
  expires?: string;
  statuses: string[];
  nameServers: string[];
  contacts: Record<string, WhoisContact>;
  emails: string[];
}

interface Entry {
  section: string;
  key: string;
  value: string;
}

const COMMENT = /^\s*(%|#|>>>|--|\*)/;

/** Normalised key: lowercase, no dots/padding/brackets, single spaces. */
export function normKey(k: string): string {
  return k
    .toLowerCase()
    .replace(/[\[\]]/g, ' ')
    .replace(/\.{2,}/g, ' ')
    .replace(/^[a-z]\.\s+/, '')
    .replace(/[_\t]+/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/[.:\s]+$/, '')
    .trim();
}

/** Reads the text into entries; section headers (a key with no value) give context to following lines. */
export function whoisEntries(text: string): Entry[] {
  const out: Entry[] = [];
  let section = '';
  let sectionIndent = -1;
  let sectionValues = 0;
  let lastKey: Entry | undefined;
  const open = (key: string, indent: number) => {
    section = key;
    sectionIndent = indent;
    sectionValues = 0;
    lastKey = undefined;
  };
  const lines = text.replace(/\r/g, '').split('\n');
  for (const raw of lines) {
    if (raw.trim() === '' || /^\s*[-=_]{3,}\s*$/.test(raw)) {
      // A blank line ends a section that already has values; a header followed by a blank keeps waiting.
      if (section && sectionValues > 0) open('', -1);
      lastKey = undefined;
      continue;
    }
    if (COMMENT.test(raw)) continue;
    const indent = raw.length - raw.trimStart().length;
    const line = raw.trim();
    // JPRS: `[Domain Name]   GOOGLE.JP` or `a. [Domain Name]  GOOGLE.CO.JP`
    const jp = /^(?:[a-z]\.\s*)?\[([^\]]+)\]\s*(.*)$/i.exec(line);
    if (jp) {
      const e = { section: '', key: normKey(jp[1]!), value: jp[2]!.trim() };
      out.push(e);
      lastKey = e;
      continue;
    }
    const kv = /^([^:\t]{1,60}?)\s*:(?!\/\/)\s*(.*)$/.exec(line) ?? /^([^:\t]{1,40}?)\t+(.*)$/.exec(line);
    if (kv && !/^https?$/i.test(kv[1]!.trim())) {
      const key = normKey(kv[1]!);
      const value = kv[2]!.trim();
      if (section && indent <= sectionIndent) open('', -1);
      if (value === '') {
        open(key, indent);
        lastKey = { section: '', key, value: '' };
        continue;
      }
      const e = { section, key, value };
      out.push(e);
      if (section) sectionValues++;
      lastKey = e;
      continue;
    }
    // A header without a colon (`Name servers`, `Nameservers`) opens a section when it is a known key.
    if (!section || indent <= sectionIndent) {
      const k = normKey(line);
      if (isHeaderKey(k)) {
        open(k, indent);
        continue;
      }
    }
    // A value-only line: belongs to the open section (one value per line) or continues the last key.
    if (section) {
      out.push({ section: '', key: section, value: line });
      sectionValues++;
    } else if (lastKey && indent > 0) out.push({ section: lastKey.section, key: lastKey.key, value: line });
  }
  return out;
}

function cleanNs(v: string): string {
  // `ns1.google.com 216.239.32.10`, `ns1.example.com. (1.2.3.4)`
  const first = v.split(/[\s,]+/)[0] ?? '';
  return normaliseHost(first);
}

export function parseWhoisText(text: string): ParsedWhois {
  const r: ParsedWhois = { statuses: [], nameServers: [], contacts: {}, emails: [] };
  const set = (f: WhoisField, v: string) => {
    switch (f) {
      case 'domain':
        r.domain ??= normaliseHost(v.split(/\s+/)[0]);
        break;
      case 'registrar':
        r.registrar ??= v;
        break;
      case 'whoisServer':
        r.whoisServer ??= v;
        break;
      case 'created':
      case 'updated':
      case 'expires': {
        const rawKey = `${f}Raw` as const;
        if (r[rawKey] === undefined) {
          r[rawKey] = v;
          const iso = parseWhoisDate(v);
          if (iso) r[f] = iso;
        }
        break;
      }
      case 'status':
        for (const s of v.split(/,\s*/)) {
          const st = s.replace(/\s*\(?https?:\/\/\S+\)?/, '').trim();
          if (st && !r.statuses.includes(st)) r.statuses.push(st);
        }
        break;
      case 'nameServer': {
        for (const part of v.split(/\s*,\s*|\s{2,}/)) {
          const ns = cleanNs(part);
          if (ns && /[a-z]/.test(ns) && ns.includes('.') && !r.nameServers.includes(ns)) r.nameServers.push(ns);
        }
        break;
      }
    }
  };
  for (const e of whoisEntries(text)) {
    const f = fieldOf(e.key, e.section);
    if (f) set(f, e.value);
    const role = contactRoleOf(e.key, e.section);
    if (role) {
      const cf = contactFieldOf(e.key, e.section);
      if (cf) {
        const c = (r.contacts[role.role] ??= {});
        if (cf === 'street' && c.street) c.street += `, ${e.value}`;
        else c[cf] ??= e.value;
      }
    }
    for (const m of e.value.matchAll(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g)) {
      const em = m[0].toLowerCase();
      if (!r.emails.includes(em)) r.emails.push(em);
    }
  }
  return r;
}
