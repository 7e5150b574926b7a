/**
 * KQL dynamic (JSON) functions as DuckDB SQL over the `JSON` type.
 *
 * Contract with the compiler for member access (it calls these as functions):
 * - `__member(obj, key)`: `obj.key` / `obj['key']` → JSON, SQL NULL when absent or JSON null;
 * - `__index(obj, i)`: `obj[i]`, negative `i` counts from the end → JSON (a string `i` means a member);
 * - `__json_to_string(j)`: a JSON value → Kusto `tostring` text (strings unquoted, others compact JSON).
 * `dynamic(null)` is SQL NULL; JSON `null` only lives inside arrays and bags.
 *
 * `jsonOf(arg)` turns any typed argument into its dynamic (JSON) form the way Kusto would: strings
 * (NULL reads as ""), numbers, bools, datetimes as ISO text `…Z`, timespans as `[d.]hh:mm:ss[.fffffff]`.
 */
import type { FnArg, FnContext, ScalarFnImpl } from '../../dialect.js';
import { arity, constString, unsupported } from './functions-misc.js';
import { sqlString } from './literals.js';
import { duckdbTypeOf } from './types.js';

export function jsonOf(arg: FnArg): string {
  const x = arg.sql;
  switch (arg.type) {
    case 'dynamic': return x;
    case 'string': case 'guid': return `to_json(coalesce(${x}, ''))`;
    case 'datetime': return `to_json(kql_datetime_text(${x}))`;
    case 'timespan': return `to_json(kql_timespan_text(${x}))`;
    case 'real': case 'decimal':
      // JSON has no NaN/Infinity; keep them as strings rather than emit invalid JSON.
      return `(CASE WHEN isfinite(${x}) THEN to_json(${x}) WHEN ${x} IS NOT NULL THEN to_json(CAST(${x} AS VARCHAR)) END)`;
    default: return `to_json(${x})`;
  }
}

/** The JSON[] of an array argument, or NULL when it is not an array. */
const arr = (a: FnArg) => `kql_arr(${a.sql})`;
const isArr = (a: FnArg) => `json_type(${a.sql}) = 'ARRAY'`;

/** JSON pointer for one member name ('~' and '/' escaped per RFC 6901). */
function pointerOf(key: FnArg): string {
  if (typeof key.constant?.value === 'string') {
    return sqlString('/' + key.constant.value.replace(/~/g, '~0').replace(/\//g, '~1'));
  }
  return `('/' || replace(replace(${key.sql}, '~', '~0'), '/', '~1'))`;
}

function member(args: readonly FnArg[], ctx: FnContext): string {
  arity(args, ctx, 2);
  return `nullif(json_extract(${args[0]!.sql}, ${pointerOf(args[1]!)}), 'null')`;
}

function index(args: readonly FnArg[], ctx: FnContext): string {
  arity(args, ctx, 2);
  const i = args[1]!;
  if (i.type === 'string') return member(args, ctx);
  const c = i.constant?.value;
  const path = typeof c === 'bigint' || typeof c === 'number'
    ? sqlString(BigInt(c) < 0n ? `$[#${BigInt(c)}]` : `$[${BigInt(c)}]`)
    : `('$[' || CASE WHEN ${i.sql} < 0 THEN '#' ELSE '' END || CAST(${i.sql} AS VARCHAR) || ']')`;
  return `nullif(json_extract(${args[0]!.sql}, ${path}), 'null')`;
}

/**
 * Kusto JSONPath subset → DuckDB path: `$`, `.name`, `['name']`, `["name"]`, `[n]` (negative from the end).
 * Anything else (filters, recursive descent) is refused rather than half-supported.
 */
export function toDuckdbJsonPath(path: string, ctx: FnContext): string {
  const p = path.trim();
  if (!p.startsWith('$')) throw unsupported(ctx, `JSON path '${path}' must start with '$'`);
  let out = '$';
  let i = 1;
  const name = (n: string) => {
    if (n.includes('"')) throw unsupported(ctx, `JSON path member names cannot contain '"'`);
    out += `."${n}"`;
  };
  while (i < p.length) {
    const rest = p.slice(i);
    let m: RegExpMatchArray | null;
    if ((m = rest.match(/^\.([^.[\]]+)/))) name(m[1]!);
    else if ((m = rest.match(/^\[\s*'((?:[^'\\]|\\.)*)'\s*\]/)) || (m = rest.match(/^\[\s*"((?:[^"\\]|\\.)*)"\s*\]/))) name(m[1]!);
    else if ((m = rest.match(/^\[\s*(-?\d+)\s*\]/))) out += Number(m[1]) < 0 ? `[#${m[1]}]` : `[${m[1]}]`;
    else throw unsupported(ctx, `JSON path '${path}' uses syntax beyond $.a, ['a'] and [n]`);
    i += m[0].length;
  }
  return out;
}

function extractJson(args: readonly FnArg[], ctx: FnContext): string {
  arity(args, ctx, 2, 3);
  const path = sqlString(toDuckdbJsonPath(constString(args[0], ctx, 'the JSON path'), ctx));
  const src = args[1]!.sql;
  const guarded = (e: string) => `(CASE WHEN json_valid(${src}) THEN ${e} END)`;
  // The optional third argument is typeof(T): the binder's result type carries T.
  switch (ctx.resultType) {
    case 'string': case 'guid': return guarded(`json_extract_string(${src}, ${path})`);
    case 'dynamic': return guarded(`nullif(json_extract(${src}, ${path}), 'null')`);
    case 'datetime': return guarded(`TRY_CAST(json_extract_string(${src}, ${path}) AS TIMESTAMP)`);
    default: return guarded(`TRY_CAST(json_extract_string(${src}, ${path}) AS ${duckdbTypeOf[ctx.resultType]})`);
  }
}

/** Every argument must be an array, else null (Kusto's rule for array_concat, zip and the set functions). */
function allArrays(args: readonly FnArg[], body: string): string {
  return `(CASE WHEN ${args.map(isArr).join(' AND ')} THEN ${body} END)`;
}

function setOp(args: readonly FnArg[], ctx: FnContext, keep: 'all' | 'none'): string {
  arity(args, ctx, 2, Infinity);
  const others = args.slice(1).map((a) => `${keep === 'all' ? '' : 'NOT '}list_contains(${arr(a)}, x)`).join(' AND ');
  return allArrays(args, `to_json(kql_list_distinct(list_filter(${arr(args[0]!)}, lambda x: ${others})))`);
}

/** bag_pack(k1, v1, k2, v2, …) → JSON object; a NULL key reads as "". */
function packBag(args: readonly FnArg[], ctx: FnContext): string {
  if (args.length % 2 !== 0) throw unsupported(ctx, 'expects key/value pairs');
  if (args.length === 0) return `CAST('{}' AS JSON)`;
  const pairs: string[] = [];
  for (let i = 0; i < args.length; i += 2) pairs.push(`coalesce(CAST(${args[i]!.sql} AS VARCHAR), '')`, jsonOf(args[i + 1]!));
  return `json_object(${pairs.join(', ')})`;
}

export const dynamicFunctions: Record<string, ScalarFnImpl> = {
  __member: member,
  __index: index,
  __json_to_string: (args, ctx) => { arity(args, ctx, 1); return `kql_json_to_string(${args[0]!.sql})`; },
  parse_json: (args, ctx) => {
    arity(args, ctx, 1);
    return args[0]!.type === 'dynamic' ? args[0]!.sql : `kql_parse_json(CAST(${args[0]!.sql} AS VARCHAR))`;
  },
  // JavaScript scalar functions the store registers on every connection (udfs.ts).
  parse_xml: (args, ctx) => {
    arity(args, ctx, 1);
    return `CAST(kql_parse_xml(CAST(${args[0]!.sql} AS VARCHAR)) AS JSON)`;
  },
  parse_csv: (args, ctx) => {
    arity(args, ctx, 1);
    return `CAST(kql_parse_csv(CAST(${args[0]!.sql} AS VARCHAR)) AS JSON)`;
  },
  array_length: (args, ctx) => { arity(args, ctx, 1); return `(CASE WHEN ${isArr(args[0]!)} THEN CAST(json_array_length(${args[0]!.sql}) AS BIGINT) END)`; },
  array_slice: (args, ctx) => { arity(args, ctx, 3); return `kql_array_slice(${args[0]!.sql}, CAST(${args[1]!.sql} AS BIGINT), CAST(${args[2]!.sql} AS BIGINT))`; },
  array_index_of: (args, ctx) => {
    arity(args, ctx, 2, 5);
    const n = (i: number, dflt: string) => (args[i] ? `CAST(${args[i]!.sql} AS BIGINT)` : dflt);
    return `kql_array_index_of(${args[0]!.sql}, ${jsonOf(args[1]!)}, ${n(2, '0')}, ${n(3, '-1')}, ${n(4, '1')})`;
  },
  array_concat: (args, ctx) => {
    arity(args, ctx, 1, Infinity);
    return allArrays(args, `to_json(${args.map(arr).reduce((a, b) => `list_concat(${a}, ${b})`)})`);
  },
  array_reverse: (args, ctx) => { arity(args, ctx, 1); return `to_json(list_reverse(${arr(args[0]!)}))`; },
  array_sort_asc: (args, ctx) => sortArray(args, ctx, false),
  array_sort_desc: (args, ctx) => sortArray(args, ctx, true),
  array_sum: (args, ctx) => { arity(args, ctx, 1); return `list_sum(list_transform(${arr(args[0]!)}, lambda x: TRY_CAST(x AS DOUBLE)))`; },
  pack_array: (args) => (args.length === 0 ? `CAST('[]' AS JSON)` : `to_json([${args.map(jsonOf).join(', ')}])`),
  bag_pack: (args, ctx) => packBag(args, ctx),
  bag_keys: (args, ctx) => { arity(args, ctx, 1); return `(CASE WHEN json_type(${args[0]!.sql}) = 'OBJECT' THEN to_json(json_keys(${args[0]!.sql})) END)`; },
  // The leftmost bag wins on a shared key (Kusto's documented example keeps the first value).
  bag_merge: (args, ctx) => {
    arity(args, ctx, 1, 64);
    const entries = args.map((a) => `coalesce(kql_bag_entries(${a.sql}), [])`).reduce((a, b) => `list_concat(${a}, ${b})`);
    return `kql_bag_from_entries(${entries})`;
  },
  bag_remove_keys: (args, ctx) => {
    arity(args, ctx, 2);
    const keys = args[1]!.type === 'dynamic' ? `json_extract_string(${args[1]!.sql}, '$[*]')` : `[${args[1]!.sql}]`;
    return `(CASE WHEN json_type(${args[0]!.sql}) = 'OBJECT' THEN kql_bag_from_entries(
      list_filter(kql_bag_entries(${args[0]!.sql}), lambda e: NOT coalesce(list_contains(${keys}, e.key), false))) END)`;
  },
  bag_has_key: (args, ctx) => {
    arity(args, ctx, 2);
    return `coalesce(json_type(${args[0]!.sql}) = 'OBJECT' AND json_exists(${args[0]!.sql}, ${pointerOf(args[1]!)}), false)`;
  },
  set_union: (args, ctx) => {
    arity(args, ctx, 2, Infinity);
    return allArrays(args, `to_json(kql_list_distinct(${args.map(arr).reduce((a, b) => `list_concat(${a}, ${b})`)}))`);
  },
  set_intersect: (args, ctx) => setOp(args, ctx, 'all'),
  set_difference: (args, ctx) => setOp(args, ctx, 'none'),
  set_has_element: (args, ctx) => { arity(args, ctx, 2); return `coalesce(list_contains(${arr(args[0]!)}, ${jsonOf(args[1]!)}), false)`; },
  // Shorter arrays are padded with null, as Kusto documents.
  zip: (args, ctx) => {
    arity(args, ctx, 2, 16);
    const n = `greatest(${args.map((a) => `len(${arr(a)})`).join(', ')})`;
    const row = args.map((a) => `coalesce(${arr(a)}[i], CAST('null' AS JSON))`).join(', ');
    return allArrays(args, `to_json(list_transform(range(1, ${n} + 1), lambda i: to_json([${row}])))`);
  },
  extract_json: extractJson,
  extractjson: extractJson,
  gettype: (args, ctx) => {
    arity(args, ctx, 1);
    const t = args[0]!.type;
    if (t !== 'dynamic') return sqlString(t);
    return `kql_gettype(${args[0]!.sql})`;
  },
  // |A ∩ B| / |A ∪ B| over distinct elements; two empty arrays give NaN (0/0).
  jaccard_index: (args, ctx) => {
    arity(args, ctx, 2);
    const [a, b] = [arr(args[0]!), arr(args[1]!)];
    return `(CAST(len(kql_list_distinct(list_filter(${a}, lambda x: list_contains(${b}, x)))) AS DOUBLE)
      / CAST(len(kql_list_distinct(list_concat(${a}, ${b}))) AS DOUBLE))`;
  },
};

function sortArray(args: readonly FnArg[], ctx: FnContext, descending: boolean): string {
  arity(args, ctx, 1, 2);
  if (args[1] && args[1].type !== 'bool') throw unsupported(ctx, 'sorting several arrays together is not supported yet');
  const nullsLast = args[1] ? args[1].sql : 'TRUE';
  return `kql_array_sort(${args[0]!.sql}, ${descending ? 'TRUE' : 'FALSE'}, ${nullsLast})`;
}

dynamicFunctions['todynamic'] = dynamicFunctions['parse_json']!;
dynamicFunctions['parsejson'] = dynamicFunctions['parse_json']!;
dynamicFunctions['pack'] = dynamicFunctions['bag_pack']!;
dynamicFunctions['pack_dictionary'] = dynamicFunctions['bag_pack']!;
