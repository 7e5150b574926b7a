/**
 * Kusto's timespan text: `[-][d.]hh:mm:ss[.fffffff]` (7 fractional digits when not whole seconds).
 * Quarry keeps timespans as microseconds.
 */
export function formatKustoTimespan(micros: bigint): string {
  const neg = micros < 0n;
  let us = neg ? -micros : micros;
  const days = us / 86_400_000_000n;
  us %= 86_400_000_000n;
  const h = us / 3_600_000_000n;
  us %= 3_600_000_000n;
  const m = us / 60_000_000n;
  us %= 60_000_000n;
  const s = us / 1_000_000n;
  const frac = us % 1_000_000n;
  const pad = (n: bigint) => n.toString().padStart(2, '0');
  let text = `${days > 0n ? `${days}.` : ''}${pad(h)}:${pad(m)}:${pad(s)}`;
  if (frac > 0n) text += '.' + frac.toString().padStart(6, '0') + '0';
  return (neg ? '-' : '') + text;
}
