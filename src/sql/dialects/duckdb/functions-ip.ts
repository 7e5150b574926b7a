/**
 * KQL IPv4 functions as DuckDB SQL over text, built on the `kql_ipv4_*` macros in `prelude-b.ts`
 * (no inet extension can be loaded). Addresses are numbers 0..2^32-1 in BIGINT; a prefix `a.b.c.d/p`
 * masks the address. Invalid input gives null for the predicates and parsers, "" for the formatters,
 * and false for the `has_*` text searches, as Kusto documents. The IPv6 functions call JavaScript scalar
 * functions (`udf-ipv6.ts`) with text arguments.
 */
import type { FnArg, FnContext, ScalarFnImpl } from '../../dialect.js';
import { arity, isNumeric } from './functions-misc.js';
import { parseIpv4 } from '../../ipv4-constant.js';

const maskOf = (bits: number): bigint => (1n << 32n) - (1n << BigInt(32 - bits));

const text = (a: FnArg) => (a.type === 'string' ? a.sql : `CAST(${a.sql} AS VARCHAR)`);

/** A JSON[]-free VARCHAR[] of addresses/ranges from variadic string arguments or dynamic arrays. */
function stringList(args: readonly FnArg[]): string {
  const lists = args.map((a) => (a.type === 'dynamic' ? `coalesce(json_extract_string(${a.sql}, '$[*]'), [])` : `[${text(a)}]`));
  return lists.reduce((x, y) => `list_concat(${x}, ${y})`);
}

/** The address number of an IPv4 argument that may be text (with an optional prefix) or a long. */
function addressOf(a: FnArg): { num: string; bits: string } {
  if (isNumeric(a.type)) return { num: `(CASE WHEN ${a.sql} BETWEEN 0 AND 4294967295 THEN CAST(${a.sql} AS BIGINT) END)`, bits: '32' };
  return { num: `kql_ipv4_parse(${text(a)}).addr`, bits: `kql_ipv4_parse(${text(a)}).bits` };
}

function format(args: readonly FnArg[], ctx: FnContext, withMask: boolean): string {
  arity(args, ctx, 1, 2);
  const { num, bits } = addressOf(args[0]!);
  const prefix = args[1] ? `CAST(${args[1].sql} AS INTEGER)` : '32';
  // An out-of-range prefix makes the mask NULL, hence "".
  const eff = `(CASE WHEN ${prefix} BETWEEN 0 AND 32 THEN least(${bits}, ${prefix}) END)`;
  const body = `kql_ipv4_text(${num} & kql_ipv4_mask(${eff}))${withMask ? ` || '/' || CAST(${eff} AS VARCHAR)` : ''}`;
  return `coalesce(${body}, '')`;
}

/** One IPv4 octet 0–255 in canonical form (no leading zeros), as a non-capturing group (cheaper in RE2). */
const CANON = '(?:[1-9]?[0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])';

/** A prefix argument as text for the IPv6 functions (absent: 128). */
const v6prefix = (a: FnArg | undefined) => (a ? `CAST(${a.sql} AS VARCHAR)` : `'128'`);

export const ipFunctions: Record<string, ScalarFnImpl> = {
  parse_ipv6: (args, ctx) => { arity(args, ctx, 1); return `coalesce(kql_parse_ipv6(${text(args[0]!)}), '')`; },
  parse_ipv6_mask: (args, ctx) => { arity(args, ctx, 2); return `coalesce(kql_parse_ipv6_mask(${text(args[0]!)}, ${v6prefix(args[1])}), '')`; },
  ipv6_compare: (args, ctx) => {
    arity(args, ctx, 2, 3);
    return `CAST(kql_ipv6_compare(${text(args[0]!)}, ${text(args[1]!)}, ${v6prefix(args[2])}) AS BIGINT)`;
  },
  ipv6_is_match: (args, ctx) => {
    arity(args, ctx, 2, 3);
    return `(kql_ipv6_compare(${text(args[0]!)}, ${text(args[1]!)}, ${v6prefix(args[2])}) = '0')`;
  },
  ipv6_is_in_range: (args, ctx) => { arity(args, ctx, 2); return `CAST(kql_ipv6_in_range(${text(args[0]!)}, ${text(args[1]!)}) AS BOOLEAN)`; },
  ipv6_is_in_any_range: (args, ctx) => {
    arity(args, ctx, 2, Infinity);
    return `CAST(kql_ipv6_in_any_range(${text(args[0]!)}, CAST(to_json(${stringList(args.slice(1))}) AS VARCHAR)) AS BOOLEAN)`;
  },

  parse_ipv4: (args, ctx) => { arity(args, ctx, 1); return `kql_parse_ipv4(${text(args[0]!)})`; },
  parse_ipv4_mask: (args, ctx) => {
    arity(args, ctx, 2);
    const prefix = `CAST(${args[1]!.sql} AS INTEGER)`;
    return `list_transform([kql_ipv4_parse(${text(args[0]!)})], lambda p:
      CASE WHEN ${prefix} BETWEEN 0 AND 32 THEN p.addr & kql_ipv4_mask(least(p.bits, ${prefix})) END)[1]`;
  },
  ipv4_is_private: (args, ctx) => {
    arity(args, ctx, 1);
    // Fast path for canonical dotted quads (the common case: a RemoteIP column): one non-capturing RE2 full
    // match and prefix LIKEs. Anything else (spaces, leading zeros, `a.b.c.d/n`, junk) takes the general macro,
    // which also gives null for invalid input.
    const ip = text(args[0]!);
    return `(CASE WHEN regexp_full_match(${ip}, '${CANON}(?:\\.${CANON}){3}')
        THEN (${ip} LIKE '10.%' OR ${ip} LIKE '192.168.%' OR (${ip} LIKE '172.%' AND regexp_matches(${ip}, '^172\\.(?:1[6-9]|2[0-9]|3[01])\\.')))
      ELSE kql_ipv4_is_private(${ip}) END)`;
  },
  ipv4_is_in_range: (args, ctx) => {
    arity(args, ctx, 2);
    const range = args[1]!.constant?.value;
    if (typeof range === 'string') {
      // A constant range (the usual case) is parsed here once instead of once per row.
      const r = parseIpv4(range);
      if (!r) return 'CAST(NULL AS BOOLEAN)';
      const mask = maskOf(r.bits);
      return `list_transform([kql_ipv4_parse(${text(args[0]!)})], lambda p: (kql_ipv4_net(p) & ${mask}) = ${r.addr & mask})[1]`;
    }
    return `kql_ipv4_in_range(${text(args[0]!)}, ${text(args[1]!)})`;
  },
  // Null when the address is invalid; invalid ranges in the list never match.
  ipv4_is_in_any_range: (args, ctx) => {
    arity(args, ctx, 2, Infinity);
    const ip = text(args[0]!);
    return `(CASE WHEN kql_ipv4_parse(${ip}) IS NOT NULL THEN
      coalesce(list_bool_or(list_transform(${stringList(args.slice(1))}, lambda r: coalesce(kql_ipv4_in_range(${ip}, r), false))), false) END)`;
  },
  ipv4_compare: (args, ctx) => {
    arity(args, ctx, 2, 3);
    return `CAST(kql_ipv4_compare(${text(args[0]!)}, ${text(args[1]!)}, ${args[2] ? `CAST(${args[2].sql} AS INTEGER)` : '32'}) AS INTEGER)`;
  },
  ipv4_is_match: (args, ctx) => {
    arity(args, ctx, 2, 3);
    return `(kql_ipv4_compare(${text(args[0]!)}, ${text(args[1]!)}, ${args[2] ? `CAST(${args[2].sql} AS INTEGER)` : '32'}) = 0)`;
  },
  format_ipv4: (args, ctx) => format(args, ctx, false),
  format_ipv4_mask: (args, ctx) => format(args, ctx, true),
  // The searched address must be a valid IPv4 without prefix, and appear delimited in the text.
  has_ipv4: (args, ctx) => {
    arity(args, ctx, 2);
    const ip = `trim(${text(args[1]!)})`;
    return `coalesce(NOT contains(${ip}, '/') AND kql_ipv4_parse(${ip}) IS NOT NULL AND list_contains(kql_ipv4_tokens(${text(args[0]!)}), ${ip}), false)`;
  },
  has_any_ipv4: (args, ctx) => {
    arity(args, ctx, 2, Infinity);
    return `coalesce(list_has_any(kql_ipv4_tokens(${text(args[0]!)}),
      list_filter(list_transform(${stringList(args.slice(1))}, lambda x: trim(x)), lambda x: NOT contains(x, '/') AND kql_ipv4_parse(x) IS NOT NULL)), false)`;
  },
  // A prefix is a full address or 1-3 octets ending with a dot ("10.", "192.168.").
  has_ipv4_prefix: (args, ctx) => {
    arity(args, ctx, 2);
    const p = text(args[1]!);
    return `coalesce(kql_is_ipv4_prefix_text(${p}) AND list_bool_or(list_transform(kql_ipv4_tokens(${text(args[0]!)}),
      lambda t: CASE WHEN ends_with(${p}, '.') THEN starts_with(t, ${p}) ELSE t = ${p} END)), false)`;
  },
  has_any_ipv4_prefix: (args, ctx) => {
    arity(args, ctx, 2, Infinity);
    return `coalesce(list_bool_or(list_transform(list_filter(${stringList(args.slice(1))}, lambda p: kql_is_ipv4_prefix_text(p)),
      lambda p: list_bool_or(list_transform(kql_ipv4_tokens(${text(args[0]!)}),
        lambda t: CASE WHEN ends_with(p, '.') THEN starts_with(t, p) ELSE t = p END)))), false)`;
  },
};
