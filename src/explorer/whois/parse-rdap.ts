/**
 * RDAP (RFC 9083) JSON → the same shape as parsed WHOIS text, for domains, IP networks, autonomous
 * systems, entities and nameservers. Contacts come from jCard `vcardArray`s of the entities by role; dates
 * from `events` (registration, last changed / last update of RDAP database, expiration); the registrar is the
 * entity with role `registrar` (its `fn`, else its handle).
 */
import { QuarryError } from '../../core/errors.js';
import { normaliseHost } from '../hostnames.js';
import type { ParsedWhois, WhoisContact } from './parse-whois.js';

export interface ParsedRdap extends ParsedWhois {
  objectClass: string;
  handle?: string;
  /** IP networks. */
  startAddress?: string;
  endAddress?: string;
  cidr?: string;
  networkName?: string;
  country?: string;
  /** Autonomous systems. */
  asnStart?: number;
  asnEnd?: number;
}

type Json = Record<string, unknown>;

function vcardContact(vcard: unknown): WhoisContact {
  const c: WhoisContact = {};
  if (!Array.isArray(vcard) || !Array.isArray(vcard[1])) return c;
  for (const prop of vcard[1] as unknown[][]) {
    const [name, params, , value] = prop as [string, Json, string, unknown];
    const text = Array.isArray(value) ? value.filter((v) => typeof v === 'string' && v).join(', ') : typeof value === 'string' ? value : '';
    switch (name) {
      case 'fn':
        c.name ??= text;
        break;
      case 'org':
        c.organization ??= text;
        break;
      case 'email':
        c.email ??= text;
        break;
      case 'tel':
        if (String((params?.['type'] as unknown) ?? '').includes('fax')) c.fax ??= text.replace(/^tel:/, '');
        else c.phone ??= text.replace(/^tel:/, '');
        break;
      case 'adr': {
        const label = typeof params?.['label'] === 'string' ? (params['label'] as string) : undefined;
        if (Array.isArray(value)) {
          const [, , street, city, state, postal, country] = value as unknown[];
          const s = Array.isArray(street) ? street.join(', ') : (street as string | undefined);
          if (s) c.street ??= s;
          if (city) c.city ??= String(city);
          if (state) c.state ??= String(state);
          if (postal) c.postalCode ??= String(postal);
          if (country) c.country ??= String(country);
        }
        if (label && !c.street) c.street = label.replace(/\n/g, ', ');
        break;
      }
    }
  }
  return c;
}

function walkEntities(list: unknown, visit: (e: Json) => void): void {
  if (!Array.isArray(list)) return;
  for (const e of list as Json[]) {
    visit(e);
    walkEntities(e['entities'], visit);
  }
}

export function parseRdap(input: unknown): ParsedRdap {
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    throw new QuarryError('explorer/bad-input', 'RDAP input must be a JSON object (an RDAP domain, ip network, autnum, entity or nameserver response)');
  }
  const o = input as Json;
  const objectClass = String(o['objectClassName'] ?? (o['ldhName'] ? 'domain' : o['startAddress'] ? 'ip network' : 'entity'));
  const r: ParsedRdap = { objectClass, statuses: [], nameServers: [], contacts: {}, emails: [] };
  if (typeof o['handle'] === 'string') r.handle = o['handle'];
  if (typeof o['ldhName'] === 'string') r.domain = normaliseHost(o['ldhName']);
  if (typeof o['port43'] === 'string') r.whoisServer = o['port43'];
  if (Array.isArray(o['status'])) r.statuses = (o['status'] as unknown[]).map(String);
  for (const ev of (Array.isArray(o['events']) ? o['events'] : []) as Json[]) {
    const action = String(ev['eventAction'] ?? '').toLowerCase();
    const date = String(ev['eventDate'] ?? '');
    const iso = Number.isNaN(Date.parse(date)) ? undefined : new Date(date).toISOString();
    if (action === 'registration') [r.createdRaw, r.created] = [date, iso];
    else if (action === 'expiration') [r.expiresRaw, r.expires] = [date, iso];
    else if (action === 'last changed' && r.updatedRaw === undefined) [r.updatedRaw, r.updated] = [date, iso];
  }
  for (const ns of (Array.isArray(o['nameservers']) ? o['nameservers'] : []) as Json[]) {
    const h = normaliseHost(String(ns['ldhName'] ?? ns['handle'] ?? ''));
    if (h && !r.nameServers.includes(h)) r.nameServers.push(h);
  }
  if (objectClass === 'nameserver' && r.domain) r.nameServers.push(r.domain);
  // Top-level entity objects carry their own vCard.
  const self = o['vcardArray'] ? vcardContact(o['vcardArray']) : undefined;
  if (self && Array.isArray(o['roles'])) for (const role of o['roles'] as string[]) r.contacts[role] ??= self;
  walkEntities(o['entities'], (e) => {
    const listed = Array.isArray(e['roles']) ? (e['roles'] as string[]) : [];
    const roles = listed.length > 0 ? listed : ['contact'];
    const c = vcardContact(e['vcardArray']);
    for (const role of roles) {
      if (role === 'registrar') r.registrar ??= c.name ?? c.organization ?? (typeof e['handle'] === 'string' ? e['handle'] : undefined);
      const key = role === 'administrative' ? 'admin' : role;
      if (Object.keys(c).length > 0) r.contacts[key] ??= c;
      else if (typeof e['handle'] === 'string') r.contacts[key] ??= { name: e['handle'] };
    }
  });
  for (const c of Object.values(r.contacts)) if (c.email && !r.emails.includes(c.email.toLowerCase())) r.emails.push(c.email.toLowerCase());
  if (typeof o['startAddress'] === 'string') r.startAddress = o['startAddress'];
  if (typeof o['endAddress'] === 'string') r.endAddress = o['endAddress'];
  if (typeof o['name'] === 'string') r.networkName = o['name'];
  if (typeof o['country'] === 'string') r.country = o['country'];
  const cidrs = o['cidr0_cidrs'];
  if (Array.isArray(cidrs) && cidrs[0]) {
    const c = cidrs[0] as Json;
    r.cidr = `${String(c['v4prefix'] ?? c['v6prefix'])}/${String(c['length'])}`;
  }
  if (typeof o['startAutnum'] === 'number') r.asnStart = o['startAutnum'];
  if (typeof o['endAutnum'] === 'number') r.asnEnd = o['endAutnum'];
  return r;
}
