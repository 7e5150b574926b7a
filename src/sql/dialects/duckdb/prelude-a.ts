/**
 * Temp macros for part A of the KQL function catalog (operators, strings, conversions) on DuckDB.
 * Run once per connection before any compiled query. Every macro is prefixed `kqla_` so that it
 * cannot clash with other preludes.
 *
 * Representation reminders (see `src/sql/dialect.ts`): string → VARCHAR (NULL reads as ""),
 * timespan → BIGINT microseconds, datetime → TIMESTAMP, dynamic → JSON.
 */

const US_PER_DAY = 86_400_000_000;

export const preludeA: string[] = [
  // real → Kusto/.NET text: shortest round-trip digits, "E+XX" exponent outside [1e-5, 1e15),
  // integers without ".0", NaN/Infinity spelled as .NET does.
  String.raw`CREATE OR REPLACE TEMP MACRO kqla_real_str(x) AS (
    CASE
      WHEN x IS NULL THEN NULL
      WHEN isnan(x) THEN 'NaN'
      WHEN x = 'Infinity'::DOUBLE THEN 'Infinity'
      WHEN x = '-Infinity'::DOUBLE THEN '-Infinity'
      WHEN contains(CAST(x AS VARCHAR), 'e') THEN replace(CAST(x AS VARCHAR), 'e', 'E')
      WHEN abs(x) >= 1e15 THEN
        (CASE WHEN x < 0 THEN '-' ELSE '' END) ||
        left(rtrim(replace(replace(CAST(abs(x) AS VARCHAR), '.', ''), '-', ''), '0'), 1) ||
        (CASE WHEN length(rtrim(replace(CAST(abs(x) AS VARCHAR), '.', ''), '0')) > 1
              THEN '.' || substr(rtrim(replace(CAST(abs(x) AS VARCHAR), '.', ''), '0'), 2) ELSE '' END) || 'E+15'
      WHEN ends_with(CAST(x AS VARCHAR), '.0') THEN left(CAST(x AS VARCHAR), length(CAST(x AS VARCHAR)) - 2)
      ELSE CAST(x AS VARCHAR)
    END)`,

  // datetime → "yyyy-MM-ddTHH:mm:ss.fffffffZ" (Kusto's round-trip form: always seven fraction digits).
  String.raw`CREATE OR REPLACE TEMP MACRO kqla_dt_str(t) AS (
    CASE WHEN t IS NULL THEN NULL ELSE
      strftime(t, '%Y-%m-%dT%H:%M:%S') || '.' ||
      lpad((((epoch_us(t) % 1000000) + 1000000) % 1000000)::VARCHAR, 6, '0') || '0' || 'Z'
    END)`,

  // timespan (µs) → .NET "c" format "[-][d.]hh:mm:ss[.fffffff]".
  String.raw`CREATE OR REPLACE TEMP MACRO kqla_ts_str(us) AS (
    CASE WHEN us IS NULL THEN NULL ELSE
      (CASE WHEN us < 0 THEN '-' ELSE '' END) ||
      (CASE WHEN abs(us) >= ${US_PER_DAY} THEN (abs(us) // ${US_PER_DAY})::VARCHAR || '.' ELSE '' END) ||
      lpad(((abs(us) // 3600000000) % 24)::VARCHAR, 2, '0') || ':' ||
      lpad(((abs(us) // 60000000) % 60)::VARCHAR, 2, '0') || ':' ||
      lpad(((abs(us) // 1000000) % 60)::VARCHAR, 2, '0') ||
      (CASE WHEN abs(us) % 1000000 = 0 THEN '' ELSE '.' || lpad((abs(us) % 1000000)::VARCHAR, 6, '0') || '0' END)
    END)`,

  // dynamic → string: a JSON string gives its text, JSON null gives NULL (reads as ""), anything else compact JSON.
  String.raw`CREATE OR REPLACE TEMP MACRO kqla_dyn_str(j) AS (
    CASE WHEN j IS NULL THEN NULL
         WHEN json_type(j) = 'VARCHAR' THEN j ->> '$'
         WHEN json_type(j) = 'NULL' THEN NULL
         ELSE json(j)::VARCHAR END)`,

  // string → long: integer text exactly; decimal text truncated toward zero; anything else NULL.
  String.raw`CREATE OR REPLACE TEMP MACRO kqla_str_long(s) AS (
    CASE WHEN regexp_full_match(trim(s), '[+-]?[0-9]+') THEN TRY_CAST(trim(s) AS BIGINT)
         ELSE TRY_CAST(trunc(TRY_CAST(trim(s) AS DOUBLE)) AS BIGINT) END)`,

  String.raw`CREATE OR REPLACE TEMP MACRO kqla_str_bool(s) AS (
    CASE lower(trim(s)) WHEN 'true' THEN TRUE WHEN 'false' THEN FALSE
         ELSE TRY_CAST(trim(s) AS DOUBLE) <> 0 END)`,

  // string → datetime. ISO 8601 (with optional Z / ±hh:mm offset, converted to UTC), RFC 822/850 and
  // "sortable" forms as listed in Kusto's datetime doc; NULL when nothing fits.
  String.raw`CREATE OR REPLACE TEMP MACRO kqla_str_dt(s) AS (
    CASE
      WHEN s IS NULL OR trim(s) = '' THEN NULL
      WHEN regexp_full_match(trim(s), '(\d{4}-\d{1,2}-\d{1,2})(?:[T ](\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?\s*(?:Z|z|UTC|GMT|[+-]\d{2}:?\d{2})?')
      THEN TRY_CAST(
             regexp_extract(trim(s), '^(\d{4}-\d{1,2}-\d{1,2})', 1) || ' ' ||
             coalesce(nullif(regexp_extract(trim(s), '^\S+[T ](\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)', 1), ''), '00:00') AS TIMESTAMP)
           - to_microseconds(
               CASE WHEN regexp_matches(trim(s), '\d[+-]\d{2}:?\d{2}$')
                    THEN (CASE WHEN regexp_extract(trim(s), '([+-])\d{2}:?\d{2}$', 1) = '-' THEN -1 ELSE 1 END) *
                         (CAST(regexp_extract(trim(s), '[+-](\d{2}):?\d{2}$', 1) AS BIGINT) * 3600000000 +
                          CAST(regexp_extract(trim(s), '[+-]\d{2}:?(\d{2})$', 1) AS BIGINT) * 60000000)
                    ELSE 0 END)
      ELSE try_strptime(regexp_replace(trim(s), '\s+(GMT|UTC|Z)$', ''), [
        '%a, %d %b %y %H:%M:%S', '%a, %d %b %y %H:%M', '%d %b %y %H:%M:%S', '%d %b %y %H:%M',
        '%a, %d %b %Y %H:%M:%S', '%d %b %Y %H:%M:%S',
        '%A, %d-%b-%y %H:%M:%S', '%A, %d-%b-%y %H:%M', '%d-%b-%y %H:%M:%S', '%d-%b-%y %H:%M',
        '%m/%d/%Y %H:%M:%S', '%m/%d/%Y %H:%M', '%m/%d/%Y', '%m-%d-%Y'])
    END)`,

  // string → timespan (µs): "[-][d.]hh:mm[:ss[.fffffff]]", a bare number of days, or "<number><unit>"
  // as in timespan literals (1d, 2h, 30m, 10s, 100ms, 10microsecond, 1tick, ...).
  String.raw`CREATE OR REPLACE TEMP MACRO kqla_str_ts(s) AS (
    CASE
      WHEN s IS NULL THEN NULL
      WHEN regexp_full_match(trim(s), '-?(?:\d+\.)?\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?') THEN
        (CASE WHEN starts_with(trim(s), '-') THEN -1 ELSE 1 END) * (
          coalesce(TRY_CAST(nullif(regexp_extract(trim(s), '^-?(\d+)\.\d{1,2}:', 1), '') AS BIGINT), 0) * ${US_PER_DAY} +
          CAST(regexp_extract(trim(s), '(\d{1,2}):\d{2}', 1) AS BIGINT) * 3600000000 +
          CAST(regexp_extract(trim(s), '\d{1,2}:(\d{2})', 1) AS BIGINT) * 60000000 +
          coalesce(TRY_CAST(nullif(regexp_extract(trim(s), '\d{1,2}:\d{2}:(\d{2})', 1), '') AS BIGINT), 0) * 1000000 +
          coalesce(TRY_CAST(rpad(nullif(regexp_extract(trim(s), ':\d{2}\.(\d{1,7})$', 1), ''), 7, '0') AS BIGINT) // 10, 0))
      WHEN regexp_full_match(trim(s), '-?\d+') THEN TRY_CAST(trim(s) AS BIGINT) * ${US_PER_DAY}
      WHEN regexp_full_match(lower(trim(s)), '-?\d+(?:\.\d+)?\s*(d|days?|h|hrs?|hours?|m|mins?|minutes?|s|secs?|seconds?|ms|millis?|milliseconds?|microseconds?|ticks?)') THEN
        CAST(round(TRY_CAST(regexp_extract(lower(trim(s)), '^(-?\d+(?:\.\d+)?)', 1) AS DOUBLE) *
          CASE regexp_extract(lower(trim(s)), '([a-z]+)$', 1)
            WHEN 'd' THEN ${US_PER_DAY} WHEN 'day' THEN ${US_PER_DAY} WHEN 'days' THEN ${US_PER_DAY}
            WHEN 'h' THEN 3600000000 WHEN 'hr' THEN 3600000000 WHEN 'hrs' THEN 3600000000
            WHEN 'hour' THEN 3600000000 WHEN 'hours' THEN 3600000000
            WHEN 'm' THEN 60000000 WHEN 'min' THEN 60000000 WHEN 'mins' THEN 60000000
            WHEN 'minute' THEN 60000000 WHEN 'minutes' THEN 60000000
            WHEN 's' THEN 1000000 WHEN 'sec' THEN 1000000 WHEN 'secs' THEN 1000000
            WHEN 'second' THEN 1000000 WHEN 'seconds' THEN 1000000
            WHEN 'ms' THEN 1000 WHEN 'milli' THEN 1000 WHEN 'millis' THEN 1000
            WHEN 'millisecond' THEN 1000 WHEN 'milliseconds' THEN 1000
            WHEN 'microsecond' THEN 1 WHEN 'microseconds' THEN 1
            WHEN 'tick' THEN 0.1 WHEN 'ticks' THEN 0.1 END) AS BIGINT)
      ELSE NULL
    END)`,

  // Kusto substring(): 0-based start, a negative start counts from the end, length optional.
  String.raw`CREATE OR REPLACE TEMP MACRO kqla_substring(s, st, ln) AS (
    substr(coalesce(s, ''), (CASE WHEN st < 0 THEN greatest(length(coalesce(s, '')) + st, 0) ELSE st END) + 1,
           greatest(coalesce(ln, length(coalesce(s, ''))), 0)))`,

  // Kusto indexof(): the first match starting in [st, st + ln) (ln = -1: to the end) that fits in that window.
  String.raw`CREATE OR REPLACE TEMP MACRO kqla_indexof1(s, m, st, ln) AS (
    CASE WHEN st > length(s) THEN -1
         WHEN strpos(substr(s, st + 1, CASE WHEN ln = -1 THEN length(s) ELSE ln END), m) = 0 THEN -1
         ELSE st + strpos(substr(s, st + 1, CASE WHEN ln = -1 THEN length(s) ELSE ln END), m) - 1 END)`,

  // indexof() with an occurrence: each further search starts one past the previous match with the same
  // window length (this reproduces the documented results). A negative start counts from the end.
  String.raw`CREATE OR REPLACE TEMP MACRO kqla_indexof(s, m, st, ln, occ) AS (
    CASE WHEN ln < -1 OR occ < 0 THEN NULL ELSE
      list_reduce(range(greatest(occ, 1) - 1)::BIGINT[],
        lambda acc, k: CASE WHEN acc < 0 THEN -1 ELSE kqla_indexof1(coalesce(s, ''), coalesce(m, ''), acc + 1 + 0 * k, ln) END,
        kqla_indexof1(coalesce(s, ''), coalesce(m, ''),
                      CASE WHEN st < 0 THEN greatest(length(coalesce(s, '')) + st, 0) ELSE st END, ln)::BIGINT)
    END)`,

  // Overlapping occurrences of a plain substring (countof "normal" kind).
  String.raw`CREATE OR REPLACE TEMP MACRO kqla_countof(s, m) AS (
    CASE WHEN coalesce(m, '') = '' THEN 0 ELSE
      len(list_filter(range(0, greatest(length(coalesce(s, '')) - length(m) + 1, 0)),
                      lambda i: substr(coalesce(s, ''), i + 1, length(m)) = m)) END)`,

  // One Windows command-line argument (not argv[0]) → its value, following CommandLineToArgvW:
  // 2n backslashes + quote → n backslashes (the quote toggles quoting), 2n+1 backslashes + quote → n
  // backslashes + a literal quote, other backslashes are literal, "" inside quotes is a literal quote.
  String.raw`CREATE OR REPLACE TEMP MACRO kqla_winarg(a) AS (
    array_to_string(list_transform(regexp_extract_all(a, '(?:\\\\)+|\\"|\\|""|"|[^\\"]+'),
      lambda t, i: CASE
        WHEN t = '"' THEN ''
        WHEN t = '""' THEN CASE WHEN len(list_filter(regexp_extract_all(a, '(?:\\\\)+|\\"|\\|""|"|[^\\"]+')[1:i - 1], lambda u: u = '"')) % 2 = 1 THEN '"' ELSE '' END
        WHEN t = '\"' THEN '"'
        WHEN starts_with(t, '\\') AND starts_with(coalesce(regexp_extract_all(a, '(?:\\\\)+|\\"|\\|""|"|[^\\"]+')[i + 1], ''), '"')
          THEN repeat('\', length(t) // 2)
        WHEN starts_with(t, '\\') AND coalesce(regexp_extract_all(a, '(?:\\\\)+|\\"|\\|""|"|[^\\"]+')[i + 1], '') = '\"'
          THEN repeat('\', length(t) // 2)
        ELSE t END), ''))`,

  // parse_command_line(cmd, "windows") → JSON array of arguments. argv[0] is read without escapes:
  // up to the closing quote when it starts with one, else up to the first space or tab.
  String.raw`CREATE OR REPLACE TEMP MACRO kqla_parse_cmdline(s) AS (
    to_json(
      CASE WHEN regexp_full_match(coalesce(s, ''), '[ \t]*') THEN []::VARCHAR[] ELSE
        list_prepend(
          CASE WHEN starts_with(ltrim(s, E' \t'), '"') THEN regexp_extract(ltrim(s, E' \t'), '^"([^"]*)', 1)
               ELSE regexp_extract(ltrim(s, E' \t'), '^([^ \t]*)', 1) END,
          list_transform(
            regexp_extract_all(
              CASE WHEN starts_with(ltrim(s, E' \t'), '"') THEN regexp_replace(ltrim(s, E' \t'), '^"[^"]*"?', '')
                   ELSE regexp_replace(ltrim(s, E' \t'), '^[^ \t]*', '') END,
              '(?:(?:\\\\)*\\"|[^ \t"\\]+|\\+|"(?:[^"\\]|(?:\\\\)*\\"|\\+|"")*(?:"|$))+'),
            lambda a: kqla_winarg(a)))
      END))`,

  // url_encode(): application/x-www-form-urlencoded as .NET HttpUtility.UrlEncode does it
  // (lower-case hex, space → '+', letters, digits and -_.!*() kept).
  String.raw`CREATE OR REPLACE TEMP MACRO kqla_url_encode(s) AS (
    array_to_string(list_transform(string_split(coalesce(s, ''), ''),
      lambda c: CASE WHEN regexp_full_match(c, '[A-Za-z0-9_.!*()-]') THEN c WHEN c = ' ' THEN '+' ELSE lower(url_encode(c)) END), ''))`,

  // translate(): replacement shorter than the search list repeats its last character; empty deletes.
  String.raw`CREATE OR REPLACE TEMP MACRO kqla_translate(frm, rep, s) AS (
    translate(coalesce(s, ''), coalesce(frm, ''),
      CASE WHEN coalesce(rep, '') = '' THEN ''
           ELSE rpad(rep, CAST(greatest(length(frm), length(rep)) AS INTEGER), right(rep, 1)) END))`,

  // A RE2 pattern for Kusto term matching of a run-time needle. mode: 'has' (both boundaries),
  // 'prefix' (left only), 'suffix' (right only). A boundary applies only where the needle's end is
  // an ASCII alphanumeric, so "/x.y?" matches "a/x.y?b" while "x" does not match "xy".
  String.raw`CREATE OR REPLACE TEMP MACRO kqla_term_re(n, mode, ci) AS (
    (CASE WHEN ci THEN '(?i)' ELSE '' END) ||
    (CASE WHEN mode IN ('has', 'prefix') AND regexp_matches(coalesce(n, ''), '^[A-Za-z0-9]') THEN '(?:^|[^A-Za-z0-9])' ELSE '' END) ||
    regexp_escape(coalesce(n, '')) ||
    (CASE WHEN mode IN ('has', 'suffix') AND regexp_matches(coalesce(n, ''), '[A-Za-z0-9]$') THEN '(?:$|[^A-Za-z0-9])' ELSE '' END))`,
  // Elements of a dynamic value as text (strings unquoted, others compact JSON); a scalar is a one-element list.
  String.raw`CREATE OR REPLACE TEMP MACRO kqla_json_texts(j) AS (
    CASE WHEN j IS NULL THEN []::VARCHAR[]
         WHEN json_type(j) = 'ARRAY' THEN list_transform(json_extract(j, '$[*]'), lambda e: kqla_dyn_str(e))
         ELSE [kqla_dyn_str(j)] END)`,

  // The longest alphanumeric run of a needle ('' when it has none): the term to look up first.
  String.raw`CREATE OR REPLACE TEMP MACRO kqla_term_anchor(n) AS (
    list_reduce(list_append(regexp_extract_all(coalesce(n, ''), '[A-Za-z0-9]+'), ''),
                lambda a, b: CASE WHEN length(b) > length(a) THEN b ELSE a END))`,
];
