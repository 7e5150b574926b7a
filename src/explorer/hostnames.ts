/**
 * Host and address helpers shared by collectors, search and reputation: normalising names, telling IPs from
 * names, the registered domain of a host (with a small built-in list of two-label public suffixes — no
 * public-suffix download happens at run time), and IPv4 CIDR membership.
 */
import { isIP } from 'node:net';

/** Lowercase, no trailing dot, no brackets around IPv6; '' for empty input. */
export function normaliseHost(h: string | null | undefined): string {
  if (!h) return '';
  let s = h.trim().toLowerCase();
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  while (s.endsWith('.')) s = s.slice(0, -1);
  return s;
}

export function isIpAddress(s: string): boolean {
  return isIP(s) !== 0;
}

export function isIpv4(s: string): boolean {
  return isIP(s) === 4;
}

const HOST_RE = /^(?=.{1,253}$)(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/** A syntactically valid DNS hostname with at least two labels (letters TLD or an IDN A-label TLD). */
export function isHostname(s: string): boolean {
  return HOST_RE.test(s);
}

/** Second-level labels under which registrations happen one level deeper (`example.co.uk`). */
const twoLabelSuffixes = new Set([
  'co.uk', 'org.uk', 'ac.uk', 'gov.uk', 'me.uk', 'net.uk', 'com.au', 'net.au', 'org.au', 'edu.au', 'gov.au',
  'co.jp', 'ne.jp', 'or.jp', 'ac.jp', 'go.jp', 'co.nz', 'org.nz', 'govt.nz', 'com.br', 'net.br', 'org.br',
  'com.cn', 'net.cn', 'org.cn', 'gov.cn', 'com.tw', 'net.tw', 'org.tw', 'com.hk', 'co.kr', 'or.kr', 'co.in',
  'net.in', 'org.in', 'co.za', 'com.mx', 'com.ar', 'com.tr', 'com.sg', 'com.my', 'co.id', 'co.il', 'com.ua',
  'com.ru', 'co.th', 'com.pl', 'com.es', 'com.co',
]);

/** The registered domain of a host (`login.dancevida.com` → `dancevida.com`); the input for IPs. */
export function registeredDomain(host: string): string {
  const h = normaliseHost(host);
  if (isIpAddress(h)) return h;
  const labels = h.split('.');
  if (labels.length <= 2) return h;
  const last2 = labels.slice(-2).join('.');
  return twoLabelSuffixes.has(last2) ? labels.slice(-3).join('.') : last2;
}

export function tldOf(host: string): string {
  const h = normaliseHost(host);
  return isIpAddress(h) ? '' : (h.split('.').pop() ?? '');
}

function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
}

/** IPv4 CIDR → [first, last] as unsigned 32-bit numbers. */
export function cidrRange(cidr: string): [number, number] | undefined {
  const m = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(cidr.trim());
  if (!m || !isIpv4(m[1]!) || Number(m[2]) > 32) return undefined;
  const bits = Number(m[2]);
  const size = 2 ** (32 - bits);
  const start = Math.floor(ipv4ToInt(m[1]!) / size) * size;
  return [start, start + size - 1];
}

export function ipv4InCidr(ip: string, cidr: string): boolean {
  const r = cidrRange(cidr);
  if (!r || !isIpv4(ip)) return false;
  const n = ipv4ToInt(ip);
  return n >= r[0] && n <= r[1];
}

/** Host of a URL (lowercase), or '' when the text is not an absolute URL. */
export function hostOfUrl(url: string): string {
  try {
    return normaliseHost(new URL(url).hostname);
  } catch {
    return '';
  }
}
