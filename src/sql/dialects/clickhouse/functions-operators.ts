/**
 * KQL operators as ClickHouse SQL: comparisons with Kusto's null rules (strings are never null: NULL
 * reads as ""), arithmetic including datetime/timespan maths (timespan = Int64 µs), the string
 * predicates (case-insensitive by default), whole-term `has` family (ASCII alphanumeric terms, as
 * Kusto's tokenizer), `in` lists and `between`.
 */
import type { KqlScalarType } from '../../../catalog/types.js';
import { QuarryError } from '../../../core/errors.js';
import type { FnArg, FnContext, ScalarFnImpl } from '../../dialect.js';
import { dynText, isIntegerType, isNumericType, isStringy, jsonOf, toBoolSql, toDatetimeSql, toRealSql, toStringNullable, toStringSql, toTimespanSql } from './convert.js';
import { nullableType, renderLiteral, sqlString } from './literals.js';
import { jsonElementsText } from './relational.js';

function arity(args: readonly FnArg[], ctx: FnContext, min: number, max = min): void {
  if (args.length < min || args.length > max) throw new QuarryError('kql/semantic-error', `the operator '${ctx.name}' got ${args.length} operand(s)`);
}
const constString = (a: FnArg): string | undefined => (a.constant && typeof a.constant.value === 'string' ? a.constant.value : undefined);
const isNullConst = (a: FnArg): boolean => a.constant !== undefined && a.constant.value === null;
const typed = (sql: string, type: KqlScalarType): FnArg => ({ sql, type });

function dynamicAs(a: FnArg, t: KqlScalarType): FnArg {
  if (a.type !== 'dynamic' || t === 'dynamic') return a;
  switch (t) {
    case 'string': case 'guid': return typed(dynText(a.sql), 'string');
    case 'long': case 'int': case 'real': case 'decimal': return typed(toRealSql(a), 'real');
    case 'bool': return typed(toBoolSql(a), 'bool');
    case 'datetime': return typed(toDatetimeSql(a), 'datetime');
    case 'timespan': return typed(toTimespanSql(a), 'timespan');
  }
}

function align(l: FnArg, r: FnArg): [FnArg, FnArg] {
  if (l.type === 'dynamic' && r.type === 'dynamic') return [typed(dynText(l.sql), 'string'), typed(dynText(r.sql), 'string')];
  if (l.type === 'dynamic') return [dynamicAs(l, r.type), r];
  if (r.type === 'dynamic') return [l, dynamicAs(r, l.type)];
  if (isStringy(l.type) !== isStringy(r.type)) return [typed(toStringNullable(l), 'string'), typed(toStringNullable(r), 'string')];
  return [l, r];
}

const coalesced = (a: FnArg): string => (constString(a) !== undefined ? a.sql : `coalesce(${a.sql}, '')`);

function equality(negate: boolean, ci: boolean): ScalarFnImpl {
  return (args, ctx) => {
    arity(args, ctx, 2);
    let [l, r] = align(args[0]!, args[1]!);
    if (ci && !isStringy(l.type)) [l, r] = [typed(toStringNullable(l), 'string'), typed(toStringNullable(r), 'string')];
    if (isStringy(l.type)) {
      const lower = (x: string) => (ci ? `lowerUTF8(${x})` : x);
      return `(${lower(coalesced(l))} ${negate ? '!=' : '='} ${lower(coalesced(r))})`;
    }
    const op = negate ? '!=' : '=';
    if ((l.constant && !isNullConst(l)) || (r.constant && !isNullConst(r))) return `coalesce(${l.sql} ${op} ${r.sql}, ${negate ? 'true' : 'false'})`;
    return `multiIf(${l.sql} IS NULL AND ${r.sql} IS NULL, NULL, ${l.sql} IS NULL OR ${r.sql} IS NULL, ${negate ? 'true' : 'false'}, ${l.sql} ${op} ${r.sql})`;
  };
}

function ordering(op: '<' | '<=' | '>' | '>='): ScalarFnImpl {
  return (args, ctx) => {
    arity(args, ctx, 2);
    const [l, r] = align(args[0]!, args[1]!);
    if (isStringy(l.type)) return `(${coalesced(l)} ${op} ${coalesced(r)})`;
    return `(${l.sql} ${op} ${r.sql})`;
  };
}

function numeric(a: FnArg): FnArg {
  if (a.type === 'dynamic') return typed(toRealSql(a), 'real');
  if (a.type === 'bool') return typed(`toInt64(toUInt8(${a.sql}))`, 'long');
  return a;
}
const wide = (a: FnArg): string => (a.type === 'int' ? `toInt64(${a.sql})` : a.sql);
const real = (a: FnArg): string => (isIntegerType(a.type) ? `toFloat64(${a.sql})` : a.sql);

function finish(sql: string, sqlType: KqlScalarType, ctx: FnContext): string {
  const t = ctx.resultType;
  if (t === sqlType) return sql;
  if (t === 'dynamic') return jsonOf(typed(sql, sqlType));
  if (t === 'int') return `toInt32OrNull(toString(${sql}))`;
  if (t === 'long' && sqlType === 'real') return `if(isFinite(${sql}), toInt64(trunc(${sql})), NULL)`;
  if ((t === 'real' || t === 'decimal') && isIntegerType(sqlType)) return `toFloat64(${sql})`;
  return sql;
}

const us = (d: string): string => `toUnixTimestamp64Micro(${d})`;
const dt = (u: string): string => `fromUnixTimestamp64Micro(${u}, 'UTC')`;
const intDivSafe = (a: string, b: string): string => `if(${b} = 0, NULL, intDiv(${a}, ${b}))`;

function arithmetic(op: '+' | '-' | '*' | '/' | '%'): ScalarFnImpl {
  return (args, ctx) => {
    arity(args, ctx, 2);
    const [a0, b0] = args as [FnArg, FnArg];
    const a = a0.type === 'dynamic' && (b0.type === 'datetime' || b0.type === 'timespan') ? dynamicAs(a0, b0.type) : a0;
    const b = b0.type === 'dynamic' && (a0.type === 'datetime' || a0.type === 'timespan') ? dynamicAs(b0, a0.type) : b0;
    const [ta, tb] = [a.type, b.type];
    if (ta === 'datetime' && tb === 'timespan' && (op === '+' || op === '-')) return dt(`${us(a.sql)} ${op} ${b.sql}`);
    if (ta === 'timespan' && tb === 'datetime' && op === '+') return dt(`${us(b.sql)} + ${a.sql}`);
    if (ta === 'datetime' && tb === 'datetime' && op === '-') return `(${us(a.sql)} - ${us(b.sql)})`;
    if (ta === 'timespan' && tb === 'timespan') {
      if (op === '/') return `(toFloat64(${a.sql}) / ${b.sql})`;
      if (op === '%') return `if(${b.sql} = 0, NULL, ${a.sql} % ${b.sql})`;
      return `(${a.sql} ${op} ${b.sql})`;
    }
    const scale = (ts: FnArg, n: FnArg, o: '*' | '/') => (isIntegerType(n.type)
      ? (o === '*' ? `(${ts.sql} * ${wide(n)})` : intDivSafe(ts.sql, wide(n)))
      : `toInt64(round(${ts.sql} ${o} ${real(n)}))`);
    if (ta === 'timespan' && (op === '*' || op === '/') && isNumericType(numeric(b).type)) return scale(a, numeric(b), op);
    if (tb === 'timespan' && op === '*' && isNumericType(numeric(a).type)) return scale(b, numeric(a), '*');
    if (ta === 'datetime' || tb === 'datetime' || ta === 'timespan' || tb === 'timespan') {
      throw new QuarryError('kql/semantic-error', `the operator '${op}' cannot combine ${ta} and ${tb}`);
    }
    const x = numeric(a);
    const y = numeric(b);
    if (!isNumericType(x.type) || !isNumericType(y.type)) throw new QuarryError('kql/semantic-error', `the operator '${op}' needs numbers, got ${ta} and ${tb}`);
    if (isIntegerType(x.type) && isIntegerType(y.type)) {
      if (op === '/') return finish(intDivSafe(wide(x), wide(y)), 'long', ctx);
      if (op === '%') return finish(`if(${wide(y)} = 0, NULL, ${wide(x)} % ${wide(y)})`, 'long', ctx);
      return finish(`(${wide(x)} ${op} ${wide(y)})`, 'long', ctx);
    }
    if (op === '%') return finish(`if(${real(y)} = 0, nan, ${real(x)} - ${real(y)} * trunc(${real(x)} / ${real(y)}))`, 'real', ctx);
    return finish(`(${real(x)} ${op} ${real(y)})`, 'real', ctx);
  };
}

const text = (a: FnArg): string => (isStringy(a.type) ? coalesced(a) : toStringSql(a));

type Matcher = (hay: string, needle: string) => string;
function predicate(m: Matcher, ci: boolean, neg: boolean): ScalarFnImpl {
  return (args, ctx) => {
    arity(args, ctx, 2);
    const [h, n] = [text(args[0]!), text(args[1]!)];
    const sql = ci ? m(`lowerUTF8(${h})`, `lowerUTF8(${n})`) : m(h, n);
    return neg ? `(NOT ${sql})` : sql;
  };
}
const containsM: Matcher = (h, n) => `(position(${h}, ${n}) > 0)`;
const startsM: Matcher = (h, n) => `startsWith(${h}, ${n})`;
const endsM: Matcher = (h, n) => `endsWith(${h}, ${n})`;

// ---- term operators ---------------------------------------------------------------------------------
type TermMode = 'has' | 'prefix' | 'suffix';
const isAlnum = (c: string | undefined): boolean => c !== undefined && /^[A-Za-z0-9]$/.test(c);
const reEscape = (s: string): string => s.replace(/[\\^$.|?*+()[\]{}-]/g, (m) => '\\' + m);
const NOT_ALNUM = '[^A-Za-z0-9]';

function termAlternative(n: string, mode: TermMode): string {
  const left = mode !== 'suffix' && isAlnum(n[0]);
  const right = mode !== 'prefix' && isAlnum(n[n.length - 1]);
  return `${left ? `(?:^|${NOT_ALNUM})` : ''}${reEscape(n)}${right ? `(?:$|${NOT_ALNUM})` : ''}`;
}

function termConst(hay: string, n: string, mode: TermMode, ci: boolean): string {
  const pre = ci ? `(positionCaseInsensitive(${hay}, ${sqlString(n)}) > 0)` : `(position(${hay}, ${sqlString(n)}) > 0)`;
  if (!/[A-Za-z0-9]/.test(n)) return pre;
  return `(${pre} AND match(${hay}, ${sqlString((ci ? '(?i)' : '') + termAlternative(n, mode))}))`;
}

function termDynamic(hay: string, needle: string, mode: TermMode, ci: boolean): string {
  const left = mode !== 'suffix' ? `if(match(${needle}, '^[A-Za-z0-9]'), '(?:^|${NOT_ALNUM})', '')` : "''";
  const right = mode !== 'prefix' ? `if(match(${needle}, '[A-Za-z0-9]$'), '(?:$|${NOT_ALNUM})', '')` : "''";
  const re = `concat(${ci ? "'(?i)', " : ''}${left}, regexpQuoteMeta(${needle}), ${right})`;
  const pre = ci ? `(positionCaseInsensitive(${hay}, ${needle}) > 0)` : `(position(${hay}, ${needle}) > 0)`;
  return `(${pre} AND match(${hay}, ${re}))`;
}

function termOp(mode: TermMode, ci: boolean, neg: boolean): ScalarFnImpl {
  return (args, ctx) => {
    arity(args, ctx, 2);
    const hay = text(args[0]!);
    const c = constString(args[1]!);
    const sql = c !== undefined ? termConst(hay, c, mode, ci) : termDynamic(hay, text(args[1]!), mode, ci);
    return neg ? `(NOT ${sql})` : sql;
  };
}

interface Needles { constants: string[]; scalars: string[]; lists: string[] }
function collectNeedles(items: readonly FnArg[], ci: boolean): Needles {
  const seen = new Set<string>();
  const out: Needles = { constants: [], scalars: [], lists: [] };
  const add = (v: unknown) => {
    if (v === null || v === undefined) return;
    const s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
    const key = ci ? s.toLowerCase() : s;
    if (!seen.has(key)) { seen.add(key); out.constants.push(key); }
  };
  for (const item of items) {
    const v = item.constant?.value;
    if (item.constant && Array.isArray(v)) v.forEach(add);
    else if (item.constant) add(v);
    else if (item.type === 'dynamic') out.lists.push(item.sql);
    else out.scalars.push(text(item));
  }
  return out;
}

/** Terms of a text: maximal ASCII-alphanumeric runs (lower-cased for the case-insensitive forms). */
const termsOf = (hay: string, ci: boolean): string => `extractAll(${ci ? `lower(${hay})` : hay}, '[A-Za-z0-9]+')`;

function hasAny(ci: boolean): ScalarFnImpl {
  return (args, ctx) => {
    arity(args, ctx, 1, Infinity);
    const hay = text(args[0]!);
    const set = collectNeedles(args.slice(1), ci);
    const words = set.constants.filter((n) => /^[A-Za-z0-9]+$/.test(n));
    const others = set.constants.filter((n) => !/^[A-Za-z0-9]+$/.test(n));
    const parts: string[] = [];
    if (words.length > 4) parts.push(`hasAny(${termsOf(hay, ci)}, [${words.map(sqlString).join(', ')}])`);
    else parts.push(...words.map((n) => termConst(hay, n, 'has', ci)));
    parts.push(...others.map((n) => termConst(hay, n, 'has', ci)));
    parts.push(...set.scalars.map((n) => termDynamic(hay, n, 'has', ci)));
    for (const l of set.lists) {
      parts.push(`arrayExists(n -> ${termDynamic(hay, ci ? 'lower(n)' : 'n', 'has', ci)}, ${jsonElementsText(l)})`);
    }
    if (parts.length === 0) return 'false';
    return parts.length === 1 ? parts[0]! : `(${parts.join(' OR ')})`;
  };
}

function hasAll(ci: boolean): ScalarFnImpl {
  return (args, ctx) => {
    arity(args, ctx, 1, Infinity);
    const hay = text(args[0]!);
    const set = collectNeedles(args.slice(1), ci);
    const parts = set.constants.map((n) => termConst(hay, n, 'has', ci));
    parts.push(...set.scalars.map((n) => termDynamic(hay, n, 'has', ci)));
    for (const l of set.lists) parts.push(`arrayAll(n -> ${termDynamic(hay, 'n', 'has', ci)}, ${jsonElementsText(l)})`);
    if (parts.length === 0) return 'true';
    return parts.length === 1 ? parts[0]! : `(${parts.join(' AND ')})`;
  };
}

// ---- in / between -----------------------------------------------------------------------------------
function literalFor(v: unknown, lhs: KqlScalarType): string {
  if (v === null || v === undefined) return `CAST(NULL AS ${nullableType(lhs === 'dynamic' ? 'string' : lhs)})`;
  if (isStringy(lhs) || lhs === 'dynamic') return sqlString(typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v));
  if (typeof v === 'string') {
    if (lhs === 'datetime') return toDatetimeSql({ sql: sqlString(v), type: 'string' });
    if (lhs === 'timespan') return toTimespanSql({ sql: sqlString(v), type: 'string' });
    if (lhs === 'bool') return toBoolSql({ sql: sqlString(v), type: 'string' });
    return `CAST(${sqlString(v)} AS ${nullableType(lhs)})`;
  }
  if (typeof v === 'boolean') return lhs === 'bool' ? String(v) : v ? '1' : '0';
  if (typeof v === 'number' || typeof v === 'bigint') {
    if (lhs === 'real' || lhs === 'decimal') return renderLiteral(Number(v), 'real');
    if (typeof v === 'bigint' || Number.isInteger(v)) return renderLiteral(BigInt(v), lhs === 'int' ? 'int' : 'long');
    return renderLiteral(Number(v), 'real');
  }
  return sqlString(JSON.stringify(v));
}

function inList(ci: boolean, neg: boolean): ScalarFnImpl {
  return (args, ctx) => {
    arity(args, ctx, 1, Infinity);
    let lhs = args[0]!;
    const items = args.slice(1);
    if (lhs.type === 'dynamic') lhs = dynamicAs(lhs, items.find((i) => i.type !== 'dynamic')?.type ?? 'string');
    const ltype: KqlScalarType = ci ? 'string' : lhs.type;
    const stringy = isStringy(ltype);
    const lhsSql = stringy ? (ci ? `lowerUTF8(${text(lhs)})` : text(lhs)) : lhs.sql;
    const lit = (sql: string) => (ci ? `lowerUTF8(${sql})` : sql);
    const values: string[] = [];
    const dynLists: string[] = [];
    for (const item of items) {
      const v = item.constant?.value;
      if (item.constant && item.type === 'dynamic' && Array.isArray(v)) {
        for (const el of v) if (el !== null) values.push(lit(literalFor(el, ltype)));
      } else if (item.constant && item.type !== 'dynamic') {
        if (v !== null) values.push(lit(stringy ? sqlString(typeof v === 'string' ? v : String(v)) : literalFor(v, ltype)));
      } else if (item.type === 'dynamic') {
        dynLists.push(item.sql);
      } else {
        values.push(lit(stringy ? text(item) : item.sql));
      }
    }
    const parts: string[] = [];
    if (values.length > 0) parts.push(`(${lhsSql} IN (${values.join(', ')}))`);
    for (const d of dynLists) {
      const elems = jsonElementsText(d);
      if (stringy) parts.push(`has(${ci ? `arrayMap(e -> lowerUTF8(e), ${elems})` : elems}, ${lhsSql})`);
      else parts.push(`has(arrayMap(e -> CAST(e AS ${nullableType(ltype)}), ${elems}), ${lhsSql})`);
    }
    if (parts.length === 0) return neg ? 'true' : 'false';
    const any = parts.length === 1 ? `coalesce(${parts[0]}, false)` : `(${parts.map((p) => `coalesce(${p}, false)`).join(' OR ')})`;
    return neg ? `(NOT ${any})` : any;
  };
}

function between(neg: boolean): ScalarFnImpl {
  return (args, ctx) => {
    arity(args, ctx, 3);
    let [x, lo, hi] = args as [FnArg, FnArg, FnArg];
    if (lo.type === 'datetime' && hi.type === 'timespan') hi = typed(dt(`${us(lo.sql)} + ${hi.sql}`), 'datetime');
    if (x.type === 'dynamic') x = dynamicAs(x, lo.type);
    const sql = `(${x.sql} BETWEEN ${lo.sql} AND ${hi.sql})`;
    return neg ? `(NOT ${sql})` : sql;
  };
}

const cases: Array<[string, Matcher]> = [['contains', containsM], ['startswith', startsM], ['endswith', endsM]];
const stringPredicates: Record<string, ScalarFnImpl> = {};
for (const [name, m] of cases) {
  stringPredicates[name] = predicate(m, true, false);
  stringPredicates[`!${name}`] = predicate(m, true, true);
  stringPredicates[`${name}_cs`] = predicate(m, false, false);
  stringPredicates[`!${name}_cs`] = predicate(m, false, true);
}
const terms: Array<[string, TermMode]> = [['has', 'has'], ['hasprefix', 'prefix'], ['hassuffix', 'suffix']];
for (const [name, mode] of terms) {
  stringPredicates[name] = termOp(mode, true, false);
  stringPredicates[`!${name}`] = termOp(mode, true, true);
  stringPredicates[`${name}_cs`] = termOp(mode, false, false);
  stringPredicates[`!${name}_cs`] = termOp(mode, false, true);
}

export const operatorFunctions: Record<string, ScalarFnImpl> = {
  '==': equality(false, false),
  '!=': equality(true, false),
  '<>': equality(true, false),
  '=~': equality(false, true),
  '!~': equality(true, true),
  '<': ordering('<'),
  '<=': ordering('<='),
  '>': ordering('>'),
  '>=': ordering('>='),
  and: (a) => `(${a[0]!.sql} AND ${a[1]!.sql})`,
  or: (a) => `(${a[0]!.sql} OR ${a[1]!.sql})`,
  not: (a) => `(NOT ${a[0]!.type === 'bool' ? a[0]!.sql : toBoolSql(a[0]!)})`,
  neg: (a, ctx) => (a[0]!.type === 'dynamic' ? finish(`(- ${toRealSql(a[0]!)})`, 'real', ctx) : `(- ${wide(a[0]!)})`),
  '+': arithmetic('+'),
  '-': arithmetic('-'),
  '*': arithmetic('*'),
  '/': arithmetic('/'),
  '%': arithmetic('%'),
  ...stringPredicates,
  has_any: hasAny(true),
  has_all: hasAll(true),
  has_any_cs: hasAny(false),
  'matches regex': (a) => `match(${text(a[0]!)}, ${constString(a[1]!) !== undefined ? sqlString(constString(a[1]!)!) : text(a[1]!)})`,
  matches_regex: (a) => `match(${text(a[0]!)}, ${constString(a[1]!) !== undefined ? sqlString(constString(a[1]!)!) : text(a[1]!)})`,
  in: inList(false, false),
  '!in': inList(false, true),
  'in~': inList(true, false),
  '!in~': inList(true, true),
  between: between(false),
  '!between': between(true),
};
