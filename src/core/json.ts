/**
 * JSON text with exact 64-bit integers: `bigint` values are written as plain JSON numbers
 * (never through a lossy double), as Kusto's `long` values must be.
 */
export function stringifyExact(value: unknown, space?: number): string {
  const marker = '\u0000BIGINT:';
  const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? marker + v.toString() : v), space);
  if (text === undefined) return 'null';
  return text.replace(/"\\u0000BIGINT:(-?\d+)"/g, '$1');
}
