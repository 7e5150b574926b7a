/**
 * Normal forms of observables, shared by the NRT matcher, retro-hunt and the built-in TI-map rules (whose
 * KQL applies the same steps: `tolower`, host of a URL-ish value, IPv4 network masks). Keeping them equal
 * is what gives a match the same dedup key whichever path finds it.
 */

/** Host of a URL-ish value: `https://user@h:443/p` → h, `h/p` → h, `h:80` → h, lowercase, no trailing dot. */
export function hostOf(v: string): string {
  const s = v.trim();
  let host: string;
  const scheme = s.indexOf('://');
  if (scheme >= 0) {
    const rest = s.slice(scheme + 3);
    const authority = rest.split(/[/?#]/)[0] ?? '';
    const noUser = authority.includes('@') ? authority.slice(authority.lastIndexOf('@') + 1) : authority;
    host = noUser.startsWith('[') ? noUser.slice(1, noUser.indexOf(']')) : (noUser.split(':')[0] ?? '');
  } else {
    host = (s.split('/')[0] ?? '').split(':')[0] ?? '';
  }
  return host.toLowerCase().replace(/\.$/, '');
}

export function normDomain(v: string): string {
  return v.trim().toLowerCase().replace(/\.$/, '');
}

export function normUrl(v: string): string {
  return v.trim().toLowerCase();
}

export function normIp(v: string): string {
  return v.trim().toLowerCase();
}

export function normHash(v: string): string {
  return v.trim().toLowerCase();
}

export function normEmail(v: string): string {
  return v.trim().toLowerCase();
}

/** IPv4 dotted quad → unsigned 32-bit integer; null when not IPv4. */
export function ipv4ToInt(v: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(v.trim());
  if (!m) return null;
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const o = Number(m[i]);
    if (o > 255) return null;
    n = n * 256 + o;
  }
  return n;
}

export function intToIpv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

/** Network address of `ip` under a prefix length, as an unsigned integer. */
export function maskIpv4(n: number, bits: number): number {
  if (bits <= 0) return 0;
  const hostBits = 32 - bits;
  return Math.floor(n / 2 ** hostBits) * 2 ** hostBits;
}

/** `198.51.100.7/24` → `{ network: 198.51.100.0 as int, bits: 24 }`; null when not an IPv4 CIDR. */
export function parseCidr(v: string): { network: number; bits: number } | null {
  const [ip, b] = v.trim().split('/');
  const n = ipv4ToInt(ip ?? '');
  const bits = Number(b);
  if (n === null || !Number.isInteger(bits) || bits < 0 || bits > 32) return null;
  return { network: maskIpv4(n, bits), bits };
}

/** The canonical text of a CIDR (`a.b.c.0/24`), as KQL's `format_ipv4_mask` writes it; a /32 is the bare address. */
export function canonicalCidr(v: string): string | null {
  const c = parseCidr(v);
  if (!c) return null;
  return c.bits === 32 ? intToIpv4(c.network) : `${intToIpv4(c.network)}/${c.bits}`;
}

/** Epoch microseconds of a time value (Date, ISO / Kusto text with up to 7 fraction digits, epoch ms number, µs bigint). */
export function toMicros(v: unknown): bigint | null {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(Math.round(v)) * 1000n;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : BigInt(v.getTime()) * 1000n;
  const s = String(v).trim();
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/.exec(s);
  if (!m) {
    const d = new Date(s);
    return Number.isNaN(d.getTime()) ? null : BigInt(d.getTime()) * 1000n;
  }
  const base = Date.parse(`${m[1]}T${m[2]}${m[4] ?? 'Z'}`);
  if (Number.isNaN(base)) return null;
  const frac = (m[3] ?? '').padEnd(6, '0').slice(0, 6);
  return BigInt(base) * 1000n + BigInt(frac);
}

export function toMs(v: unknown): number | null {
  const us = toMicros(v);
  return us === null ? null : Number(us / 1000n);
}
