/**
 * Time-series support in DuckDB SQL: the internal helpers behind `make-series`, `parse-kv` and `top-nested`
 * lowering, and the KQL `series_*` functions over dynamic (JSON) arrays.
 *
 * Conventions:
 * - a series is a JSON array; its numeric view (`kql_series_num`) is a DOUBLE[] where non-numbers and JSON
 *   nulls are NULL; integer series stay integers where Kusto keeps the element type (fill functions, and
 *   add/subtract/multiply of two integers);
 * - "missing" elements are JSON nulls, or elements equal to the optional `missing_value_placeholder`;
 * - the fill functions are O(n²) per series (each element looks for its neighbours), fine for the
 *   hundreds-to-thousands of bins make-series produces.
 */
import type { FnArg, ScalarFnImpl } from '../../dialect.js';
import type { AggregateFnImpl } from '../../dialect.js';
import { jsonOf } from './functions-dynamic.js';
import { arity, unsupported } from './functions-misc.js';

export const seriesPrelude: string[] = [
  // Numeric view of a series: DOUBLE per element, NULL for JSON null and non-numbers; NULL when not an array.
  `CREATE OR REPLACE TEMP MACRO kql_series_num(x) AS
     list_transform(kql_arr(x), lambda e: CASE WHEN json_type(e) IN ('BIGINT', 'UBIGINT', 'DOUBLE') THEN CAST(e AS DOUBLE) END)`,
  // True when every non-null element is an integer (Kusto keeps such series integral).
  `CREATE OR REPLACE TEMP MACRO kql_series_is_long(x) AS
     coalesce(list_bool_and(list_transform(list_filter(kql_arr(x), lambda e: json_type(e) <> 'NULL'), lambda e: json_type(e) IN ('BIGINT', 'UBIGINT'))), TRUE)`,
  // A datetime as it appears inside make-series' axis array: ISO 8601 with seven fractional digits.
  `CREATE OR REPLACE TEMP MACRO kql_series_datetime_text(t) AS
     (strftime(t, '%Y-%m-%dT%H:%M:%S') || '.' || kql_frac7(epoch_us(t)) || 'Z')`,
  // Elements flagged missing: JSON null, or equal to the placeholder `p` (a JSON value, NULL for none).
  `CREATE OR REPLACE TEMP MACRO kql_series_missing(l, p) AS
     list_transform(l, lambda e: e IS NULL OR json_type(e) = 'NULL' OR (p IS NOT NULL AND CAST(e AS DOUBLE) IS NOT DISTINCT FROM TRY_CAST(p AS DOUBLE)))`,
  `CREATE OR REPLACE TEMP MACRO kql_series_fill_const(x, c, p) AS
     list_transform([kql_arr(x)], lambda l: to_json(list_transform(range(len(l)), lambda i:
       CASE WHEN kql_series_missing(l, p)[i + 1] THEN c ELSE l[i + 1] END)))[1]`,
  // Forward: the last present value before i (leading missing values stay).
  `CREATE OR REPLACE TEMP MACRO kql_series_fill_forward(x, p) AS
     list_transform([kql_arr(x)], lambda l: list_transform([kql_series_missing(l, p)], lambda m:
       to_json(list_transform(range(len(l)), lambda i:
         CASE WHEN NOT m[i + 1] THEN l[i + 1]
              ELSE coalesce(l[list_max(list_filter(range(1, i + 1), lambda j: NOT m[j]))], CASE WHEN p IS NULL THEN CAST('null' AS JSON) ELSE l[i + 1] END) END)))[1])[1]`,
  `CREATE OR REPLACE TEMP MACRO kql_series_fill_backward(x, p) AS
     list_transform([kql_arr(x)], lambda l: list_transform([kql_series_missing(l, p)], lambda m:
       to_json(list_transform(range(len(l)), lambda i:
         CASE WHEN NOT m[i + 1] THEN l[i + 1]
              ELSE coalesce(l[list_min(list_filter(range(i + 2, len(l) + 1), lambda j: NOT m[j]))], CASE WHEN p IS NULL THEN CAST('null' AS JSON) ELSE l[i + 1] END) END)))[1])[1]`,
  // Linear interpolation between the nearest present neighbours; edges take the nearest present value when
  // `edges`; an all-missing series becomes the constant `c`. Integer series truncate (as Kusto's doc shows).
  `CREATE OR REPLACE TEMP MACRO kql_series_fill_linear(x, p, edges, c) AS
     list_transform([kql_arr(x)], lambda l: list_transform([{'m': kql_series_missing(l, p), 'v': kql_series_num(x), 'int': kql_series_is_long(x)}], lambda s:
       CASE WHEN list_bool_and(s.m) THEN to_json(list_transform(l, lambda e: c)) ELSE
       to_json(list_transform(range(len(l)), lambda i: list_transform([{
           'a': list_max(list_filter(range(1, i + 1), lambda j: NOT s.m[j])),
           'b': list_min(list_filter(range(i + 2, len(l) + 1), lambda j: NOT s.m[j]))}], lambda nb:
         CASE WHEN NOT s.m[i + 1] THEN l[i + 1]
              WHEN nb.a IS NULL OR nb.b IS NULL THEN
                CASE WHEN edges THEN l[coalesce(nb.a, nb.b)] ELSE l[i + 1] END
              ELSE list_transform([s.v[nb.a] + (s.v[nb.b] - s.v[nb.a]) * (i + 1 - nb.a) / (nb.b - nb.a)], lambda y:
                CASE WHEN s.int THEN to_json(CAST(trunc(y) AS BIGINT)) ELSE to_json(y) END)[1]
         END)[1])) END)[1])[1]`,
  // Statistics of the numeric elements (nulls and non-finite values skipped when `skip`, else a null result).
  `CREATE OR REPLACE TEMP MACRO kql_series_stats(x, skip) AS
     list_transform([kql_series_num(x)], lambda v: list_transform([list_filter(v, lambda e: e IS NOT NULL AND isfinite(e))], lambda f:
       CASE WHEN v IS NULL OR (NOT skip AND len(f) <> len(v)) OR len(f) = 0 THEN NULL ELSE
         json_object('min', list_min(f), 'min_idx', list_position(v, list_min(f)) - 1,
                     'max', list_max(f), 'max_idx', list_position(v, list_max(f)) - 1,
                     'avg', list_avg(f), 'stdev', coalesce(list_stddev_samp(f), 0.0), 'variance', coalesce(list_var_samp(f), 0.0),
                     'sum', list_sum(f), 'len', len(v)) END)[1])[1]`,
  // Least-squares line over x = 1..n (as Kusto's documented example: the fit starts at interception + slope).
  `CREATE OR REPLACE TEMP MACRO kql_series_fit_line(x) AS
     list_transform([coalesce(kql_series_num(x), [])], lambda v: list_transform([{
         'n': len(v), 'mx': (len(v) + 1) / 2.0, 'my': list_avg(v)}], lambda s: list_transform([{
         'slope': list_sum(list_transform(range(s.n), lambda i: (i + 1 - s.mx) * (v[i + 1] - s.my)))
                  / nullif(list_sum(list_transform(range(s.n), lambda i: (i + 1 - s.mx) * (i + 1 - s.mx))), 0)}], lambda k:
         list_transform([list_transform(range(s.n), lambda i: s.my - coalesce(k.slope, 0) * s.mx + coalesce(k.slope, 0) * (i + 1))], lambda fit:
         list_transform([{
             'ss': list_sum(list_transform(v, lambda y: (y - s.my) * (y - s.my))),
             'rs': list_sum(list_transform(range(s.n), lambda i: (v[i + 1] - fit[i + 1]) * (v[i + 1] - fit[i + 1])))}], lambda e:
           CASE WHEN s.n = 0 THEN NULL ELSE json_object(
             'rsquare', CASE WHEN e.ss = 0 THEN 1.0 ELSE 1 - e.rs / e.ss END,
             'slope', coalesce(k.slope, 0.0),
             'variance', CASE WHEN s.n > 1 THEN e.ss / (s.n - 1) ELSE 0.0 END,
             'rvariance', CASE WHEN s.n > 1 THEN e.rs / (s.n - 1) ELSE 0.0 END,
             'interception', s.my - coalesce(k.slope, 0) * s.mx,
             'line_fit', to_json(fit)) END)[1])[1])[1])[1])[1]`,
  // parse-kv value: group 1 of `re`, trimmed; a value quoted with one of the opening quotes `q1` and closing
  // quotes `q2` loses its quotes, and `esc` escapes inside it.
  `CREATE OR REPLACE TEMP MACRO kql_kv_value(s, re, q1, q2, esc) AS
     list_transform([trim(regexp_extract(coalesce(s, ''), re, 1))], lambda v:
       CASE WHEN length(v) >= 2 AND contains(q1, v[1]) AND contains(q2, v[-1])
            THEN CASE WHEN esc <> '' THEN regexp_replace(v[2:length(v) - 1], '\\Q' || esc || '\\E(.)', '\\1', 'g') ELSE v[2:length(v) - 1] END
            ELSE v END)[1]`,
  // parse-kv with a regex of two groups (key, value): the value of the first pair whose key is `k`.
  `CREATE OR REPLACE TEMP MACRO kql_kv_regex_value(s, re, k) AS
     coalesce(trim(regexp_extract_all(coalesce(s, ''), re, 2)[list_position(list_transform(regexp_extract_all(coalesce(s, ''), re, 1), lambda x: trim(x)), k)]), '')`,
];

const listOf = (a: FnArg) => `kql_series_num(${a.sql})`;

/** Element-wise arithmetic; integers stay integers for + - * (Kusto keeps long series long). */
function binary(op: '+' | '-' | '*' | '/'): ScalarFnImpl {
  return (args, ctx) => {
    arity(args, ctx, 2);
    const [a, b] = [args[0]!, args[1]!];
    const elemA = a.type === 'dynamic' ? `kql_arr(${a.sql})[i + 1]` : jsonOf(a);
    const elemB = b.type === 'dynamic' ? `kql_arr(${b.sql})[i + 1]` : jsonOf(b);
    const lenOf = (x: FnArg) => (x.type === 'dynamic' ? `len(kql_arr(${x.sql}))` : '0');
    const n = `greatest(${lenOf(a)}, ${lenOf(b)})`;
    const num = (e: string) => `(CASE WHEN json_type(${e}) IN ('BIGINT', 'UBIGINT', 'DOUBLE') THEN CAST(${e} AS DOUBLE) END)`;
    const isInt = (e: string) => `json_type(${e}) IN ('BIGINT', 'UBIGINT')`;
    const real = op === '/' ? `(${num(elemA)} / nullif(${num(elemB)}, 0.0))` : `(${num(elemA)} ${op} ${num(elemB)})`;
    const body = op === '/'
      ? `to_json(${real})`
      : `CASE WHEN ${isInt(elemA)} AND ${isInt(elemB)} THEN to_json(CAST(${elemA} AS BIGINT) ${op} CAST(${elemB} AS BIGINT)) ELSE to_json(${real}) END`;
    const arrays = [a, b].filter((x) => x.type === 'dynamic').map((x) => `json_type(${x.sql}) = 'ARRAY'`);
    if (arrays.length === 0) throw unsupported(ctx, 'expects at least one dynamic array argument');
    return `(CASE WHEN ${arrays.join(' AND ')} THEN to_json(list_transform(range(${n}), lambda i: coalesce(${body}, CAST('null' AS JSON)))) END)`;
  };
}

/** The placeholder argument as JSON (NULL when absent or null). */
const placeholder = (a: FnArg | undefined) => (a ? `nullif(${jsonOf(a)}, 'null')` : 'CAST(NULL AS JSON)');

/** Element-wise unary math over the numeric view. */
function unary(fn: (x: string) => string): ScalarFnImpl {
  return (args, ctx) => {
    arity(args, ctx, 1);
    return `to_json(list_transform(${listOf(args[0]!)}, lambda x: ${fn('x')}))`;
  };
}

export const seriesFunctions: Record<string, ScalarFnImpl> = {
  // ---- internal helpers of make-series / parse-kv / top-nested lowering -----------------------------
  /** 0-based bin of `axis` on the grid `from + k*step` (datetime or number). */
  __series_bin_index: (a) => (a[0]!.type === 'datetime'
    ? `CAST(floor((epoch_us(${a[0]!.sql}) - epoch_us(${a[1]!.sql})) / CAST(${a[2]!.sql} AS DOUBLE)) AS BIGINT)`
    : `CAST(floor((CAST(${a[0]!.sql} AS DOUBLE) - CAST(${a[1]!.sql} AS DOUBLE)) / CAST(${a[2]!.sql} AS DOUBLE)) AS BIGINT)`),
  /** Number of bins `from + k*step < to` (`inclusive`: `<= to`, the `in range(…)` form); never negative. */
  __series_bin_count: (a) => {
    const span = a[0]!.type === 'datetime'
      ? `(epoch_us(${a[1]!.sql}) - epoch_us(${a[0]!.sql})) / CAST(${a[2]!.sql} AS DOUBLE)`
      : `(CAST(${a[1]!.sql} AS DOUBLE) - CAST(${a[0]!.sql} AS DOUBLE)) / CAST(${a[2]!.sql} AS DOUBLE)`;
    const inclusive = a[3]?.constant?.value === true;
    return `greatest(CAST(${inclusive ? `floor(${span}) + 1` : `ceil(${span})`} AS BIGINT), 0)`;
  },
  /** The axis array: `from + k*step` for k in [0, n). */
  __series_axis: (a) => {
    const [from, step, n] = [a[0]!, a[1]!, a[2]!];
    if (from.type === 'datetime') {
      return `to_json(list_transform(range(${n.sql}), lambda k: kql_series_datetime_text(make_timestamp(epoch_us(${from.sql}) + k * ${step.sql}))))`;
    }
    if (from.type === 'timespan') {
      return `to_json(list_transform(range(${n.sql}), lambda k: kql_timespan_text(${from.sql} + k * ${step.sql})))`;
    }
    return `to_json(list_transform(range(${n.sql}), lambda k: ${from.sql} + k * ${step.sql}))`;
  },
  /** A join key that matches nulls with nulls (and, for strings, null with "", as Kusto reads them). */
  __series_key: (a) => (a[0]!.type === 'string' ? `coalesce(${a[0]!.sql}, '')` : `coalesce(CAST(${a[0]!.sql} AS VARCHAR), chr(0))`),
  __parse_kv_value: (a) => `kql_kv_value(${a.map((x) => x.sql).join(', ')})`,
  __parse_kv_regex: (a) => `kql_kv_regex_value(${a.map((x) => x.sql).join(', ')})`,

  // ---- KQL series functions --------------------------------------------------------------------------
  series_add: binary('+'),
  series_subtract: binary('-'),
  series_multiply: binary('*'),
  series_divide: binary('/'),
  series_abs: unary((x) => `abs(${x})`),
  series_sign: unary((x) => `sign(${x})`),
  series_floor: unary((x) => `floor(${x})`),
  series_ceiling: unary((x) => `ceil(${x})`),
  series_exp: unary((x) => `exp(${x})`),
  series_fill_const: (args, ctx) => {
    arity(args, ctx, 1, 3);
    const c = args[1] ? jsonOf(args[1]) : `CAST('0' AS JSON)`;
    return `kql_series_fill_const(${args[0]!.sql}, ${c}, ${placeholder(args[2])})`;
  },
  series_fill_forward: (args, ctx) => { arity(args, ctx, 1, 2); return `kql_series_fill_forward(${args[0]!.sql}, ${placeholder(args[1])})`; },
  series_fill_backward: (args, ctx) => { arity(args, ctx, 1, 2); return `kql_series_fill_backward(${args[0]!.sql}, ${placeholder(args[1])})`; },
  series_fill_linear: (args, ctx) => {
    arity(args, ctx, 1, 4);
    const edges = args[2] ? args[2].sql : 'TRUE';
    const c = args[3] ? `coalesce(${jsonOf(args[3])}, CAST('null' AS JSON))` : `CAST('0.0' AS JSON)`;
    return `kql_series_fill_linear(${args[0]!.sql}, ${placeholder(args[1])}, ${edges}, ${c})`;
  },
  series_stats_dynamic: (args, ctx) => {
    arity(args, ctx, 1, 2);
    return `kql_series_stats(${args[0]!.sql}, ${args[1] ? args[1].sql : 'FALSE'})`;
  },
  series_fit_line_dynamic: (args, ctx) => { arity(args, ctx, 1); return `kql_series_fit_line(${args[0]!.sql})`; },
};

/** Aggregates used by the make-series lowering. */
export const seriesAggregates: Record<string, AggregateFnImpl> = {
  /** `__series_list(value, default, idx)`: the values as a JSON array ordered by bin index, missing → default. */
  __series_list: (a) => `to_json(list(${jsonOf({ sql: `coalesce(${a[0]!.sql}, ${a[1]!.sql})`, type: a[0]!.type })} ORDER BY ${a[2]!.sql}))`,
};
