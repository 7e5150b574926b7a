/**
 * ClickHouse result values → the Store value model (`store.ts`): Int64 → bigint, DateTime64 → bigint
 * epoch µs, Bool → boolean, floats with nan/inf, JSON-in-String stays text; type names are reported
 * DuckDB-style (the rest of Quarry reads those).
 */
export function duckdbStyleType(chType: string): string {
  const t = chType.replace(/^Nullable\((.*)\)$/, '$1').replace(/^LowCardinality\((.*)\)$/, '$1');
  if (/^U?Int64$/.test(t) || /^U?Int128$/.test(t)) return 'BIGINT';
  if (/^U?Int(8|16|32)$/.test(t)) return t === 'UInt8' ? 'INTEGER' : 'INTEGER';
  if (/^Float/.test(t) || /^Decimal/.test(t)) return 'DOUBLE';
  if (t === 'Bool') return 'BOOLEAN';
  if (/^DateTime/.test(t) || t === 'Date' || t === 'Date32') return 'TIMESTAMP';
  if (/^(Array|Tuple|Map)/.test(t)) return 'JSON';
  return 'VARCHAR';
}

/** `2024-01-02 03:04:05[.ffffff]` (UTC) → epoch microseconds. */
export function datetimeMicros(s: string): bigint {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?)?$/.exec(s);
  if (!m) throw new Error(`unexpected ClickHouse datetime text ${JSON.stringify(s)}`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
  return BigInt(ms) * 1000n + BigInt((m[7] ?? '').padEnd(6, '0').slice(0, 6));
}

export function decodeValue(v: unknown, chType: string): unknown {
  if (v === null || v === undefined) return null;
  const t = chType.replace(/^Nullable\((.*)\)$/, '$1').replace(/^LowCardinality\((.*)\)$/, '$1');
  if (/^U?Int(64|128|256)$/.test(t)) return BigInt(v as string);
  if (/^U?Int(8|16|32)$/.test(t)) return Number(v);
  if (/^Float/.test(t)) {
    if (typeof v === 'number') return v;
    const s = String(v).toLowerCase();
    return s === 'nan' || s === '-nan' ? NaN : s === 'inf' || s === '+inf' ? Infinity : s === '-inf' ? -Infinity : Number(s);
  }
  if (t === 'Bool') return v === true || v === 1 || v === 'true';
  if (/^DateTime/.test(t)) return datetimeMicros(String(v));
  if (t === 'Date' || t === 'Date32') return datetimeMicros(String(v));
  if (/^(Array|Tuple|Map)/.test(t)) return JSON.stringify(v);
  return v;
}
