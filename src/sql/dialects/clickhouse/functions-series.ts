/**
 * Time series in ClickHouse SQL: the internal helpers behind the `make-series`, `top-nested` and
 * `parse-kv` lowerings (`src/plan/lower-series.ts`, `lower-top-nested.ts`, `lower-parse-kv.ts`) and the
 * KQL `series_*` functions over dynamic (JSON text) arrays. Same conventions as the DuckDB dialect:
 * - a series is a JSON array; its numeric view is Array(Nullable(Float64)), JSON null / non-numbers → NULL;
 * - integer series stay integers where Kusto keeps the element type (fills, and + - * of two integers);
 * - "missing" elements are JSON nulls, or elements equal to the optional placeholder.
 * Lambdas bind a computed value once with `arrayMap(v -> …, [value])[1]` (ClickHouse has no LET).
 */
import { QuarryError } from '../../../core/errors.js';
import type { AggregateFnImpl, FnArg, FnContext, ScalarFnImpl } from '../../dialect.js';
import { jsonOf, timespanText } from './convert.js';

function arity(args: readonly FnArg[], ctx: FnContext, min: number, max = min): void {
  if (args.length < min || args.length > max) throw new QuarryError('kql/semantic-error', `${ctx.name}() got ${args.length} argument(s)`);
}

const us = (d: string): string => `toUnixTimestamp64Micro(${d})`;
const f64 = (x: string): string => `toFloat64(${x})`;
/** Raw JSON elements of a dynamic array ([] when not an array). */
const arr = (j: string): string => `JSONExtractArrayRaw(coalesce(${j}, ''))`;
const isArray = (j: string): string => `(JSONType(coalesce(${j}, 'null')) = 'Array')`;
const num = (e: string): string => `toFloat64OrNull(${e})`;
const isInt = (e: string): string => `match(${e}, '^-?[0-9]+$')`;
const jsonArray = (items: string): string => `concat('[', arrayStringConcat(${items}, ','), ']')`;
const realJson = (x: string): string => jsonOf({ sql: x, type: 'real' });
/** Binds `value` to the lambda variable `name` in `body`. */
const bind = (name: string, value: string, body: string): string => `arrayMap(${name} -> ${body}, [${value}])[1]`;

/** Datetime text inside make-series' axis: ISO 8601 with seven fractional digits. */
const seriesDatetimeText = (u: string): string =>
  `concat(formatDateTime(fromUnixTimestamp64Micro(${u}, 'UTC'), '%Y-%m-%dT%H:%i:%S', 'UTC'), '.', leftPad(toString(((${u}) % 1000000 + 1000000) % 1000000), 6, '0'), '0Z')`;

/** Element-wise arithmetic; integers stay integers for + - * (Kusto keeps long series long). */
function binary(op: '+' | '-' | '*' | '/'): ScalarFnImpl {
  return (args, ctx) => {
    arity(args, ctx, 2);
    const [a, b] = [args[0]!, args[1]!];
    const elem = (x: FnArg, v: string) => (x.type === 'dynamic' ? `arrayElement(${v}, i + 1)` : jsonOf(x));
    const len = (x: FnArg, v: string) => (x.type === 'dynamic' ? `length(${v})` : '0');
    const [ea, eb] = [elem(a, '__sa'), elem(b, '__sb')];
    const real = op === '/' ? `(${num(ea)} / nullIf(${num(eb)}, 0.))` : `(${num(ea)} ${op} ${num(eb)})`;
    const body = op === '/' ? realJson(real) : `if(${isInt(ea)} AND ${isInt(eb)}, toString(toInt64(${ea}) ${op} toInt64(${eb})), ${realJson(real)})`;
    const arrays = [a, b].filter((x) => x.type === 'dynamic').map((x) => isArray(x.sql));
    if (arrays.length === 0) throw new QuarryError('kql/unsupported', `${ctx.name}(): expects at least one dynamic array argument (clickhouse)`);
    const n = `greatest(${len(a, '__sa')}, ${len(b, '__sb')})`;
    const items = `arrayMap(i -> ${body}, range(toUInt64(${n})))`;
    return `if(${arrays.join(' AND ')}, arrayMap((__sa, __sb) -> ${jsonArray(items)}, [${arr(a.type === 'dynamic' ? a.sql : "'[]'")}], [${arr(b.type === 'dynamic' ? b.sql : "'[]'")}])[1], NULL)`;
  };
}

/** The placeholder argument as JSON text (NULL when absent or null). */
const placeholder = (a: FnArg | undefined): string => (a ? `nullIf(${jsonOf(a)}, 'null')` : 'CAST(NULL AS Nullable(String))');
/** Missing flags of the elements `l` for placeholder `p`. */
const missing = (l: string, p: string): string =>
  `arrayMap(e -> (e = 'null' OR coalesce(${num('e')} = ${num(p)}, false)), ${l})`;

function fillDirection(reverse: boolean): ScalarFnImpl {
  return (args, ctx) => {
    arity(args, ctx, 1, 2);
    const fill = reverse ? 'arrayReverseFill' : 'arrayFill';
    return bind('__l', arr(args[0]!.sql), jsonArray(`${fill}((e, m) -> NOT m, __l, ${missing('__l', placeholder(args[1]))})`));
  };
}

/** Linear interpolation between the nearest present neighbours (see the DuckDB dialect for the rules). */
function fillLinear(x: string, p: string, edges: string, c: string): string {
  const present = `arrayFilter((j, m) -> NOT m, arrayEnumerate(__l), __m)`;
  const allInt = `arrayAll(e -> e = 'null' OR ${isInt('e')}, __l)`;
  const v = (i: string) => num(`__l[${i}]`);
  const interp = `${v('__a')} + (${v('__b')} - ${v('__a')}) * (i - __a) / (__b - __a)`;
  const value = `multiIf(NOT __m[i], __l[i], __a = 0 OR __b = 0, if(${edges}, __l[greatest(__a, __b)], __l[i]),
    if(${allInt}, toString(toInt64(trunc(${interp}))), ${realJson(interp)}))`;
  // Nearest present index before / after i (0 when there is none).
  const before = 'if(arrayExists(j -> j < i, __p), arrayMax(arrayFilter(j -> j < i, __p)), 0)';
  const after = 'if(arrayExists(j -> j > i, __p), arrayMin(arrayFilter(j -> j > i, __p)), 0)';
  const perIndex = `arrayMap(i -> arrayMap((__a, __b) -> ${value}, [${before}], [${after}])[1], arrayEnumerate(__l))`;
  const body = `if(arrayAll(m -> m, __m), ${jsonArray(`arrayMap(e -> ${c}, __l)`)}, ${jsonArray(perIndex)})`;
  return bind('__l', arr(x), bind('__m', missing('__l', p), bind('__p', present, body)));
}

function stats(x: string, skip: string): string {
  const f = `arrayMap(e -> assumeNotNull(e), arrayFilter(e -> e IS NOT NULL AND isFinite(e), __v))`;
  const obj = `concat('{"min":', ${realJson('arrayMin(__f)')}, ',"min_idx":', toString(indexOf(__v, arrayMin(__f)) - 1),
    ',"max":', ${realJson('arrayMax(__f)')}, ',"max_idx":', toString(indexOf(__v, arrayMax(__f)) - 1),
    ',"avg":', ${realJson('arrayAvg(__f)')}, ',"stdev":', ${realJson('if(length(__f) > 1, sqrt(__var), 0.)')},
    ',"variance":', ${realJson('if(length(__f) > 1, __var, 0.)')}, ',"sum":', ${realJson('arraySum(__f)')}, ',"len":', toString(length(__v)), '}')`;
  const variance = `arraySum(arrayMap(e -> (e - arrayAvg(__f)) * (e - arrayAvg(__f)), __f)) / greatest(length(__f) - 1, 1)`;
  const body = `if(NOT ${isArray(x)} OR (NOT ${skip} AND length(__f) != length(__v)) OR length(__f) = 0, NULL, ${bind('__var', variance, obj)})`;
  return bind('__v', `arrayMap(e -> ${num('e')}, ${arr(x)})`, bind('__f', f, body));
}

/** Least-squares line over x = 1..n (as Kusto's documented example). */
function fitLine(x: string): string {
  const mx = '((__n + 1) / 2.)';
  const slope = `arraySum(arrayMap((y, i) -> (i - ${mx}) * (y - __my), __v, arrayEnumerate(__v))) / nullIf(arraySum(arrayMap(i -> (i - ${mx}) * (i - ${mx}), arrayEnumerate(__v))), 0.)`;
  const k = 'coalesce(__k, 0.)';
  const fit = `arrayMap(i -> __my - ${k} * ${mx} + ${k} * i, arrayEnumerate(__v))`;
  const ss = `arraySum(arrayMap(y -> (y - __my) * (y - __my), __v))`;
  const rs = `arraySum(arrayMap((y, f) -> (y - f) * (y - f), __v, __fit))`;
  const obj = `concat('{"rsquare":', ${realJson(`if(${ss} = 0, 1., 1 - ${rs} / ${ss})`)}, ',"slope":', ${realJson(k)},
    ',"variance":', ${realJson(`if(__n > 1, ${ss} / (__n - 1), 0.)`)}, ',"rvariance":', ${realJson(`if(__n > 1, ${rs} / (__n - 1), 0.)`)},
    ',"interception":', ${realJson(`__my - ${k} * ${mx}`)}, ',"line_fit":', ${jsonArray(`arrayMap(f -> ${realJson('f')}, __fit)`)}, '}')`;
  const body = `if(__n = 0, NULL, ${bind('__k', slope, bind('__fit', fit, obj))})`;
  return bind('__v', `arrayMap(e -> coalesce(${num('e')}, nan), ${arr(x)})`, bind('__n', 'length(__v)', bind('__my', 'arrayAvg(__v)', body)));
}

/** parse-kv value: group 1 of `re`, trimmed; quoted values lose their quotes and `esc` escapes inside them. */
function kvValue(s: string, re: string, q1: string, q2: string, esc: string): string {
  const first = `substring(__kv, 1, 1)`;
  const last = `substring(__kv, length(__kv), 1)`;
  const inner = `substring(__kv, 2, length(__kv) - 2)`;
  const unescape = `if(${esc} != '', replaceRegexpAll(${inner}, concat(regexpQuoteMeta(${esc}), '(.)'), '\\\\1'), ${inner})`;
  const body = `if(length(__kv) >= 2 AND position(${q1}, ${first}) > 0 AND position(${q2}, ${last}) > 0 AND ${first} != '', ${unescape}, __kv)`;
  return bind('__kv', `trimBoth(regexpExtract(coalesce(${s}, ''), ${re}, 1))`, body);
}

/** parse-kv with a regex of two groups (key, value): the value of the first pair whose key is `k`. */
function kvRegexValue(s: string, re: string, k: string): string {
  const pairs = `extractAllGroupsVertical(coalesce(${s}, ''), ${re})`;
  return bind('__kvp', pairs, `trimBoth(arrayElement(arrayElement(__kvp, indexOf(arrayMap(p -> trimBoth(p[1]), __kvp), ${k})), 2))`);
}

export const seriesFunctions: Record<string, ScalarFnImpl> = {
  /** 0-based bin of `axis` on the grid `from + k*step` (datetime or number). */
  __series_bin_index: (a) => (a[0]!.type === 'datetime'
    ? `toInt64(floor((${us(a[0]!.sql)} - ${us(a[1]!.sql)}) / ${f64(a[2]!.sql)}))`
    : `toInt64(floor((${f64(a[0]!.sql)} - ${f64(a[1]!.sql)}) / ${f64(a[2]!.sql)}))`),
  /** Number of bins `from + k*step < to` (`inclusive`: `<= to`); never negative. */
  __series_bin_count: (a) => {
    const span = a[0]!.type === 'datetime'
      ? `(${us(a[1]!.sql)} - ${us(a[0]!.sql)}) / ${f64(a[2]!.sql)}`
      : `(${f64(a[1]!.sql)} - ${f64(a[0]!.sql)}) / ${f64(a[2]!.sql)}`;
    const inclusive = a[3]?.constant?.value === true;
    return `greatest(toInt64(${inclusive ? `floor(${span}) + 1` : `ceil(${span})`}), 0)`;
  },
  /** The axis array: `from + k*step` for k in [0, n). */
  __series_axis: (a) => {
    const [from, step, n] = [a[0]!, a[1]!, a[2]!];
    const ks = `range(toUInt64(greatest(${n.sql}, 0)))`;
    if (from.type === 'datetime') return jsonArray(`arrayMap(k -> toJSONString(${seriesDatetimeText(`${us(from.sql)} + k * ${step.sql}`)}), ${ks})`);
    if (from.type === 'timespan') return jsonArray(`arrayMap(k -> toJSONString(${timespanText(`(${from.sql} + k * ${step.sql})`)}), ${ks})`);
    const v = `${from.sql} + k * ${step.sql}`;
    return jsonArray(`arrayMap(k -> ${jsonOf({ sql: v, type: from.type })}, ${ks})`);
  },
  /** A join key that matches nulls with nulls (and, for strings, null with ""). */
  __series_key: (a) => (a[0]!.type === 'string' ? `coalesce(${a[0]!.sql}, '')` : `coalesce(toString(${a[0]!.sql}), char(0))`),
  __parse_kv_value: (a) => kvValue(a[0]!.sql, a[1]!.sql, a[2]!.sql, a[3]!.sql, a[4]!.sql),
  __parse_kv_regex: (a) => kvRegexValue(a[0]!.sql, a[1]!.sql, a[2]!.sql),

  series_add: binary('+'),
  series_subtract: binary('-'),
  series_multiply: binary('*'),
  series_divide: binary('/'),
  series_abs: (a) => jsonArray(`arrayMap(e -> ${realJson(`abs(${num('e')})`)}, ${arr(a[0]!.sql)})`),
  series_fill_const: (a, ctx) => {
    arity(a, ctx, 1, 3);
    const c = a[1] ? jsonOf(a[1]) : "'0'";
    return bind('__l', arr(a[0]!.sql), jsonArray(`arrayMap((e, m) -> if(m, ${c}, e), __l, ${missing('__l', placeholder(a[2]))})`));
  },
  series_fill_forward: fillDirection(false),
  series_fill_backward: fillDirection(true),
  series_fill_linear: (a, ctx) => {
    arity(a, ctx, 1, 4);
    const c = a[3] ? jsonOf(a[3]) : "'0.0'";
    return fillLinear(a[0]!.sql, placeholder(a[1]), a[2] ? a[2].sql : 'true', c);
  },
  series_stats_dynamic: (a, ctx) => { arity(a, ctx, 1, 2); return stats(a[0]!.sql, a[1] ? a[1].sql : 'false'); },
  series_fit_line_dynamic: (a, ctx) => { arity(a, ctx, 1); return fitLine(a[0]!.sql); },
};

export const seriesAggregates: Record<string, AggregateFnImpl> = {
  /** `__series_list(value, default, idx)`: the values as a JSON array ordered by bin index, missing → default. */
  __series_list: (a) => {
    const v = jsonOf({ sql: `coalesce(${a[0]!.sql}, ${a[1]!.sql})`, type: a[0]!.type });
    return jsonArray(`arrayMap(t -> t.2, arraySort(t -> t.1, groupArray((${a[2]!.sql}, ${v}))))`);
  },
};

