/**
 * KQL scalar functions as ClickHouse SQL (conversions, strings, datetime, dynamic) plus the internal
 * helpers the renderer calls (`__parse_group`, `__mv_list`, `__member`, …). Dynamic = JSON text.
 */
import { QuarryError } from '../../../core/errors.js';
import type { FnArg, FnContext, ScalarFnImpl } from '../../dialect.js';
import { dynText, isStringy, jsonOf, toBoolSql, toDatetimeSql, toLongSql, toRealSql, toStringNullable, toStringSql, toTimespanSql } from './convert.js';
import { sqlString } from './literals.js';
import { jsonElementsText } from './relational.js';

const one = (f: (a: FnArg) => string): ScalarFnImpl => (a) => f(a[0]!);
const str = (a: FnArg): string => (isStringy(a.type) ? `coalesce(${a.sql}, '')` : toStringSql(a));
const us = (d: string): string => `toUnixTimestamp64Micro(${d})`;
const dt = (u: string): string => `fromUnixTimestamp64Micro(${u}, 'UTC')`;
const unsupported = (ctx: FnContext, why: string) => new QuarryError('kql/unsupported', `${ctx.name}(): ${why} (clickhouse)`);

/** A value as the binder's result type when it came out of a generic expression. */
function castTo(sql: string, t: FnContext['resultType']): string {
  switch (t) {
    case 'long': case 'timespan': return `toInt64(${sql})`;
    case 'int': return `toInt32(${sql})`;
    case 'real': case 'decimal': return `toFloat64(${sql})`;
    default: return sql;
  }
}

/** Floor of v to a multiple of step, also below zero. */
const floorMul = (v: string, step: string): string => `(${v} - (((${v}) % (${step})) + (${step})) % (${step}))`;

function bin(args: readonly FnArg[], ctx: FnContext): string {
  const [v, step] = args as [FnArg, FnArg];
  if (v.type === 'datetime') return dt(floorMul(us(v.sql), `toInt64(${step.sql})`));
  if (v.type === 'timespan' || v.type === 'long' || v.type === 'int') return castTo(floorMul(`toInt64(${v.sql})`, `toInt64(${step.sql})`), ctx.resultType);
  if (v.type === 'real' || v.type === 'decimal') return castTo(`(floor(${v.sql} / ${toRealSql(step)}) * ${toRealSql(step)})`, ctx.resultType);
  throw unsupported(ctx, `cannot bin a ${v.type}`);
}

const DAY = 86_400_000_000;
const member = (j: string, key: string): string => `nullIf(nullIf(JSONExtractRaw(coalesce(${j}, ''), ${key}), ''), 'null')`;

function index(args: readonly FnArg[]): string {
  const [j, i] = args as [FnArg, FnArg];
  if (isStringy(i.type)) return member(j.sql, i.sql);
  const k = `toInt64(${i.sql})`;
  const len = `toInt64(JSONLength(coalesce(${j.sql}, '')))`;
  return `nullIf(nullIf(JSONExtractRaw(coalesce(${j.sql}, ''), toInt64(if(${k} < 0, ${len} + ${k}, ${k}) + 1)), ''), 'null')`;
}

const isArr = (j: string): string => `(JSONType(coalesce(${j}, 'null')) = 'Array')`;

export const scalarFunctions: Record<string, ScalarFnImpl> = {
  // renderer helpers
  __parse_group: (a) => `extractGroups(${a[0]!.sql}, ${a[1]!.sql})[${String(a[2]!.constant?.value ?? a[2]!.sql)}]`,
  __parse_matches: (a) => `coalesce(match(${a[0]!.sql}, ${a[1]!.sql}), false)`,
  __mv_list: (a, ctx) => {
    const j = `ifNull(${a[0]!.sql}, '')`;
    const pair = ctx.name === 'array' ? `concat('[', toJSONString(k), ',', JSONExtractRaw(${j}, k), ']')` : `concat('{', toJSONString(k), ':', JSONExtractRaw(${j}, k), '}')`;
    const items = `multiIf(JSONType(${j}) = 'Array', JSONExtractArrayRaw(${j}), JSONType(${j}) = 'Object', arrayMap(k -> ${pair}, JSONExtractKeys(${j})), [${j}])`;
    return `if(${a[0]!.sql} IS NULL, [CAST(NULL AS Nullable(String))], CAST(${items} AS Array(Nullable(String))))`;
  },
  __json_elements_text: (a) => jsonElementsText(a[0]!.sql),
  __member: (a) => member(a[0]!.sql, a[1]!.sql),
  __index: (a) => index(a),
  // `parse_json(s).a.b` (see rewrites.ts): args are the string then the JSONExtract keys.
  __json_path: (a) => {
    const keys = [`coalesce(${a[0]!.sql}, '')`, ...a.slice(1).map((k) => k.sql)].join(', ');
    return `nullIf(nullIf(JSONExtractRaw(${keys}), ''), 'null')`;
  },
  __json_text_path: (a) => {
    const keys = [`coalesce(${a[0]!.sql}, '')`, ...a.slice(1).map((k) => k.sql)].join(', ');
    // One parse of the document; a string value's raw text is then unquoted (a tiny second parse).
    return `arrayMap(__r -> multiIf(__r = 'null', '', startsWith(__r, '"'), JSONExtractString(__r), __r), [JSONExtractRaw(${keys})])[1]`;
  },
  __json_to_string: (a) => `coalesce(${dynText(a[0]!.sql)}, '')`,
  // conversions
  tostring: one(toStringSql),
  tolong: one(toLongSql),
  toint: (a) => `toInt32OrNull(toString(${toLongSql(a[0]!)}))`,
  toreal: one(toRealSql),
  todouble: one(toRealSql),
  todecimal: one(toRealSql),
  tobool: one(toBoolSql),
  toboolean: one(toBoolSql),
  toguid: (a) => `if(match(${str(a[0]!)}, '^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$'), lower(${str(a[0]!)}), NULL)`,
  todatetime: one(toDatetimeSql),
  totimespan: one(toTimespanSql),
  totime: one(toTimespanSql),
  parse_json: (a) => (a[0]!.type === 'dynamic' ? a[0]!.sql : isStringy(a[0]!.type)
    ? `if(isValidJSON(coalesce(${a[0]!.sql}, '')), nullIf(trimBoth(${a[0]!.sql}), 'null'), toJSONString(${a[0]!.sql}))`
    : jsonOf(a[0]!)),
  todynamic: (a, ctx) => scalarFunctions.parse_json!(a, ctx),
  parsejson: (a, ctx) => scalarFunctions.parse_json!(a, ctx),
  // conditionals
  iff: (a) => `if(coalesce(${a[0]!.sql}, false), ${a[1]!.sql}, ${a[2]!.sql})`,
  iif: (a) => `if(coalesce(${a[0]!.sql}, false), ${a[1]!.sql}, ${a[2]!.sql})`,
  case: (a) => {
    const parts: string[] = [];
    for (let i = 0; i + 1 < a.length; i += 2) parts.push(`coalesce(${a[i]!.sql}, false), ${a[i + 1]!.sql}`);
    return `multiIf(${parts.join(', ')}, ${a[a.length - 1]!.sql})`;
  },
  coalesce: (a) => (isStringy(a[0]!.type) ? `coalesce(${a.map((x) => `nullIf(${x.sql}, '')`).join(', ')}, '')` : `coalesce(${a.map((x) => x.sql).join(', ')})`),
  // Strings are never null in Kusto; guids are (toguid of junk is null).
  isnull: (a) => (a[0]!.type === 'string' ? 'false' : `(${a[0]!.sql} IS NULL)`),
  isnotnull: (a) => (a[0]!.type === 'string' ? 'true' : `(${a[0]!.sql} IS NOT NULL)`),
  notnull: (a) => (a[0]!.type === 'string' ? 'true' : `(${a[0]!.sql} IS NOT NULL)`),
  isempty: (a) => `(${toStringNullable(a[0]!)} IS NULL OR ${toStringNullable(a[0]!)} = '')`,
  isnotempty: (a) => `(${toStringNullable(a[0]!)} IS NOT NULL AND ${toStringNullable(a[0]!)} != '')`,
  notempty: (a) => `(${toStringNullable(a[0]!)} IS NOT NULL AND ${toStringNullable(a[0]!)} != '')`,
  isnan: (a) => `isNaN(${a[0]!.sql})`,
  isinf: (a) => `isInfinite(${a[0]!.sql})`,
  isfinite: (a) => `isFinite(${a[0]!.sql})`,
  min_of: (a) => `least(${a.map((x) => x.sql).join(', ')})`,
  max_of: (a) => `greatest(${a.map((x) => x.sql).join(', ')})`,
  // strings
  strlen: (a) => `toInt64(lengthUTF8(${str(a[0]!)}))`,
  string_size: (a) => `toInt64(length(${str(a[0]!)}))`,
  tolower: (a) => `lowerUTF8(${str(a[0]!)})`,
  toupper: (a) => `upperUTF8(${str(a[0]!)})`,
  reverse: (a) => `reverseUTF8(${str(a[0]!)})`,
  strcat: (a) => `concat(${a.map(str).join(', ')}${a.length === 1 ? ", ''" : ''})`,
  strcat_delim: (a) => `arrayStringConcat([${a.slice(1).map(str).join(', ')}], ${str(a[0]!)})`,
  substring: (a) => {
    const s = str(a[0]!);
    const start = `greatest(toInt64(${a[1]!.sql}), 0)`;
    return a[2] ? `substringUTF8(${s}, ${start} + 1, greatest(toInt64(${a[2]!.sql}), 0))` : `substringUTF8(${s}, ${start} + 1)`;
  },
  trim: (a) => `replaceRegexpAll(${str(a[1]!)}, concat('^(?:', ${str(a[0]!)}, ')+|(?:', ${str(a[0]!)}, ')+$'), '')`,
  trim_start: (a) => `replaceRegexpOne(${str(a[1]!)}, concat('^(?:', ${str(a[0]!)}, ')+'), '')`,
  trim_end: (a) => `replaceRegexpOne(${str(a[1]!)}, concat('(?:', ${str(a[0]!)}, ')+$'), '')`,
  replace_string: (a) => `replaceAll(${str(a[0]!)}, ${str(a[1]!)}, ${str(a[2]!)})`,
  replace_regex: (a) => `replaceRegexpAll(${str(a[0]!)}, ${str(a[1]!)}, ${str(a[2]!)})`,
  strrep: (a) => `repeat(${str(a[0]!)}, toUInt64(greatest(${a[1]!.sql}, 0)))${a[2] ? '' : ''}`,
  indexof: (a) => `(toInt64(position(${str(a[0]!)}, ${str(a[1]!)}${a[2] ? `, toUInt64(${a[2]!.sql} + 1)` : ''})) - 1)`,
  split: (a, ctx) => {
    if (a.length > 2) {
      return `toJSONString(arraySlice(splitByString(${str(a[1]!)}, ${str(a[0]!)}), toInt64(${a[2]!.sql}) + 1, 1))`;
    }
    if (!a[1]!.constant || a[1]!.constant.value === '') throw unsupported(ctx, 'a non-constant or empty delimiter');
    return `toJSONString(splitByString(${str(a[1]!)}, ${str(a[0]!)}))`;
  },
  extract: (a, ctx) => {
    const g = a[1]!.constant?.value;
    if (typeof g !== 'bigint' && typeof g !== 'number') throw unsupported(ctx, 'a non-constant capture group');
    const n = Number(g);
    const re = a[0]!.sql;
    const v = n === 0 ? `extract(${str(a[2]!)}, ${re})` : `extractGroups(${str(a[2]!)}, ${re})[${n}]`;
    return ctx.resultType === 'string' ? `if(match(${str(a[2]!)}, ${re}), ${v}, '')` : `if(match(${str(a[2]!)}, ${re}), ${castTo(`${ctx.resultType === 'real' ? 'toFloat64OrNull' : 'toInt64OrNull'}(${v})`, ctx.resultType)}, NULL)`;
  },
  extract_all: (a) => `if(empty(extractAll(${str(a[a.length - 1]!)}, ${a[0]!.sql})), NULL, toJSONString(extractAll(${str(a[a.length - 1]!)}, ${a[0]!.sql})))`,
  url_encode_component: (a) => `encodeURLComponent(${str(a[0]!)})`,
  url_decode: (a) => `decodeURLComponent(${str(a[0]!)})`,
  base64_encode_tostring: (a) => `base64Encode(${str(a[0]!)})`,
  base64_decode_tostring: (a) => `tryBase64Decode(${str(a[0]!)})`,
  hash_md5: (a) => `lower(hex(MD5(${str(a[0]!)})))`,
  hash_sha256: (a) => `lower(hex(SHA256(${str(a[0]!)})))`,
  hash_sha1: (a) => `lower(hex(SHA1(${str(a[0]!)})))`,
  // numbers
  abs: (a) => `abs(${a[0]!.sql})`,
  // Half away from zero (ClickHouse's round() rounds half to even for floats).
  round: (a, ctx) => {
    const scale = a[1] ? `pow(10, toInt64(${a[1]!.sql}))` : '1';
    const x = `toFloat64(${a[0]!.sql})`;
    return castTo(`(if(${x} >= 0, floor(${x} * ${scale} + 0.5), ceil(${x} * ${scale} - 0.5)) / ${scale})`, ctx.resultType);
  },
  ceiling: (a) => `ceil(${a[0]!.sql})`,
  sqrt: (a) => `if(${a[0]!.sql} < 0, nan, sqrt(${a[0]!.sql}))`,
  pow: (a) => `pow(${toRealSql(a[0]!)}, ${toRealSql(a[1]!)})`,
  log: (a) => `if(${a[0]!.sql} <= 0, NULL, log(${a[0]!.sql}))`,
  log10: (a) => `if(${a[0]!.sql} <= 0, NULL, log10(${a[0]!.sql}))`,
  log2: (a) => `if(${a[0]!.sql} <= 0, NULL, log2(${a[0]!.sql}))`,
  exp: (a) => `exp(${a[0]!.sql})`,
  sign: (a) => `sign(${a[0]!.sql})`,
  pi: () => 'pi()',
  binary_and: (a) => `bitAnd(${a[0]!.sql}, ${a[1]!.sql})`,
  binary_or: (a) => `bitOr(${a[0]!.sql}, ${a[1]!.sql})`,
  binary_xor: (a) => `bitXor(${a[0]!.sql}, ${a[1]!.sql})`,
  // datetime
  now: (a) => { if (a.length > 0) throw new QuarryError('kql/unsupported', 'now(offset) is folded by the planner'); return 'now64(6)'; },
  bin,
  floor: (a, ctx) => (a.length === 1 ? castTo(`floor(${a[0]!.sql})`, ctx.resultType) : bin(a, ctx)),
  bin_at: (a, ctx) => {
    const [v, step, at] = a as [FnArg, FnArg, FnArg];
    const fixed = v.type === 'datetime' ? us(at.sql) : `toInt64(${at.sql})`;
    const val = v.type === 'datetime' ? us(v.sql) : `toInt64(${v.sql})`;
    const r = `(${fixed} + ${floorMul(`${val} - ${fixed}`, `toInt64(${step.sql})`)})`;
    return v.type === 'datetime' ? dt(r) : castTo(r, ctx.resultType);
  },
  startofday: (a) => dt(floorMul(us(a[0]!.sql), String(DAY)) + (a[1] ? ` + toInt64(${a[1]!.sql}) * ${DAY}` : '')),
  endofday: (a) => dt(`${floorMul(us(a[0]!.sql), String(DAY))} + ${DAY} - 1` + (a[1] ? ` + toInt64(${a[1]!.sql}) * ${DAY}` : '')),
  startofmonth: (a) => `toDateTime64(toStartOfMonth(${a[0]!.sql}), 6, 'UTC')`,
  startofyear: (a) => `toDateTime64(toStartOfYear(${a[0]!.sql}), 6, 'UTC')`,
  startofweek: (a) => `toDateTime64(toStartOfWeek(${a[0]!.sql}, 0), 6, 'UTC')`,
  dayofweek: (a) => `(toInt64(toDayOfWeek(${a[0]!.sql}, 0) % 7) * ${DAY})`,
  dayofmonth: (a) => `toInt32(toDayOfMonth(${a[0]!.sql}))`,
  dayofyear: (a) => `toInt32(toDayOfYear(${a[0]!.sql}))`,
  hourofday: (a) => `toInt32(toHour(${a[0]!.sql}))`,
  getyear: (a) => `toInt32(toYear(${a[0]!.sql}))`,
  getmonth: (a) => `toInt32(toMonth(${a[0]!.sql}))`,
  monthofyear: (a) => `toInt32(toMonth(${a[0]!.sql}))`,
  unixtime_seconds_todatetime: (a) => dt(`toInt64(round(${toRealSql(a[0]!)} * 1000000))`),
  unixtime_milliseconds_todatetime: (a) => dt(`toInt64(round(${toRealSql(a[0]!)} * 1000))`),
  unixtime_microseconds_todatetime: (a) => dt(`toInt64(${a[0]!.sql})`),
  datetime_add: (a, ctx) => {
    const part = String(a[0]!.constant?.value ?? '').toLowerCase();
    const fns: Record<string, string> = { year: 'addYears', quarter: 'addQuarters', month: 'addMonths', week: 'addWeeks', day: 'addDays', hour: 'addHours', minute: 'addMinutes', second: 'addSeconds', millisecond: 'addMilliseconds', microsecond: 'addMicroseconds' };
    if (!fns[part]) throw unsupported(ctx, `the part '${part}'`);
    return `${fns[part]}(${a[2]!.sql}, ${a[1]!.sql})`;
  },
  // dynamic
  array_length: (a) => `if(${isArr(a[0]!.sql)}, toInt64(JSONLength(${a[0]!.sql})), NULL)`,
  pack_array: (a) => `concat('[', ${a.length === 0 ? "''" : `arrayStringConcat([${a.map(jsonOf).join(', ')}], ',')`}, ']')`,
  bag_pack: (a) => {
    const parts: string[] = [];
    for (let i = 0; i + 1 < a.length; i += 2) parts.push(`concat(toJSONString(${str(a[i]!)}), ':', ${jsonOf(a[i + 1]!)})`);
    return `concat('{', arrayStringConcat([${parts.join(', ')}], ','), '}')`;
  },
  bag_keys: (a) => `if(JSONType(coalesce(${a[0]!.sql}, 'null')) = 'Object', toJSONString(JSONExtractKeys(${a[0]!.sql})), NULL)`,
  bag_has_key: (a) => `JSONHas(coalesce(${a[0]!.sql}, ''), ${str(a[1]!)})`,
  set_has_element: (a) => `has(${jsonElementsText(a[0]!.sql)}, ${str(a[1]!)})`,
  array_index_of: (a) => `(toInt64(indexOf(${jsonElementsText(a[0]!.sql)}, ${str(a[1]!)})) - 1)`,
};
scalarFunctions['pack'] = scalarFunctions['bag_pack']!;
scalarFunctions['pack_dictionary'] = scalarFunctions['bag_pack']!;
