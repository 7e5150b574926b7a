/**
 * KQL IPv4 functions as ClickHouse SQL over text, with the same parse as the DuckDB dialect (so both
 * backends agree on edge cases): `a.b.c.d[/p]`, octets ≤ 255, prefix ≤ 32, surrounding spaces ignored.
 * ClickHouse's own `IPv4StringToNum*` is stricter/looser in places (no prefix, leading zeros), hence the
 * regex. Addresses are Int64 0..2^32-1; a prefix masks the address. Invalid input gives null for the
 * predicates and parsers and "" for the formatters, as Kusto documents.
 *
 * A parsed address is the `extractGroups` array of one lambda variable (`arrayMap(g -> …, [groups])[1]`
 * binds it once instead of repeating the regex per use).
 */
import type { FnArg, FnContext, ScalarFnImpl } from '../../dialect.js';
import { QuarryError } from '../../../core/errors.js';
import { isNumericType, isStringy, toStringSql } from './convert.js';
import { sqlString } from './literals.js';
import { jsonElementsText } from './relational.js';
import { parseIpv4 } from '../../ipv4-constant.js';

const PATTERN = String.raw`^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:/(\d{1,2}))?$`;

function arity(args: readonly FnArg[], ctx: FnContext, min: number, max = min): void {
  if (args.length < min || args.length > max) throw new QuarryError('kql/semantic-error', `${ctx.name}() got ${args.length} argument(s)`);
}
const text = (a: FnArg): string => (isStringy(a.type) ? `coalesce(${a.sql}, '')` : toStringSql(a));
const groups = (s: string): string => `extractGroups(trimBoth(${s}), ${sqlString(PATTERN)})`;
const octet = (g: string, i: number): string => `toInt64OrZero(${g}[${i}])`;

/** True when the groups `g` hold a valid address (and prefix). */
const valid = (g: string): string =>
  `(length(${g}) = 5 AND ${[1, 2, 3, 4].map((i) => `${octet(g, i)} <= 255`).join(' AND ')} AND (${g}[5] = '' OR ${octet(g, 5)} <= 32))`;
const addr = (g: string): string => `(${octet(g, 1)} * 16777216 + ${octet(g, 2)} * 65536 + ${octet(g, 3)} * 256 + ${octet(g, 4)})`;
const bits = (g: string): string => `if(${g}[5] = '', toInt64(32), ${octet(g, 5)})`;
/** Network mask of a prefix length 0..32 as Int64. */
const mask = (b: string): string => `(toInt64(4294967296) - bitShiftLeft(toInt64(1), 32 - toInt64(${b})))`;
/** The address with its own prefix applied. */
const net = (g: string): string => `bitAnd(${addr(g)}, ${mask(bits(g))})`;

/** `body` with `g` bound to the parsed groups of each text (one lambda variable per text). */
function bind(texts: readonly string[], body: (...g: string[]) => string): string {
  const vars = texts.map((_, i) => `__ip${i}`);
  return `arrayMap((${vars.join(', ')}) -> ${body(...vars)}, ${texts.map((t) => `[${groups(t)}]`).join(', ')})[1]`;
}

/** Strings from variadic string arguments and dynamic arrays, as one Array(String). */
function stringList(args: readonly FnArg[]): string {
  const lists = args.map((a) => (a.type === 'dynamic' ? `arrayMap(e -> coalesce(e, ''), ${jsonElementsText(a.sql)})` : `[${text(a)}]`));
  return lists.length === 1 ? lists[0]! : `arrayConcat(${lists.join(', ')})`;
}

/** One IPv4 octet 0–255 in canonical form (no leading zeros), non-capturing. */
const CANON = '(?:[1-9]?[0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])';
/**
 * `fast` for canonical dotted quads (the common case: an address column), `general` for anything else
 * (spaces, leading zeros, a prefix, junk). ClickHouse's `if` short-circuits, so the regex parse of
 * `general` only runs on the rows that need it (about 10× faster on 5M addresses).
 */
const canonicalOr = (ip: string, fast: string, general: string): string =>
  `if(match(${ip}, ${sqlString(`^${CANON}(?:\.${CANON}){3}$`)}), ${fast}, ${general})`;

const prefixOf = (a: FnArg | undefined): string => (a ? `toInt64(${a.sql})` : 'toInt64(32)');

function compare(args: readonly FnArg[]): string {
  const p = prefixOf(args[2]);
  return bind([text(args[0]!), text(args[1]!)], (a, b) => {
    const m = mask(`least(${bits(a!)}, ${bits(b!)}, ${p})`);
    return `if(${valid(a!)} AND ${valid(b!)} AND ${p} BETWEEN 0 AND 32, toInt64(sign(bitAnd(${addr(a!)}, ${m}) - bitAnd(${addr(b!)}, ${m}))), NULL)`;
  });
}

const inRange = (a: string, r: string): string => `if(${valid(a)} AND ${valid(r)}, bitAnd(${net(a)}, ${mask(bits(r))}) = ${net(r)}, NULL)`;

function format(args: readonly FnArg[], ctx: FnContext, withMask: boolean): string {
  arity(args, ctx, 1, 2);
  const p = args[1] ? `toInt64(${args[1].sql})` : 'toInt64(32)';
  const render = (n: string, b: string) => {
    const eff = `least(${b}, ${p})`;
    const body = `IPv4NumToString(toUInt32(bitAnd(${n}, ${mask(eff)})))`;
    return `if(${p} BETWEEN 0 AND 32, ${withMask ? `concat(${body}, '/', toString(${eff}))` : body}, '')`;
  };
  const a = args[0]!;
  if (isNumericType(a.type)) {
    const n = `toInt64(${a.sql})`;
    return `if(${n} BETWEEN 0 AND 4294967295, ${render(n, 'toInt64(32)')}, '')`;
  }
  return bind([text(a)], (g) => `if(${valid(g!)}, ${render(addr(g!), bits(g!))}, '')`);
}

export const ipFunctions: Record<string, ScalarFnImpl> = {
  parse_ipv4: (a, ctx) => { arity(a, ctx, 1); return bind([text(a[0]!)], (g) => `if(${valid(g!)}, ${net(g!)}, NULL)`); },
  parse_ipv4_mask: (a, ctx) => {
    arity(a, ctx, 2);
    const p = `toInt64(${a[1]!.sql})`;
    return bind([text(a[0]!)], (g) => `if(${valid(g!)} AND ${p} BETWEEN 0 AND 32, bitAnd(${addr(g!)}, ${mask(`least(${bits(g!)}, ${p})`)}), NULL)`);
  },
  ipv4_is_private: (a, ctx) => {
    arity(a, ctx, 1);
    const ip = text(a[0]!);
    const fast = `(startsWith(${ip}, '10.') OR startsWith(${ip}, '192.168.') OR match(${ip}, '^172\\.(?:1[6-9]|2[0-9]|3[01])\\.'))`;
    return canonicalOr(ip, fast, bind([ip], (g) => {
      const n = net(g!);
      return `if(${valid(g!)}, bitAnd(${n}, 4278190080) = 167772160 OR bitAnd(${n}, 4293918720) = 2886729728 OR bitAnd(${n}, 4294901760) = 3232235520, NULL)`;
    }));
  },
  ipv4_is_in_range: (a, ctx) => {
    arity(a, ctx, 2);
    const ip = text(a[0]!);
    const general = bind([ip, text(a[1]!)], (x, r) => inRange(x!, r!));
    const range = a[1]!.constant?.value;
    const r = typeof range === 'string' ? parseIpv4(range) : null;
    if (!r) return general;
    // A constant range (the usual case) is parsed here once; canonical addresses convert natively.
    const m = (1n << 32n) - (1n << BigInt(32 - r.bits));
    return canonicalOr(ip, `(bitAnd(toInt64(IPv4StringToNum(${ip})), ${m}) = ${r.addr & m})`, general);
  },
  // Null when the address is invalid; invalid ranges in the list never match.
  ipv4_is_in_any_range: (a, ctx) => {
    arity(a, ctx, 2, Infinity);
    const one = (g: string) => `arrayMap(__q -> ${inRange(g, '__q')}, [${groups('__r')}])[1]`;
    return bind([text(a[0]!)], (g) => `if(${valid(g!)}, arrayExists(__r -> coalesce(${one(g!)}, false), ${stringList(a.slice(1))}), NULL)`);
  },
  ipv4_compare: (a, ctx) => { arity(a, ctx, 2, 3); return compare(a); },
  ipv4_is_match: (a, ctx) => { arity(a, ctx, 2, 3); return `(${compare(a)} = 0)`; },
  format_ipv4: (a, ctx) => format(a, ctx, false),
  format_ipv4_mask: (a, ctx) => format(a, ctx, true),
};
