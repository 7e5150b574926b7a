/**
 * WHOIS/RDAP records into the Whois data set. A snapshot is identified by a hash of its parsed content
 * (registrar, dates, statuses, name servers, contacts), so seeing the same record again widens its
 * first/last seen while a changed record starts a new snapshot: the latest is "current", the rest "history".
 * Live lookups (port 43, RDAP bootstrap) are not done here: callers hand in text or JSON.
 */
import { createHash } from 'node:crypto';
import { QuarryError } from '../../core/errors.js';
import type { Store } from '../../store/store.js';
import { datasets } from '../datasets.js';
import { normaliseHost } from '../hostnames.js';
import { mergeObservations, type MergeResult } from '../merge.js';
import { parseRdap } from '../whois/parse-rdap.js';
import { parseWhoisText, type ParsedWhois } from '../whois/parse-whois.js';

export interface WhoisInput {
  /** Raw WHOIS text, or */
  readonly text?: string;
  /** an RDAP response object. */
  readonly rdap?: unknown;
  /** The queried domain or address (default: the one the record names). */
  readonly domain?: string;
  /** When the record was fetched (default now). */
  readonly observedAt?: Date;
  readonly source?: string;
}

export function whoisRow(p: ParsedWhois, raw: string, domain: string, observedAt: Date, source: string): Record<string, unknown> {
  const core = {
    registrar: p.registrar ?? null, created: p.created ?? p.createdRaw ?? null, updated: p.updated ?? p.updatedRaw ?? null,
    expires: p.expires ?? p.expiresRaw ?? null, statuses: p.statuses, ns: [...p.nameServers].sort(), contacts: p.contacts,
  };
  const snapshot = createHash('sha1').update(JSON.stringify(core)).digest('hex').slice(0, 16);
  const reg = p.contacts['registrant'] ?? {};
  return {
    Domain: domain, SnapshotId: snapshot, Registrar: p.registrar ?? null, WhoisServer: p.whoisServer ?? null,
    Created: p.created ?? null, Updated: p.updated ?? null, Expires: p.expires ?? null, DomainStatus: p.statuses.join(','),
    NameServers: p.nameServers, Contacts: p.contacts, RegistrantName: reg.name ?? null, RegistrantOrganization: reg.organization ?? null,
    RegistrantEmail: reg.email ?? null, Emails: p.emails.join('|'), RawText: raw, FirstSeen: observedAt, LastSeen: observedAt, SeenCount: 1, Source: source,
  };
}

export function parseWhoisInput(input: WhoisInput): { parsed: ParsedWhois; raw: string } {
  if (input.text !== undefined) return { parsed: parseWhoisText(input.text), raw: input.text };
  if (input.rdap !== undefined) return { parsed: parseRdap(input.rdap), raw: JSON.stringify(input.rdap) };
  throw new QuarryError('explorer/bad-input', 'a WHOIS record needs `text` (raw WHOIS) or `rdap` (RDAP JSON)');
}

export async function collectWhois(store: Store, inputs: readonly WhoisInput[]): Promise<MergeResult> {
  const rows = inputs.map((i) => {
    const { parsed, raw } = parseWhoisInput(i);
    const domain = normaliseHost(i.domain ?? parsed.domain ?? '');
    if (!domain) throw new QuarryError('explorer/bad-input', 'the WHOIS record names no domain; pass `domain`');
    return whoisRow(parsed, raw, domain, i.observedAt ?? new Date(), i.source ?? (i.rdap !== undefined ? 'rdap' : 'whois'));
  });
  return mergeObservations(store, datasets.whois, rows);
}
