/**
 * KQL math, hashing, base64, URL and GUID functions as DuckDB SQL, plus the small argument helpers
 * the other part-B function files share.
 *
 * Choices that differ from Kusto (documented, not accidental):
 * - `hash(x[, mod])` uses DuckDB's `hash()` (not Kusto's xxhash64): stable within a DuckDB version,
 *   non-negative, so values differ from ADX but equality/bucketing semantics hold.
 * - `sqrt`/`log*` of negative numbers give NaN and `log*(0)` gives -Infinity (DuckDB would raise).
 * - `parse_url` without a scheme (`parse_url("a.com")`) gives a bag of empty strings and an empty
 *   `Query Parameters` bag; `Path` keeps its leading `/` (as ADX does; the doc page omits it).
 */
import type { KqlScalarType } from '../../../catalog/types.js';
import { QuarryError } from '../../../core/errors.js';
import type { FnArg, FnContext, ScalarFnImpl } from '../../dialect.js';
import { sqlString } from './literals.js';
import { duckdbTypeOf } from './types.js';

// ---- helpers shared by the part-B files ------------------------------------------------------------

export function unsupported(ctx: FnContext, why: string, hints?: string[]): QuarryError {
  return new QuarryError('kql/unsupported', `${ctx.name}(): ${why}`, hints ? { hints } : {});
}

/** Throws unless `min <= args.length <= max`. */
export function arity(args: readonly FnArg[], ctx: FnContext, min: number, max: number = min): void {
  if (args.length < min || args.length > max) {
    const want = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    throw unsupported(ctx, `expects ${want} argument(s), got ${args.length}`);
  }
}

/** The compile-time string value of an argument (part names, formats, JSON paths). */
export function constString(arg: FnArg | undefined, ctx: FnContext, what: string): string {
  const v = arg?.constant?.value;
  if (typeof v !== 'string') throw unsupported(ctx, `${what} must be a constant string`);
  return v;
}

export function isNumeric(t: KqlScalarType): boolean {
  return t === 'long' || t === 'int' || t === 'real' || t === 'decimal';
}

/** Casts to the SQL type of the call's result type (e.g. DuckDB's HUGEINT sums back to BIGINT). */
export function castTo(sql: string, type: KqlScalarType): string {
  return `CAST(${sql} AS ${duckdbTypeOf[type]})`;
}

/** Text of an argument for text-based functions (strings stay as they are, others are cast). */
function text(arg: FnArg): string {
  return arg.type === 'string' || arg.type === 'guid' ? arg.sql : `CAST(${arg.sql} AS VARCHAR)`;
}

const unary = (sqlFn: string): ScalarFnImpl => (args, ctx) => {
  arity(args, ctx, 1);
  return `${sqlFn}(CAST(${args[0]!.sql} AS DOUBLE))`;
};

/** Logarithms: NaN below zero, -Infinity at zero (DuckDB raises for both). */
const logOf = (sqlFn: string): ScalarFnImpl => (args, ctx) => {
  arity(args, ctx, 1);
  const x = `CAST(${args[0]!.sql} AS DOUBLE)`;
  return `(CASE WHEN ${x} < 0 OR isnan(${x}) THEN CAST('NaN' AS DOUBLE) WHEN ${x} = 0 THEN CAST('-Infinity' AS DOUBLE) ELSE ${sqlFn}(${x}) END)`;
};

const hashWith = (sqlFn: string): ScalarFnImpl => (args, ctx) => {
  arity(args, ctx, 1);
  return `${sqlFn}(coalesce(${text(args[0]!)}, ''))`;
};

const binary = (op: string): ScalarFnImpl => (args, ctx) => {
  arity(args, ctx, 2);
  return `(CAST(${args[0]!.sql} AS BIGINT) ${op} CAST(${args[1]!.sql} AS BIGINT))`;
};

/** Query string → JSON bag; keys and values are URL-decoded ('+' is a space); a repeated key keeps its first value. */
function queryBag(querySql: string): string {
  const decode = (s: string) => `coalesce(try(url_decode(replace(${s}, '+', ' '))), ${s})`;
  return `coalesce(kql_bag_from_entries(list_transform(
      list_filter(string_split(${querySql}, '&'), lambda kv: kv <> ''),
      lambda kv: {'key': ${decode(`split_part(kv, '=', 1)`)},
                  'value': to_json(${decode(`CASE WHEN contains(kv, '=') THEN kv[strpos(kv, '=') + 1:] ELSE '' END`)})})),
    CAST('{}' AS JSON))`;
}

const urlPattern = String.raw`^([A-Za-z][A-Za-z0-9+.\-]*)://(?:([^:@/?#]*)(?::([^@/?#]*))?@)?(\[[^\]]*\]|[^:/?#]*)(?::(\d*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$`;

function parseUrl(urlSql: string): string {
  const g = `regexp_extract(${urlSql}, ${sqlString(urlPattern)}, ['scheme', 'user', 'pass', 'host', 'port', 'path', 'query', 'frag'])`;
  return `list_transform([${g}], lambda u: json_object(
      'Scheme', u.scheme, 'Host', u.host, 'Port', u.port, 'Path', u.path,
      'Username', u.user, 'Password', u.pass,
      'Query Parameters', ${queryBag('u.query')}, 'Fragment', u.frag))[1]`;
}

export const miscFunctions: Record<string, ScalarFnImpl> = {
  // ---- math ----
  abs: (args, ctx) => { arity(args, ctx, 1); return `abs(${args[0]!.sql})`; },
  ceiling: (args, ctx) => { arity(args, ctx, 1); return castTo(`ceil(${args[0]!.sql})`, ctx.resultType); },
  sign: (args, ctx) => { arity(args, ctx, 1); return castTo(`sign(${args[0]!.sql})`, ctx.resultType); },
  round: (args, ctx) => {
    arity(args, ctx, 1, 2);
    const digits = args[1] ? `CAST(${args[1].sql} AS INTEGER)` : '0';
    return castTo(`round(CAST(${args[0]!.sql} AS DOUBLE), ${digits})`, ctx.resultType);
  },
  sqrt: (args, ctx) => {
    arity(args, ctx, 1);
    const x = `CAST(${args[0]!.sql} AS DOUBLE)`;
    return `(CASE WHEN ${x} < 0 THEN CAST('NaN' AS DOUBLE) ELSE sqrt(${x}) END)`;
  },
  pow: (args, ctx) => { arity(args, ctx, 2); return `pow(CAST(${args[0]!.sql} AS DOUBLE), CAST(${args[1]!.sql} AS DOUBLE))`; },
  exp: unary('exp'),
  exp2: (args, ctx) => { arity(args, ctx, 1); return `pow(2.0, CAST(${args[0]!.sql} AS DOUBLE))`; },
  exp10: (args, ctx) => { arity(args, ctx, 1); return `pow(10.0, CAST(${args[0]!.sql} AS DOUBLE))`; },
  log: logOf('ln'),
  log10: logOf('log10'),
  log2: logOf('log2'),
  pi: (args, ctx) => { arity(args, ctx, 0); return 'pi()'; },
  sin: unary('sin'), cos: unary('cos'), tan: unary('tan'), asin: unary('asin'), acos: unary('acos'),
  atan: unary('atan'), cot: unary('cot'), degrees: unary('degrees'), radians: unary('radians'),
  gamma: unary('gamma'), loggamma: unary('lgamma'),
  atan2: (args, ctx) => { arity(args, ctx, 2); return `atan2(CAST(${args[0]!.sql} AS DOUBLE), CAST(${args[1]!.sql} AS DOUBLE))`; },
  rand: (args, ctx) => {
    arity(args, ctx, 0, 1);
    return args[0] ? `CAST(floor(random() * CAST(${args[0].sql} AS DOUBLE)) AS BIGINT)` : 'random()';
  },
  binary_and: binary('&'),
  binary_or: binary('|'),
  binary_xor: (args, ctx) => { arity(args, ctx, 2); return `xor(CAST(${args[0]!.sql} AS BIGINT), CAST(${args[1]!.sql} AS BIGINT))`; },
  binary_not: (args, ctx) => { arity(args, ctx, 1); return `(~CAST(${args[0]!.sql} AS BIGINT))`; },
  binary_shift_left: binary('<<'),
  binary_shift_right: binary('>>'),

  // ---- ids and hashing ----
  new_guid: (args, ctx) => { arity(args, ctx, 0); return 'CAST(gen_random_uuid() AS VARCHAR)'; },
  hash_md5: hashWith('md5'),
  hash_sha1: hashWith('sha1'),
  hash_sha256: hashWith('sha256'),
  hash: (args, ctx) => {
    arity(args, ctx, 1, 2);
    const h = `hash(${args[0]!.sql})`;
    return args[1] ? `CAST(${h} % CAST(${args[1].sql} AS UBIGINT) AS BIGINT)` : `CAST(${h} >> 1 AS BIGINT)`;
  },

  // ---- base64 ----
  base64_encode_tostring: (args, ctx) => { arity(args, ctx, 1); return `to_base64(encode(coalesce(${text(args[0]!)}, '')))`; },
  base64_encodestring: (args, ctx) => { arity(args, ctx, 1); return `to_base64(encode(coalesce(${text(args[0]!)}, '')))`; },
  // Invalid base64 or bytes that are not UTF-8 give null (reads as ""), as Kusto documents.
  base64_decode_tostring: (args, ctx) => { arity(args, ctx, 1); return `try(decode(from_base64(${text(args[0]!)})))`; },
  base64_decodestring: (args, ctx) => { arity(args, ctx, 1); return `try(decode(from_base64(${text(args[0]!)})))`; },
  base64_decode_toarray: (args, ctx) => {
    arity(args, ctx, 1);
    return `list_transform([hex(try(from_base64(${text(args[0]!)})))], lambda h:
      to_json(list_transform(range(0, length(h), 2), lambda i: CAST('0x' || substr(h, i + 1, 2) AS BIGINT))))[1]`;
  },

  // ---- URLs ----
  url_encode_component: (args, ctx) => { arity(args, ctx, 1); return `url_encode(coalesce(${text(args[0]!)}, ''))`; },
  parse_url: (args, ctx) => { arity(args, ctx, 1); return parseUrl(`coalesce(${text(args[0]!)}, '')`); },
  parse_urlquery: (args, ctx) => {
    arity(args, ctx, 1);
    const q = `coalesce(${text(args[0]!)}, '')`;
    // Accepts a bare query or one starting with '?'.
    return `json_object('Query Parameters', ${queryBag(`ltrim(${q}, '?')`)})`;
  },
};
miscFunctions['parseurl'] = miscFunctions['parse_url']!;
