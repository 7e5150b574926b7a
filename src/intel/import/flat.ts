/**
 * Flat indicator lists: CSV (`type,value,…` with a header; Unit 42's `Type,Indicator,Name`, MDTI's
 * `type,value,source`) and free text with defanged indicators. Each distinct (kind, value) becomes one
 * indicator with a deterministic id from (source, kind, value), so re-importing changes nothing and the same
 * value from two sources is two indicators of one observable.
 */
import type { ImportIssue } from '../object-store.js';
import { classifyValue, normalizeAs, patternFor, refang, type ObservableKind } from '../normalize.js';
import { deterministicId, type StixObject } from '../stix.js';
import type { Conversion } from './report.js';

/** Splits one CSV line (RFC 4180 quotes). */
export function csvCells(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (q) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') q = false;
      else cur += c;
    } else if (c === '"') q = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.map((s) => s.trim());
}

const typeWords: Record<string, ObservableKind> = {
  domain: 'domain', 'domain-name': 'domain', hostname: 'domain', host: 'domain', fqdn: 'domain',
  ip: 'ipv4', ipv4: 'ipv4', 'ipv4-addr': 'ipv4', 'ip-dst': 'ipv4', 'ip-src': 'ipv4', ipv6: 'ipv6', 'ipv6-addr': 'ipv6',
  url: 'url', uri: 'url', md5: 'md5', sha1: 'sha1', 'sha-1': 'sha1', sha256: 'sha256', 'sha-256': 'sha256', sha512: 'sha512',
  hash: 'sha256', filehash: 'sha256', email: 'email', 'email-addr': 'email', 'email-src': 'email', filename: 'filename', file: 'filename',
};

function indicatorFor(source: string, kind: ObservableKind, value: string, extra: Record<string, unknown>): StixObject {
  return {
    type: 'indicator', spec_version: '2.1', id: deterministicId('indicator', source, kind, value),
    name: value, indicator_types: ['malicious-activity'], pattern: patternFor(kind, value), pattern_type: 'stix',
    ...extra,
  } as StixObject;
}

export function looksLikeCsv(text: string): boolean {
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  const cells = csvCells(first).map((c) => c.toLowerCase());
  return cells.length >= 2 && cells[0] === 'type' && (cells[1] === 'value' || cells[1] === 'indicator');
}

export function convertCsv(text: string, source: string): Conversion {
  const lines = text.split(/\r?\n/);
  const header = csvCells(lines[0] ?? '').map((c) => c.toLowerCase());
  const nameCol = header.findIndex((h) => h === 'name' || h === 'description' || h === 'comment');
  const objects = new Map<string, StixObject>();
  const rejected: ImportIssue[] = [];
  const skipped: ImportIssue[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i]!.trim() === '') continue;
    const cells = csvCells(lines[i]!);
    const word = (cells[0] ?? '').toLowerCase();
    const raw = cells[1] ?? '';
    let kind: ObservableKind | undefined = typeWords[word];
    if (!kind) {
      rejected.push({ index: i + 1, reason: `line ${i + 1}: unknown indicator type '${cells[0]}'` });
      continue;
    }
    let value: string | null;
    if (kind === 'ipv4' && normalizeAs('ipv4', raw) === null && normalizeAs('ipv6', raw) !== null) kind = 'ipv6';
    if (word === 'hash' || word === 'filehash') {
      const c = classifyValue(raw);
      kind = c?.kind ?? kind;
    }
    value = normalizeAs(kind, raw);
    if (value === null) {
      rejected.push({ index: i + 1, reason: `line ${i + 1}: '${raw}' is not a valid ${word}` });
      continue;
    }
    const key = `${kind}|${value}`;
    if (objects.has(key)) {
      skipped.push({ index: i + 1, reason: `line ${i + 1}: duplicate of an earlier line` });
      continue;
    }
    const name = nameCol >= 0 ? cells[nameCol] : '';
    objects.set(key, indicatorFor(source, kind, value, name ? { description: name } : {}));
  }
  return { objects: [...objects.values()], rejected, skipped, importTimeVersioned: true };
}

/** Candidate IOC tokens of free text: words made of URL/host/hash characters, after re-fanging. */
export function convertText(text: string, source: string): Conversion {
  const objects = new Map<string, StixObject>();
  const skipped: ImportIssue[] = [];
  text.split(/\r?\n/).forEach((line, ix) => {
    const fanged = refang(line.replace(/\[\.\]/g, '.'));
    // HTTP request lines name a path on hosts listed elsewhere: not standalone indicators
    if (/^\s*-?\s*(GET|POST|HEAD|PUT)\s+\//.test(fanged)) {
      if (fanged.trim()) skipped.push({ index: ix + 1, reason: `line ${ix + 1}: HTTP request path without a host` });
      return;
    }
    let found = 0;
    for (const tok of fanged.split(/[\s,;()<>"'|]+/)) {
      const t = refang(tok).replace(/[.:]+$/, '');
      if (t.length < 4) continue;
      const c = classifyValue(t);
      if (!c) continue;
      // bare words with a dot that are file names (invoice.doc) are no domains
      if (c.kind === 'domain' && /\.(doc|docx|xls|xlsx|exe|dll|zip|js|vbs|ps1|bat|iso|lnk|txt|pdf|php|cab|jpg|png|gif|htm|html)$/i.test(c.value)) continue;
      found++;
      const key = `${c.kind}|${c.value}`;
      if (!objects.has(key)) objects.set(key, indicatorFor(source, c.kind, c.value, {}));
    }
    if (found === 0 && line.trim() !== '') skipped.push({ index: ix + 1, reason: `line ${ix + 1}: no indicator` });
  });
  return { objects: [...objects.values()], rejected: [], skipped, importTimeVersioned: true };
}
