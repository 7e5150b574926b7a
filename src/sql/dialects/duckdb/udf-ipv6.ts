/**
 * KQL's IPv6 functions as JavaScript scalar functions the store registers on every DuckDB connection (DuckDB
 * has no IPv6 type without its `inet` extension, which cannot be loaded here). Text in, text out; the function
 * templates (`functions-ip.ts`) cast results. Semantics as documented:
 * - an address is IPv6 text (any compression, upper or lower case, an embedded IPv4 tail) or IPv4 text, which
 *   stands for the IPv4-mapped address `::ffff:a.b.c.d`; either may carry a prefix (`/n`, 0–128 for IPv6,
 *   0–32 for IPv4 text or IPv6 text with an IPv4 tail, which counts as 96 + n); prefix arguments count in
 *   128 bits, and the shorter of the two applies;
 * - `parse_ipv6` / `parse_ipv6_mask`: canonical form, eight groups of four lower-case hex digits, masked;
 *   invalid input → "";
 * - `ipv6_compare` (−1, 0, 1) and `ipv6_is_match` compare the addresses masked to the shortest of their own
 *   prefixes and the optional prefix argument; invalid input → null;
 * - `ipv6_is_in_range`, `ipv6_is_in_any_range`: the address lies in the range(s); invalid address → null.
 */

interface Parsed {
  readonly value: bigint; // 128 bits
  readonly bits: number; // prefix length, 0–128
}

const FULL = (1n << 128n) - 1n;
const maskOf = (bits: number): bigint => (bits <= 0 ? 0n : (FULL << BigInt(128 - bits)) & FULL);

function ipv4Value(s: string): bigint | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  let v = 0n;
  for (let i = 1; i <= 4; i++) {
    const o = Number(m[i]);
    if (o > 255) return undefined;
    v = (v << 8n) | BigInt(o);
  }
  return v;
}

function ipv6Value(s: string): bigint | undefined {
  if (s.length === 0 || /[^0-9a-fA-F:.]/.test(s)) return undefined;
  let head = s;
  let tail: number[] = [];
  if (s.includes('.')) {
    // An embedded IPv4 tail stands for the last two groups.
    const i = s.lastIndexOf(':');
    const v4 = i < 0 ? undefined : ipv4Value(s.slice(i + 1));
    if (v4 === undefined) return undefined;
    tail = [Number(v4 >> 16n), Number(v4 & 0xffffn)];
    head = s.slice(0, i + 1);
    if (!head.endsWith('::')) head = head.slice(0, -1);
  }
  const want = 8 - tail.length;
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string): number[] => (h === '' ? [] : h.split(':').map((x) => (/^[0-9a-fA-F]{1,4}$/.test(x) ? parseInt(x, 16) : Number.NaN)));
  let all: number[];
  if (halves.length === 2) {
    const a = groups(halves[0]!);
    const b = groups(halves[1]!);
    if (a.some(Number.isNaN) || b.some(Number.isNaN) || a.length + b.length > want - 1) return undefined;
    all = [...a, ...Array<number>(want - a.length - b.length).fill(0), ...b];
  } else {
    all = groups(head);
    if (all.some(Number.isNaN) || all.length !== want) return undefined;
  }
  let v = 0n;
  for (const g of [...all, ...tail]) v = (v << 16n) | BigInt(g);
  return v;
}

/** Address text with an optional `/prefix` (IPv4 or IPv6). */
export function parseIpv6Text(input: string): Parsed | undefined {
  const s = input.trim();
  const slash = s.indexOf('/');
  const addr = slash < 0 ? s : s.slice(0, slash);
  const prefixText = slash < 0 ? undefined : s.slice(slash + 1);
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  const v4 = ipv4Value(addr);
  if (v4 !== undefined) {
    const p = prefixText === undefined ? 32 : Number(prefixText);
    if (p > 32) return undefined;
    return { value: (0xffffn << 32n) | v4, bits: 96 + p };
  }
  const v6 = ipv6Value(addr);
  if (v6 === undefined) return undefined;
  // With an IPv4 tail (`::192.168.255.255/24`) the prefix counts in IPv4 bits, as for IPv4 text.
  const v4tail = addr.includes('.');
  const p = prefixText === undefined ? (v4tail ? 32 : 128) : Number(prefixText);
  if (p > (v4tail ? 32 : 128)) return undefined;
  return { value: v6, bits: v4tail ? 96 + p : p };
}

function groupsOf(v: bigint): number[] {
  const g: number[] = [];
  for (let i = 7; i >= 0; i--) g.push(Number((v >> BigInt(i * 16)) & 0xffffn));
  return g;
}

const canonical = (v: bigint) => groupsOf(v).map((g) => g.toString(16).padStart(4, '0')).join(':');

const prefixArg = (s: string | undefined): number | undefined => {
  if (s === undefined) return 128;
  if (!/^-?\d+$/.test(s.trim())) return undefined;
  const n = Number(s);
  return n >= 0 && n <= 128 ? n : undefined;
};

export function parseIpv6Udf(ip: string): string {
  const p = parseIpv6Text(ip);
  return p ? canonical(p.value & maskOf(p.bits)) : '';
}

export function parseIpv6MaskUdf(ip: string, prefix: string): string {
  const p = parseIpv6Text(ip);
  const n = prefixArg(prefix);
  return p && n !== undefined ? canonical(p.value & maskOf(Math.min(p.bits, n))) : '';
}

export function ipv6CompareUdf(a: string, b: string, prefix?: string): string | null {
  const x = parseIpv6Text(a);
  const y = parseIpv6Text(b);
  const n = prefixArg(prefix);
  if (!x || !y || n === undefined) return null;
  const m = maskOf(Math.min(x.bits, y.bits, n));
  const l = x.value & m;
  const r = y.value & m;
  return l === r ? '0' : l > r ? '1' : '-1';
}

export function ipv6InRangeUdf(ip: string, range: string): string | null {
  const x = parseIpv6Text(ip);
  const r = parseIpv6Text(range);
  if (!x || !r) return null;
  const m = maskOf(r.bits);
  return (x.value & m) === (r.value & m) ? 'true' : 'false';
}

/** `ranges` is a JSON array of range texts; invalid ranges never match. */
export function ipv6InAnyRangeUdf(ip: string, ranges: string): string | null {
  const x = parseIpv6Text(ip);
  if (!x) return null;
  let list: unknown;
  try {
    list = JSON.parse(ranges);
  } catch {
    return 'false';
  }
  if (!Array.isArray(list)) return 'false';
  for (const item of list) {
    if (typeof item !== 'string') continue;
    const r = parseIpv6Text(item);
    if (r && (x.value & maskOf(r.bits)) === (r.value & maskOf(r.bits))) return 'true';
  }
  return 'false';
}
