/**
 * More KQL scalar functions as ClickHouse SQL: strings (`replace`, `countof`, `strrep`, `strcat_array`,
 * `extract_all` with several groups), URLs and paths (`parse_url`, `parse_path`, `url_encode`), encodings,
 * bit shifts and dynamic arrays/bags (`array_concat`, `array_slice`, `array_sort_*`, `extractjson`, `pack`,
 * `gettype`). Semantics follow the DuckDB dialect's templates so both backends return the same rows.
 * Dynamic values are JSON text.
 */
import { QuarryError } from '../../../core/errors.js';
import type { FnArg, FnContext, ScalarFnImpl } from '../../dialect.js';
import { isStringy, toStringSql } from './convert.js';
import { sqlString } from './literals.js';
import { jsonElementsText } from './relational.js';

function arity(args: readonly FnArg[], ctx: FnContext, min: number, max = min): void {
  if (args.length < min || args.length > max) throw new QuarryError('kql/semantic-error', `${ctx.name}() got ${args.length} argument(s)`);
}
const str = (a: FnArg): string => (isStringy(a.type) ? `coalesce(${a.sql}, '')` : toStringSql(a));
const jsonArray = (items: string): string => `concat('[', arrayStringConcat(${items}, ','), ']')`;
const arr = (j: string): string => `JSONExtractArrayRaw(coalesce(${j}, ''))`;
const isArray = (j: string): string => `(JSONType(coalesce(${j}, 'null')) = 'Array')`;
const jsonObject = (pairs: ReadonlyArray<readonly [string, string]>): string =>
  `concat('{', ${pairs.map(([k, v], i) => `${sqlString(`${i > 0 ? ',' : ''}${JSON.stringify(k)}:`)}, toJSONString(${v})`).join(', ')}, '}')`;

/** Number of capture groups of a constant regex (undefined when not constant). */
function captureGroups(a: FnArg): number | undefined {
  const re = a.constant?.value;
  if (typeof re !== 'string') return undefined;
  return (re.replace(/\\./g, '').match(/\((?!\?)/g) ?? []).length;
}

function countof(args: readonly FnArg[], ctx: FnContext): string {
  arity(args, ctx, 2, 3);
  const kind = args[2] ? args[2].constant?.value : 'normal';
  const s = str(args[0]!);
  if (kind === 'regex') return `toInt64(length(extractAll(${s}, ${str(args[1]!)})))`;
  if (kind !== 'normal') throw new QuarryError('kql/semantic-error', `countof(): kind must be "normal" or "regex", got ${String(kind)}`);
  // Overlapping occurrences (Kusto: countof("aaaa", "aa") is 3): every byte position where the needle starts.
  const n = str(args[1]!);
  return `if(${n} = '', toInt64(0), toInt64(arrayCount(i -> substring(${s}, i, length(${n})) = ${n}, range(1, length(${s}) + 1))))`;
}

/** URL query text → JSON bag of decoded keys and values (the first value of a key wins). */
function queryBag(q: string): string {
  const dec = (s: string) => `decodeURLComponent(replaceAll(${s}, '+', ' '))`;
  const kvs = `arrayFilter(kv -> kv != '', splitByChar('&', ${q}))`;
  const keys = `arrayMap(kv -> ${dec(`splitByChar('=', kv)[1]`)}, ${kvs})`;
  const vals = `arrayMap(kv -> ${dec(`if(position(kv, '=') > 0, substring(kv, position(kv, '=') + 1), '')`)}, ${kvs})`;
  const pairs = `arrayFilter((p, i) -> indexOf(__k, p.1) = i, arrayZip(__k, ${vals}), arrayEnumerate(__k))`;
  return `arrayMap(__k -> concat('{', arrayStringConcat(arrayMap(p -> concat(toJSONString(p.1), ':', toJSONString(p.2)), ${pairs}), ','), '}'), [${keys}])[1]`;
}

const URL_PATTERN = String.raw`^([A-Za-z][A-Za-z0-9+.\-]*)://(?:([^:@/?#]*)(?::([^@/?#]*))?@)?(\[[^\]]*\]|[^:/?#]*)(?::(\d*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$`;

function parseUrl(url: string): string {
  const g = (i: number) => `__u[${i}]`;
  const body = `concat('{"Scheme":', toJSONString(${g(1)}), ',"Host":', toJSONString(${g(4)}), ',"Port":', toJSONString(${g(5)}),
    ',"Path":', toJSONString(${g(6)}), ',"Username":', toJSONString(${g(2)}), ',"Password":', toJSONString(${g(3)}),
    ',"Query Parameters":', ${queryBag(g(7))}, ',"Fragment":', toJSONString(${g(8)}), '}')`;
  return `arrayMap(__u -> ${body}, [extractGroups(${url}, ${sqlString(URL_PATTERN)})])[1]`;
}

function parsePath(p: string): string {
  const x = (s: string, re: string) => `extract(${s}, ${sqlString(re)})`;
  const scheme = x('__p', '^([A-Za-z][A-Za-z0-9+.-]*)://');
  const rest = `replaceRegexpOne(__p, '^[A-Za-z][A-Za-z0-9+.-]*://', '')`;
  const last = (s: string) => x(s, String.raw`([^/\\]*)$`);
  const dir = x('__p', String.raw`^(.*)[/\\][^/\\]*$`);
  const file = `replaceRegexpOne(${last('__p')}, ':[^:]*$', '')`;
  const root = `multiIf(${scheme} != '', ${x(rest, String.raw`^([^/\\]*)`)}, match(__p, '^[A-Za-z]:'), substring(__p, 1, 2),
    startsWith(__p, '\\\\\\\\'), ${x('__p', String.raw`^(\\\\[^\\]+\\[^\\]+)`)}, '')`;
  const ads = `if(position(${last('__p')}, ':') > 0, ${x(last('__p'), ':([^:]*)$')}, '')`;
  return `arrayMap(__p -> ${jsonObject([['Scheme', scheme], ['RootPath', root], ['DirectoryPath', dir], ['DirectoryName', last(dir)],
    ['Filename', file], ['Extension', x(file, String.raw`\.([^.]*)$`)], ['AlternateDataStreamName', ads]])}, [${p}])[1]`;
}

/** Kusto's url_encode: [A-Za-z0-9_.!*()-] kept, space → '+', every other UTF-8 byte → %xx (lower-case hex). */
const urlEncode = (s: string): string =>
  `arrayStringConcat(arrayMap(c -> multiIf(match(c, '^[A-Za-z0-9_.!*()-]$'), c, c = ' ', '+', concat('%', lower(hex(c)))), arrayMap(i -> substring(${s}, i, 1), range(1, length(${s}) + 1))), '')`;

/** base64 of a GUID's 16 bytes in .NET order (first three groups little-endian). */
function guidBase64(g: string): string {
  const h = (from: number, n: number) => `substring(${g}, ${from}, ${n})`;
  const bytes = [h(7, 2), h(5, 2), h(3, 2), h(1, 2), h(12, 2), h(10, 2), h(17, 2), h(15, 2), h(20, 4), h(25, 12)];
  return `if(match(lower(coalesce(${g}, '')), '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'), base64Encode(unhex(concat(${bytes.join(', ')}))), NULL)`;
}

/** A JSONPath like `$.a[1].b` / `$['a']` as JSONExtract* key arguments (1-based indexes). */
function jsonPathKeys(path: string, ctx: FnContext): string[] {
  const keys: string[] = [];
  const re = /\.([A-Za-z_][A-Za-z0-9_]*)|\[(-?\d+)\]|\['([^']*)'\]|\["([^"]*)"\]/gy;
  if (!path.startsWith('$')) throw new QuarryError('kql/semantic-error', `${ctx.name}(): the JSON path must start with '$'`);
  re.lastIndex = 1;
  while (re.lastIndex < path.length) {
    const m = re.exec(path);
    if (!m) throw new QuarryError('kql/unsupported', `${ctx.name}(): the JSON path '${path}' is not supported (clickhouse)`);
    if (m[2] !== undefined) keys.push(String(Number(m[2]) >= 0 ? Number(m[2]) + 1 : Number(m[2])));
    else keys.push(sqlString(m[1] ?? m[3] ?? m[4] ?? ''));
  }
  return keys;
}

function extractJson(args: readonly FnArg[], ctx: FnContext): string {
  arity(args, ctx, 2, 3);
  const path = args[0]!.constant?.value;
  if (typeof path !== 'string') throw new QuarryError('kql/semantic-error', 'extractjson(): the JSON path must be a constant string');
  const keys = jsonPathKeys(path, ctx);
  const src = `coalesce(${args[1]!.sql}, '')`;
  const raw = `JSONExtractRaw(${[src, ...keys].join(', ')})`;
  const text = `if(JSONType(${[src, ...keys].join(', ')}) = 'String', JSONExtractString(${[src, ...keys].join(', ')}), ${raw})`;
  const present = `(isValidJSON(${src}) AND ${raw} NOT IN ('', 'null'))`;
  switch (ctx.resultType) {
    case 'string': case 'guid': return `if(${present}, ${text}, NULL)`;
    case 'dynamic': return `if(${present}, ${raw}, NULL)`;
    case 'long': case 'timespan': return `if(${present}, toInt64OrNull(${text}), NULL)`;
    case 'int': return `if(${present}, toInt32OrNull(${text}), NULL)`;
    case 'real': case 'decimal': return `if(${present}, toFloat64OrNull(${text}), NULL)`;
    case 'bool': return `if(${present}, ${text} = 'true', NULL)`;
    case 'datetime': return `if(${present}, parseDateTime64BestEffortOrNull(${text}, 6, 'UTC'), NULL)`;
  }
}

/** Sort key of a JSON element: numbers before strings (as DuckDB's JSON ordering puts them), nulls apart. */
function sortArray(args: readonly FnArg[], ctx: FnContext, descending: boolean): string {
  arity(args, ctx, 1, 2);
  if (args[1] && args[1].type !== 'bool') throw new QuarryError('kql/unsupported', `${ctx.name}(): sorting several arrays together is not supported yet (clickhouse)`);
  const nullsLast = args[1] ? args[1].sql : 'true';
  const sorted = `arraySort(e -> (toFloat64OrNull(e) IS NULL, toFloat64OrNull(e), e), arrayFilter(e -> e != 'null', __a))`;
  const ordered = descending ? `arrayReverse(${sorted})` : sorted;
  const nulls = `arrayFilter(e -> e = 'null', __a)`;
  const all = `if(${nullsLast}, arrayConcat(${ordered}, ${nulls}), arrayConcat(${nulls}, ${ordered}))`;
  return `if(${isArray(args[0]!.sql)}, arrayMap(__a -> ${jsonArray(all)}, [${arr(args[0]!.sql)}])[1], NULL)`;
}

export const textFunctions: Record<string, ScalarFnImpl> = {
  replace: (a, ctx) => { arity(a, ctx, 3); return `replaceRegexpAll(${str(a[2]!)}, ${str(a[0]!)}, ${str(a[1]!)})`; },
  countof,
  strrep: (a, ctx) => {
    arity(a, ctx, 2, 3);
    const n = `least(toInt64(${a[1]!.sql}), 1024)`;
    const d = a[2] ? str(a[2]) : "''";
    return `if(${n} >= 1, concat(repeat(concat(${str(a[0]!)}, ${d}), toUInt64(${n} - 1)), ${str(a[0]!)}), '')`;
  },
  strcat_array: (a, ctx) => {
    arity(a, ctx, 2);
    return `arrayStringConcat(arrayMap(e -> if(e = 'null', '', e), ${jsonElementsText(a[0]!.sql)}), ${str(a[1]!)})`;
  },
  extract_all: (a, ctx) => {
    arity(a, ctx, 2, 3);
    const s = str(a[a.length - 1]!);
    const groups = captureGroups(a[0]!);
    if (a.length === 3) throw new QuarryError('kql/unsupported', 'extract_all() with a group list is not supported yet (clickhouse)');
    const matches = groups !== undefined && groups > 1 ? `extractAllGroupsVertical(${s}, ${a[0]!.sql})` : `extractAll(${s}, ${a[0]!.sql})`;
    return `if(empty(${matches}), NULL, toJSONString(${matches}))`;
  },
  url_encode: (a, ctx) => { arity(a, ctx, 1); return urlEncode(str(a[0]!)); },
  parse_url: (a, ctx) => { arity(a, ctx, 1); return parseUrl(str(a[0]!)); },
  parseurl: (a, ctx) => { arity(a, ctx, 1); return parseUrl(str(a[0]!)); },
  parse_urlquery: (a, ctx) => { arity(a, ctx, 1); return `concat('{"Query Parameters":', ${queryBag(`trimLeft(${str(a[0]!)}, '?')`)}, '}')`; },
  parse_path: (a, ctx) => { arity(a, ctx, 1); return `if(${a[0]!.sql} IS NULL, NULL, ${parsePath(str(a[0]!))})`; },
  base64_decodestring: (a, ctx) => { arity(a, ctx, 1); return `tryBase64Decode(${str(a[0]!)})`; },
  base64_encode_fromguid: (a, ctx) => { arity(a, ctx, 1); return guidBase64(a[0]!.sql); },
  binary_shift_left: (a, ctx) => { arity(a, ctx, 2); return `bitShiftLeft(toInt64(${a[0]!.sql}), toInt64(${a[1]!.sql}))`; },
  binary_shift_right: (a, ctx) => { arity(a, ctx, 2); return `bitShiftRight(toInt64(${a[0]!.sql}), toInt64(${a[1]!.sql}))`; },
  new_guid: (a, ctx) => { arity(a, ctx, 0); return 'toString(generateUUIDv4())'; },
  rand: (a, ctx) => {
    arity(a, ctx, 0, 1);
    return a[0] ? `toInt64(floor(randCanonical() * toFloat64(${a[0].sql})))` : 'randCanonical()';
  },
  // dynamic
  extractjson: extractJson,
  array_concat: (a, ctx) => {
    arity(a, ctx, 1, Infinity);
    return `if(${a.map((x) => isArray(x.sql)).join(' AND ')}, ${jsonArray(`arrayConcat(${a.map((x) => arr(x.sql)).join(', ')})`)}, NULL)`;
  },
  array_slice: (a, ctx) => {
    arity(a, ctx, 3);
    const [s, e] = [`toInt64(${a[1]!.sql})`, `toInt64(${a[2]!.sql})`];
    const from = `greatest(if(${s} < 0, ${s} + length(__l), ${s}), 0)`;
    const to = `least(if(${e} < 0, ${e} + length(__l), ${e}), length(__l) - 1)`;
    return `if(${isArray(a[0]!.sql)}, arrayMap(__l -> ${jsonArray(`arraySlice(__l, ${from} + 1, greatest(${to} - ${from} + 1, 0))`)}, [${arr(a[0]!.sql)}])[1], NULL)`;
  },
  array_sort_asc: (a, ctx) => sortArray(a, ctx, false),
  array_sort_desc: (a, ctx) => sortArray(a, ctx, true),
  gettype: (a, ctx) => {
    arity(a, ctx, 1);
    const t = a[0]!.type;
    if (t !== 'dynamic') return sqlString(t);
    const j = `coalesce(${a[0]!.sql}, 'null')`;
    return `multiIf(JSONType(${j}) = 'Array', 'array', JSONType(${j}) = 'Object', 'dictionary', JSONType(${j}) = 'String', 'string',
      JSONType(${j}) IN ('Int64', 'UInt64'), 'long', JSONType(${j}) = 'Double', 'real', JSONType(${j}) = 'Bool', 'bool', 'null')`;
  },
};
