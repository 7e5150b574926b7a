/**
 * IPv4 text (with an optional `/bits` suffix) parsed at compile time, for constant arguments: the dialects fold
 * `ipv4_is_in_range(x, "10.0.0.0/8")`-style calls into integer range tests. Same acceptance as the dialects' SQL
 * parse (four decimal octets ≤ 255, prefix ≤ 32), so folding never changes an answer.
 */
export function parseIpv4(s: string): { addr: bigint; bits: number } | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(s.trim());
  if (!m) return null;
  const octets = m.slice(1, 5).map(Number);
  const bits = m[5] === undefined ? 32 : Number(m[5]);
  if (octets.some((o) => o > 255) || bits > 32) return null;
  return { addr: octets.reduce((acc, o) => (acc << 8n) + BigInt(o), 0n), bits };
}
