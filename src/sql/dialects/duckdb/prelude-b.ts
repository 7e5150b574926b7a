/**
 * Temp macros behind the datetime, dynamic, IPv4 and URL templates (part B of the function catalog).
 * Run once per connection before queries; every name starts with `kql_` so that user columns never clash.
 *
 * Conventions used throughout:
 * - timespans are BIGINT microseconds, datetimes TIMESTAMP (µs, UTC), dynamic is DuckDB `JSON`;
 * - a dynamic SQL NULL is Kusto's `dynamic(null)`; JSON `null` only appears *inside* arrays and bags;
 * - "let" inside a macro is written `list_transform([expr], lambda v: …)[1]` so that `expr` is evaluated
 *   once per row (a macro body otherwise repeats its argument text).
 *
 * Macros other engineers may call (documented contract):
 * - `kql_json_to_string(j)`: dynamic → Kusto `tostring` text (a JSON string unquoted, anything else as
 *   compact JSON, NULL stays NULL);
 * - `kql_datetime_text(t)`: Kusto's text form of a datetime, `2020-01-02T03:04:05.1234560Z` (fraction only when non-zero);
 * - `kql_timespan_text(us)`: Kusto's text form of a timespan, `[-][d.]hh:mm:ss[.fffffff]`;
 * - `kql_parse_json(s)`: `parse_json` of text.
 */

/** µs between 0001-01-01 (Kusto's tick origin) and the Unix epoch: 719162 days. */
export const KUSTO_EPOCH_OFFSET_US = 62135596800000000n;

const ipv4Pattern = String.raw`^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:/(\d{1,2}))?$`;

export const preludeB: string[] = [
  // ---- numbers and time --------------------------------------------------------------------------
  // The largest multiple of b that is <= a (floor, also for negative a); NULL unless b > 0.
  `CREATE OR REPLACE TEMP MACRO kql_floor_mul(a, b) AS (CASE WHEN b > 0 THEN a - (((a % b) + b) % b) END)`,
  // Kusto bins datetimes on ticks counted from 0001-01-01; shift there and back so that 7d bins land on Mondays.
  `CREATE OR REPLACE TEMP MACRO kql_bin_datetime(t, step) AS
     make_timestamp(kql_floor_mul(epoch_us(t) + ${KUSTO_EPOCH_OFFSET_US}, step) - ${KUSTO_EPOCH_OFFSET_US})`,
  `CREATE OR REPLACE TEMP MACRO kql_bin_at_datetime(t, step, fixed) AS
     make_timestamp(epoch_us(fixed) + kql_floor_mul(epoch_us(t) - epoch_us(fixed), step))`,
  `CREATE OR REPLACE TEMP MACRO kql_bin_real(x, step) AS (CASE WHEN step > 0 THEN floor(x / step) * step END)`,
  `CREATE OR REPLACE TEMP MACRO kql_startofweek(t) AS (date_trunc('day', t) - to_days(CAST(dayofweek(t) AS INTEGER)))`,
  // Seven-digit fraction (Kusto ticks) of a datetime or timespan from its µs.
  `CREATE OR REPLACE TEMP MACRO kql_frac7(us) AS (lpad(CAST(((us % 1000000) + 1000000) % 1000000 AS VARCHAR), 6, '0') || '0')`,
  `CREATE OR REPLACE TEMP MACRO kql_datetime_text(t) AS
     (strftime(t, '%Y-%m-%dT%H:%M:%S')
      || CASE WHEN epoch_us(t) % 1000000 <> 0 THEN '.' || kql_frac7(epoch_us(t)) ELSE '' END || 'Z')`,
  `CREATE OR REPLACE TEMP MACRO kql_timespan_text(us) AS
     (CASE WHEN us IS NOT NULL THEN
        (CASE WHEN us < 0 THEN '-' ELSE '' END)
        || (CASE WHEN abs(us) >= 86400000000 THEN CAST(abs(us) // 86400000000 AS VARCHAR) || '.' ELSE '' END)
        || lpad(CAST((abs(us) // 3600000000) % 24 AS VARCHAR), 2, '0') || ':'
        || lpad(CAST((abs(us) // 60000000) % 60 AS VARCHAR), 2, '0') || ':'
        || lpad(CAST((abs(us) // 1000000) % 60 AS VARCHAR), 2, '0')
        || (CASE WHEN abs(us) % 1000000 <> 0 THEN '.' || kql_frac7(abs(us)) ELSE '' END)
      END)`,

  // ---- dynamic -------------------------------------------------------------------------------------
  // Invalid JSON becomes a JSON string (as Kusto does); '' and NULL become dynamic(null); JSON null too.
  `CREATE OR REPLACE TEMP MACRO kql_parse_json(s) AS
     (CASE WHEN s IS NULL OR s = '' THEN NULL
           WHEN json_valid(s) THEN nullif(json(s), 'null')
           ELSE to_json(s) END)`,
  `CREATE OR REPLACE TEMP MACRO kql_json_to_string(j) AS
     (CASE WHEN json_type(j) = 'VARCHAR' THEN json_extract_string(j, '$') ELSE CAST(j AS VARCHAR) END)`,
  // Elements of a JSON array as JSON[]; NULL when the value is not an array.
  `CREATE OR REPLACE TEMP MACRO kql_arr(a) AS (CASE WHEN json_type(a) = 'ARRAY' THEN json_extract(a, '$[*]') END)`,
  // Distinct elements in first-appearance order (Kusto's set functions keep that order).
  `CREATE OR REPLACE TEMP MACRO kql_list_distinct(l) AS list_filter(l, lambda x, i: list_position(l, x) = i)`,
  `CREATE OR REPLACE TEMP MACRO kql_bag_entries(b) AS
     (CASE WHEN json_type(b) = 'OBJECT' THEN map_entries(CAST(b AS MAP(VARCHAR, JSON))) END)`,
  // A bag from {key, value} entries; the first entry of a key wins.
  `CREATE OR REPLACE TEMP MACRO kql_bag_from_entries(e) AS
     to_json(map_from_entries(list_filter(e, lambda x, i: list_position(list_transform(e, lambda y: y.key), x.key) = i)))`,
  `CREATE OR REPLACE TEMP MACRO kql_array_slice(a, s, e) AS
     list_transform([kql_arr(a)], lambda l:
       to_json(list_slice(l,
         greatest(CASE WHEN s < 0 THEN s + len(l) ELSE s END, 0) + 1,
         least(CASE WHEN e < 0 THEN e + len(l) ELSE e END, len(l) - 1) + 1)))[1]`,
  // 0-based position of the occurrence-th match of v in a[start, start+length); -1 when absent.
  `CREATE OR REPLACE TEMP MACRO kql_array_index_of(a, v, st, ln, occ) AS
     list_transform([kql_arr(a)], lambda l:
       CASE WHEN l IS NULL OR occ < 0 OR ln < -1 THEN NULL ELSE
         coalesce(list_filter(
           range(greatest(CASE WHEN st < 0 THEN st + len(l) ELSE st END, 0),
                 CASE WHEN ln = -1 THEN len(l) ELSE least(greatest(CASE WHEN st < 0 THEN st + len(l) ELSE st END, 0) + ln, len(l)) END),
           lambda i: l[i + 1] = v)[greatest(occ, 1)], -1)
       END)[1]`,
  // Sort key: nulls by flag, then numbers, strings, others (Kusto's mixed-type order).
  `CREATE OR REPLACE TEMP MACRO kql_sort_key(x, nullflag) AS
     {'n': CASE WHEN json_type(x) = 'NULL' THEN nullflag ELSE 1 - nullflag END,
      'r': CASE WHEN json_type(x) IN ('BIGINT', 'UBIGINT', 'DOUBLE') THEN 0 WHEN json_type(x) = 'VARCHAR' THEN 1 ELSE 2 END,
      'd': CASE WHEN json_type(x) IN ('BIGINT', 'UBIGINT', 'DOUBLE') THEN TRY_CAST(x AS DOUBLE) END,
      's': json_extract_string(x, '$'),
      'j': x}`,
  `CREATE OR REPLACE TEMP MACRO kql_array_sort(a, descending, nulls_last) AS
     list_transform([kql_arr(a)], lambda l:
       to_json(CASE WHEN descending
         THEN list_reverse(list_transform(list_sort(list_transform(l, lambda x: kql_sort_key(x, CASE WHEN nulls_last THEN 0 ELSE 1 END))), lambda y: y.j))
         ELSE list_transform(list_sort(list_transform(l, lambda x: kql_sort_key(x, CASE WHEN nulls_last THEN 1 ELSE 0 END))), lambda y: y.j)
       END))[1]`,
  `CREATE OR REPLACE TEMP MACRO kql_gettype(j) AS
     (CASE json_type(j) WHEN 'OBJECT' THEN 'dictionary' WHEN 'ARRAY' THEN 'array' WHEN 'VARCHAR' THEN 'string'
        WHEN 'BIGINT' THEN 'long' WHEN 'UBIGINT' THEN 'long' WHEN 'DOUBLE' THEN 'real' WHEN 'BOOLEAN' THEN 'bool'
        ELSE 'null' END)`,

  // ---- IPv4 ----------------------------------------------------------------------------------------
  // {addr BIGINT, bits INTEGER} of 'a.b.c.d[/p]', NULL when it is not a valid IPv4 address or prefix.
  `CREATE OR REPLACE TEMP MACRO kql_ipv4_parse(s) AS
     list_transform([regexp_extract(trim(CAST(s AS VARCHAR)), '${ipv4Pattern}', ['a', 'b', 'c', 'd', 'p'])], lambda g:
       CASE WHEN TRY_CAST(g.a AS INTEGER) <= 255 AND TRY_CAST(g.b AS INTEGER) <= 255
             AND TRY_CAST(g.c AS INTEGER) <= 255 AND TRY_CAST(g.d AS INTEGER) <= 255
             AND (g.p = '' OR TRY_CAST(g.p AS INTEGER) <= 32)
       THEN {'addr': (TRY_CAST(g.a AS BIGINT) << 24) + (TRY_CAST(g.b AS BIGINT) << 16)
                     + (TRY_CAST(g.c AS BIGINT) << 8) + TRY_CAST(g.d AS BIGINT),
             'bits': CASE WHEN g.p = '' THEN 32 ELSE TRY_CAST(g.p AS INTEGER) END}
       END)[1]`,
  // Netmask of a prefix length as a number (0 for /0, 4294967295 for /32); NULL outside 0..32.
  `CREATE OR REPLACE TEMP MACRO kql_ipv4_mask(bits) AS
     (CASE WHEN bits BETWEEN 0 AND 32 THEN 4294967296 - (CAST(1 AS BIGINT) << (32 - CAST(bits AS INTEGER))) END)`,
  // Address with its own prefix applied (pass a lambda variable: the macro repeats its argument).
  `CREATE OR REPLACE TEMP MACRO kql_ipv4_net(p) AS (p.addr & kql_ipv4_mask(p.bits))`,
  `CREATE OR REPLACE TEMP MACRO kql_parse_ipv4(s) AS list_transform([kql_ipv4_parse(s)], lambda p: kql_ipv4_net(p))[1]`,
  `CREATE OR REPLACE TEMP MACRO kql_ipv4_text(n) AS
     (CASE WHEN n BETWEEN 0 AND 4294967295 THEN
        CAST(n >> 24 AS VARCHAR) || '.' || CAST((n >> 16) & 255 AS VARCHAR) || '.'
        || CAST((n >> 8) & 255 AS VARCHAR) || '.' || CAST(n & 255 AS VARCHAR) END)`,
  `CREATE OR REPLACE TEMP MACRO kql_ipv4_in_range(ip, rng) AS
     list_transform([{'p': kql_ipv4_parse(ip), 'r': kql_ipv4_parse(rng)}], lambda v:
       (kql_ipv4_net(v.p) & kql_ipv4_mask(v.r.bits)) = kql_ipv4_net(v.r))[1]`,
  // -1/0/1 comparing two addresses under the narrowest of their prefixes and the optional one.
  `CREATE OR REPLACE TEMP MACRO kql_ipv4_compare(a, b, prefix) AS
     list_transform([{'p': kql_ipv4_parse(a), 'q': kql_ipv4_parse(b)}], lambda v:
       CASE WHEN prefix BETWEEN 0 AND 32 THEN
         sign((v.p.addr & kql_ipv4_mask(least(v.p.bits, v.q.bits, prefix)))
              - (v.q.addr & kql_ipv4_mask(least(v.p.bits, v.q.bits, prefix)))) END)[1]`,
  `CREATE OR REPLACE TEMP MACRO kql_ipv4_is_private(ip) AS
     list_transform([kql_ipv4_parse(ip)], lambda p:
       (kql_ipv4_net(p) & 4278190080) = 167772160 OR (kql_ipv4_net(p) & 4293918720) = 2886729728
       OR (kql_ipv4_net(p) & 4294901760) = 3232235520)[1]`,
  // IPv4-looking tokens of a text: alphanumeric runs joined by single dots, so that an address glued
  // to a letter or digit ("54127.0.0.1") is not a match, as Kusto's delimiting rule says.
  `CREATE OR REPLACE TEMP MACRO kql_ipv4_tokens(s) AS
     list_filter(regexp_extract_all(coalesce(s, ''), '[0-9A-Za-z]+(?:\\.[0-9A-Za-z]+)*'),
       lambda t: kql_ipv4_parse(t) IS NOT NULL AND NOT contains(t, '/'))`,
  `CREATE OR REPLACE TEMP MACRO kql_is_ipv4_prefix_text(p) AS
     (kql_ipv4_parse(p) IS NOT NULL AND NOT contains(p, '/')
      OR regexp_full_match(coalesce(p, ''), '(\\d{1,3}\\.){1,3}')
         AND list_bool_and(list_transform(string_split(rtrim(p, '.'), '.'), lambda o: TRY_CAST(o AS INTEGER) <= 255)))`,
];
