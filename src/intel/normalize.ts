/**
 * Observable normalisation: one canonical text per value so that the same domain, IP, URL, hash or e-mail
 * address from different sources is one observable. Also re-fangs defanged indicators (`[.]`, `hxxp`, …)
 * and guesses the kind of a bare value (CSV / free text imports).
 */
import { domainToASCII } from 'node:url';
import { isIP } from 'node:net';

export type ObservableKind = 'domain' | 'ipv4' | 'ipv6' | 'url' | 'md5' | 'sha1' | 'sha256' | 'sha512' | 'email' | 'filename' | 'other';

/** Undo the usual defanging: `[.]` `(.)` `{.}` `[dot]`, `hxxp(s)`, `[:]`, `[://]`, `[@]` `[at]`. */
export function refang(s: string): string {
  return s
    .trim()
    .replace(/\[\s*\.\s*\]|\(\s*\.\s*\)|\{\s*\.\s*\}|\[dot\]|\(dot\)/gi, '.')
    .replace(/\[\s*:\s*\]/g, ':')
    .replace(/\[:\/\/\]/g, '://')
    .replace(/\[\s*@\s*\]|\[at\]|\(at\)/gi, '@')
    .replace(/^hxxp(s?)(\[?:\]?)\/\//i, (_m, s1: string) => `http${s1.toLowerCase()}://`)
    .replace(/^fxp:\/\//i, 'ftp://');
}

function ipv4(s: string): string | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  const parts = m.slice(1, 5).map(Number);
  if (parts.some((p) => p > 255)) return null;
  const base = parts.join('.');
  if (m[5] === undefined) return base;
  const bits = Number(m[5]);
  if (bits > 32) return null;
  return bits === 32 ? base : `${base}/${bits}`;
}

function ipv6(s: string): string | null {
  const [addr, bits, extra] = s.split('/');
  if (extra !== undefined || !addr || isIP(addr) !== 6) return null;
  // URL's host serialiser gives RFC 5952 compressed lower-case form
  const host = new URL(`http://[${addr}]/`).hostname.slice(1, -1);
  if (bits === undefined) return host;
  const n = Number(bits);
  if (!/^\d{1,3}$/.test(bits) || n > 128) return null;
  return n === 128 ? host : `${host}/${n}`;
}

export function normalizeDomain(raw: string): string | null {
  let s = refang(raw).toLowerCase().replace(/\.$/, '');
  if (s.startsWith('*.')) s = s.slice(2);
  if (s === '' || s.length > 253 || /[\s/@:]/.test(s)) return null;
  const ascii = domainToASCII(s);
  if (!ascii || !ascii.includes('.') || !/^[a-z0-9_.-]+$/.test(ascii)) return null;
  if (ascii.split('.').some((l) => l === '' || l.length > 63)) return null;
  if (ipv4(ascii)) return null;
  return ascii;
}

export function normalizeUrl(raw: string): string | null {
  let s = refang(raw);
  if (s === '' || /\s/.test(s)) return null;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) {
    if (!/^[^/?#]+\.[^/?#]+([/?#].*)?$/.test(s)) return null;
    s = `http://${s}`;
  }
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return null;
  }
  if (!u.hostname) return null;
  u.hash = '';
  // URL lower-cases scheme and host, applies IDNA to the host, drops default ports and resolves dot segments
  return u.toString();
}

export function normalizeHash(raw: string): { kind: 'md5' | 'sha1' | 'sha256' | 'sha512'; value: string } | null {
  const s = raw.trim().toLowerCase();
  if (!/^[0-9a-f]+$/.test(s)) return null;
  const kind = s.length === 32 ? 'md5' : s.length === 40 ? 'sha1' : s.length === 64 ? 'sha256' : s.length === 128 ? 'sha512' : null;
  return kind ? { kind, value: s } : null;
}

export function normalizeEmail(raw: string): string | null {
  const s = refang(raw).toLowerCase();
  const at = s.lastIndexOf('@');
  if (at <= 0 || /\s/.test(s)) return null;
  const domain = normalizeDomain(s.slice(at + 1));
  return domain ? `${s.slice(0, at)}@${domain}` : null;
}

/** Normalises `raw` as the given kind; null when it is not a valid value of that kind. */
export function normalizeAs(kind: ObservableKind, raw: string): string | null {
  switch (kind) {
    case 'domain': return normalizeDomain(raw);
    case 'ipv4': return ipv4(refang(raw));
    case 'ipv6': return ipv6(refang(raw).toLowerCase());
    case 'url': return normalizeUrl(raw);
    case 'md5': case 'sha1': case 'sha256': case 'sha512': {
      const h = normalizeHash(raw);
      return h && h.kind === kind ? h.value : null;
    }
    case 'email': return normalizeEmail(raw);
    case 'filename': return raw.trim() === '' ? null : raw.trim();
    case 'other': return raw;
  }
}

/** Guesses the kind of a bare value (defanged or not) and normalises it; null when it is none of the IOC kinds. */
export function classifyValue(raw: string): { kind: ObservableKind; value: string } | null {
  const s = refang(raw);
  if (s === '') return null;
  const h = normalizeHash(s);
  if (h) return h;
  const v4 = ipv4(s);
  if (v4) return { kind: 'ipv4', value: v4 };
  if (s.includes(':') && !s.includes('://')) {
    const v6 = ipv6(s.toLowerCase());
    if (v6) return { kind: 'ipv6', value: v6 };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) {
    const u = normalizeUrl(s);
    return u ? { kind: 'url', value: u } : null;
  }
  if (s.includes('@')) {
    const e = normalizeEmail(s);
    return e ? { kind: 'email', value: e } : null;
  }
  if (s.includes('/')) {
    const u = normalizeUrl(s);
    return u ? { kind: 'url', value: u } : null;
  }
  const d = normalizeDomain(s);
  return d ? { kind: 'domain', value: d } : null;
}

/** The STIX pattern comparison a normalised observable becomes, e.g. `domain-name:value = 'x'`. */
export function stixKeyOf(kind: ObservableKind): string {
  switch (kind) {
    case 'domain': return 'domain-name:value';
    case 'ipv4': return 'ipv4-addr:value';
    case 'ipv6': return 'ipv6-addr:value';
    case 'url': return 'url:value';
    case 'md5': return 'file:hashes.MD5';
    case 'sha1': return "file:hashes.'SHA-1'";
    case 'sha256': return "file:hashes.'SHA-256'";
    case 'sha512': return "file:hashes.'SHA-512'";
    case 'email': return 'email-addr:value';
    case 'filename': return 'file:name';
    case 'other': return 'x-quarry-other:value';
  }
}

export function stixString(v: string): string {
  return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export function patternFor(kind: ObservableKind, value: string): string {
  return `[${stixKeyOf(kind)} = ${stixString(value)}]`;
}
