/**
 * KQL scalar operators as DuckDB SQL: comparison, logic, arithmetic (incl. datetime/timespan maths),
 * the string predicates (`contains`, `startswith`, `=~`, `matches regex`, …), `in`-lists and `between`.
 * The term operators (`has`, `has_any`, …) live in the second half of this file.
 *
 * Null rules (Kusto): strings are never null — a NULL VARCHAR reads as "" — so string predicates coalesce;
 * for other types `a == b` is false when exactly one side is null and null when both are, `!=` the reverse.
 */
import type { KqlScalarType } from '../../../catalog/types.js';
import { QuarryError } from '../../../core/errors.js';
import type { FnArg, FnContext, ScalarFnImpl } from '../../dialect.js';
import { isIntegerType, isNumericType, toBoolSql, toDatetimeSql, toRealSql, toStringNullable, toStringSql, toTimespanSql } from './functions-convert.js';
import { renderLiteral, sqlString } from './literals.js';
import { duckdbTypeOf } from './types.js';

function arity(args: readonly FnArg[], ctx: FnContext, min: number, max = min): void {
  if (args.length < min || args.length > max) {
    throw new QuarryError('kql/semantic-error', `the operator '${ctx.name}' got ${args.length} operand(s)`);
  }
}

const isStringy = (t: KqlScalarType): boolean => t === 'string' || t === 'guid';
const constString = (a: FnArg): string | undefined =>
  a.constant && typeof a.constant.value === 'string' ? a.constant.value : undefined;
const isNullConst = (a: FnArg): boolean => a.constant !== undefined && a.constant.value === null;
const withType = (a: FnArg, sql: string, type: KqlScalarType): FnArg => ({ sql, type });

/** Reads a dynamic operand as the scalar type of the other side (`parse_json(x).n > 5`). */
function dynamicAs(a: FnArg, t: KqlScalarType): FnArg {
  if (a.type !== 'dynamic' || t === 'dynamic') return a;
  switch (t) {
    case 'string':
    case 'guid':
      return withType(a, `kqla_dyn_str(${a.sql})`, 'string');
    case 'long':
    case 'int':
    case 'real':
    case 'decimal':
      return withType(a, toRealSql(a), 'real');
    case 'bool':
      return withType(a, toBoolSql(a), 'bool');
    case 'datetime':
      return withType(a, toDatetimeSql(a), 'datetime');
    case 'timespan':
      return withType(a, toTimespanSql(a), 'timespan');
  }
}

/** Aligns the two operands of a comparison: dynamic sides take the other side's type. */
function align(l: FnArg, r: FnArg): [FnArg, FnArg] {
  if (l.type === 'dynamic' && r.type === 'dynamic') {
    // Two dynamic values compare as their texts (numbers still compare numerically when both are numbers).
    return [withType(l, `kqla_dyn_str(${l.sql})`, 'string'), withType(r, `kqla_dyn_str(${r.sql})`, 'string')];
  }
  if (l.type === 'dynamic') return [dynamicAs(l, r.type), r];
  if (r.type === 'dynamic') return [l, dynamicAs(r, l.type)];
  if (isStringy(l.type) !== isStringy(r.type)) {
    // Mixed string/non-string (rare; Kusto converts): compare as text.
    return [withType(l, toStringNullable(l), 'string'), withType(r, toStringNullable(r), 'string')];
  }
  return [l, r];
}

const coalesced = (a: FnArg): string => (a.constant && typeof a.constant.value === 'string' ? a.sql : `coalesce(${a.sql}, '')`);

function equality(negate: boolean, ci: boolean): ScalarFnImpl {
  return (args, ctx) => {
    arity(args, ctx, 2);
    let [l, r] = align(args[0]!, args[1]!);
    if (ci && !isStringy(l.type)) {
      l = withType(l, toStringNullable(l), 'string');
      r = withType(r, toStringNullable(r), 'string');
    }
    if (isStringy(l.type)) {
      if (constString(l) !== undefined && constString(r) === undefined) [l, r] = [r, l];
      const c = constString(r);
      const lower = (x: string) => (ci ? `lower(${x})` : x);
      if (c === '') return negate ? `(${l.sql} IS NOT NULL AND ${l.sql} <> '')` : `(${l.sql} IS NULL OR ${l.sql} = '')`;
      if (c !== undefined) {
        // A non-empty constant: a NULL lhs is "" and differs from it.
        return `(${lower(l.sql)} IS ${negate ? '' : 'NOT '}DISTINCT FROM ${lower(r.sql)})`;
      }
      return `(${lower(coalesced(l))} ${negate ? '<>' : '='} ${lower(coalesced(r))})`;
    }
    const op = negate ? 'IS DISTINCT FROM' : 'IS NOT DISTINCT FROM';
    // A non-null constant side: IS [NOT] DISTINCT FROM is exactly Kusto's rule (null vs value → false).
    if ((l.constant && !isNullConst(l)) || (r.constant && !isNullConst(r))) return `(${l.sql} ${op} ${r.sql})`;
    return `(CASE WHEN ${l.sql} IS NULL AND ${r.sql} IS NULL THEN NULL ELSE ${l.sql} ${op} ${r.sql} END)`;
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

// ---- arithmetic ---------------------------------------------------------------------------------------

/** An operand as a number for arithmetic: dynamic reads as real, bool as 0/1. */
function numeric(a: FnArg): FnArg {
  if (a.type === 'dynamic') return withType(a, toRealSql(a), 'real');
  if (a.type === 'bool') return withType(a, `CAST(${a.sql} AS BIGINT)`, 'long');
  return a;
}

/** Widens `int` to BIGINT so that int maths cannot overflow 32 bits mid-expression. */
const wide = (a: FnArg): string => (a.type === 'int' ? `CAST(${a.sql} AS BIGINT)` : a.sql);
const real = (a: FnArg): string => (isIntegerType(a.type) ? `CAST(${a.sql} AS DOUBLE)` : a.sql);

/** Casts a numeric result to the binder's result type (int → INTEGER, dynamic → JSON). */
function finish(sql: string, sqlType: KqlScalarType, ctx: FnContext): string {
  const t = ctx.resultType;
  if (t === sqlType) return sql;
  if (t === 'dynamic') return `to_json(${sql})`;
  if (t === 'int') return `TRY_CAST(${sql} AS INTEGER)`;
  if (t === 'long' && sqlType === 'real') return `TRY_CAST(trunc(${sql}) AS BIGINT)`;
  if ((t === 'real' || t === 'decimal') && (sqlType === 'long' || sqlType === 'int')) return `CAST(${sql} AS DOUBLE)`;
  return sql;
}

/** timespan × number: integer factors keep exact microseconds, real factors round to the microsecond. */
const scaleTimespan = (ts: FnArg, n: FnArg, op: '*' | '/'): string =>
  isIntegerType(n.type) ? `(${ts.sql} ${op === '*' ? '*' : '//'} ${wide(n)})` : `CAST(round(${ts.sql} ${op} ${real(n)}) AS BIGINT)`;

function arithmetic(op: '+' | '-' | '*' | '/' | '%'): ScalarFnImpl {
  return (args, ctx) => {
    arity(args, ctx, 2);
    const [a0, b0] = args as [FnArg, FnArg];
    const a = a0.type === 'dynamic' && (b0.type === 'datetime' || b0.type === 'timespan') ? dynamicAs(a0, b0.type) : a0;
    const b = b0.type === 'dynamic' && (a0.type === 'datetime' || a0.type === 'timespan') ? dynamicAs(b0, a0.type) : b0;
    const ta = a.type;
    const tb = b.type;
    // datetime / timespan maths (timespan is BIGINT µs).
    if (ta === 'datetime' && tb === 'timespan' && (op === '+' || op === '-')) return `(${a.sql} ${op} to_microseconds(${b.sql}))`;
    if (ta === 'timespan' && tb === 'datetime' && op === '+') return `(${b.sql} + to_microseconds(${a.sql}))`;
    if (ta === 'datetime' && tb === 'datetime' && op === '-') return `(epoch_us(${a.sql}) - epoch_us(${b.sql}))`;
    if (ta === 'timespan' && tb === 'timespan') {
      if (op === '/') return `(CAST(${a.sql} AS DOUBLE) / ${b.sql})`;
      return `(${a.sql} ${op} ${b.sql})`;
    }
    if (ta === 'timespan' && (op === '*' || op === '/') && isNumericType(numeric(b).type)) return scaleTimespan(a, numeric(b), op);
    if (tb === 'timespan' && op === '*' && isNumericType(numeric(a).type)) return scaleTimespan(b, numeric(a), '*');
    if (ta === 'datetime' || tb === 'datetime' || ta === 'timespan' || tb === 'timespan') {
      throw new QuarryError('kql/semantic-error', `the operator '${op}' cannot combine ${ta} and ${tb}`);
    }
    const x = numeric(a);
    const y = numeric(b);
    if (!isNumericType(x.type) || !isNumericType(y.type)) {
      throw new QuarryError('kql/semantic-error', `the operator '${op}' needs numbers, got ${ta} and ${tb}`);
    }
    const integers = isIntegerType(x.type) && isIntegerType(y.type);
    if (integers) {
      // Kusto long/long is integer division truncating toward zero, as DuckDB's // (NULL on zero).
      const sqlOp = op === '/' ? '//' : op;
      return finish(`(${wide(x)} ${sqlOp} ${wide(y)})`, 'long', ctx);
    }
    return finish(`(${real(x)} ${op} ${real(y)})`, 'real', ctx);
  };
}

const negate: ScalarFnImpl = (args, ctx) => {
  arity(args, ctx, 1);
  const a = args[0]!;
  if (a.type === 'dynamic') return finish(`(- ${toRealSql(a)})`, 'real', ctx);
  return `(- ${wide(a)})`;
};

// ---- substring predicates -------------------------------------------------------------------------------

/** The text operand of a string predicate (non-string operands are converted as Kusto does). */
const text = (a: FnArg): string => (isStringy(a.type) ? coalesced(a) : toStringSql(a));

type Matcher = (hay: string, needle: string) => string;
function predicate(m: Matcher, ci: boolean, neg: boolean): ScalarFnImpl {
  return (args, ctx) => {
    arity(args, ctx, 2);
    const hay = text(args[0]!);
    const needle = text(args[1]!);
    const sql = ci ? m(`lower(${hay})`, `lower(${needle})`) : m(hay, needle);
    return neg ? `(NOT ${sql})` : sql;
  };
}
const containsM: Matcher = (h, n) => `contains(${h}, ${n})`;
const startsM: Matcher = (h, n) => `starts_with(${h}, ${n})`;
const endsM: Matcher = (h, n) => `ends_with(${h}, ${n})`;

const matchesRegex: ScalarFnImpl = (args, ctx) => {
  arity(args, ctx, 2);
  const re = constString(args[1]!) !== undefined ? sqlString(constString(args[1]!)!) : text(args[1]!);
  return `regexp_matches(${text(args[0]!)}, ${re})`;
};

// ---- in / !in / in~ / !in~ ----------------------------------------------------------------------------

/** Constant lists longer than this become `IN (SELECT unnest([...]))`, which DuckDB hashes. */
const INLINE_IN_LIMIT = 16;

/** A constant list item (or element of a constant dynamic array) as a literal of the lhs type. */
function literalFor(v: unknown, lhs: KqlScalarType): string {
  if (v === null || v === undefined) return `CAST(NULL AS ${duckdbTypeOf[lhs === 'dynamic' ? 'string' : lhs]})`;
  if (isStringy(lhs) || lhs === 'dynamic') {
    const s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
    return sqlString(s);
  }
  if (typeof v === 'string') {
    if (lhs === 'datetime' || lhs === 'timespan' || lhs === 'bool') {
      const conv = lhs === 'datetime' ? toDatetimeSql : lhs === 'timespan' ? toTimespanSql : toBoolSql;
      return conv({ sql: sqlString(v), type: 'string' });
    }
    return `TRY_CAST(${sqlString(v)} AS ${duckdbTypeOf[lhs]})`;
  }
  if (typeof v === 'boolean') return lhs === 'bool' ? (v ? 'TRUE' : 'FALSE') : v ? '1' : '0';
  if (typeof v === 'number' || typeof v === 'bigint') {
    if (lhs === 'real' || lhs === 'decimal') return renderLiteral(Number(v), 'real');
    if (Number.isInteger(Number(v)) || typeof v === 'bigint') return renderLiteral(BigInt(v), lhs === 'int' ? 'int' : 'long');
    return renderLiteral(Number(v), 'real');
  }
  return sqlString(JSON.stringify(v));
}

function inList(ci: boolean, neg: boolean): ScalarFnImpl {
  return (args, ctx) => {
    if (args.length < 1) arity(args, ctx, 1);
    let lhs = args[0]!;
    const items = args.slice(1);
    // The comparison type: a dynamic lhs is read as the type of the first typed item (string by default).
    if (lhs.type === 'dynamic') {
      const t = items.find((i) => i.type !== 'dynamic')?.type ?? 'string';
      lhs = dynamicAs(lhs, t);
    }
    const ltype: KqlScalarType = ci ? 'string' : lhs.type;
    const stringy = isStringy(ltype);
    const lhsSql = stringy ? (ci ? `lower(${text(lhs)})` : text(lhs)) : lhs.sql;
    const lit = (sql: string) => (ci ? `lower(${sql})` : sql);
    const constants: string[] = [];
    const exprs: string[] = [];
    const dynLists: FnArg[] = [];
    for (const item of items) {
      const v = item.constant?.value;
      if (item.constant && item.type === 'dynamic' && Array.isArray(v)) {
        for (const el of v) if (el !== null) constants.push(lit(literalFor(el, ltype)));
      } else if (item.constant && item.type !== 'dynamic') {
        if (v !== null) constants.push(lit(stringy ? sqlString(typeof v === 'string' ? v : String(v)) : item.sql));
      } else if (item.type === 'dynamic') {
        dynLists.push(item);
      } else {
        exprs.push(lit(stringy ? text(item) : item.sql));
      }
    }
    const parts: string[] = [];
    if (constants.length > INLINE_IN_LIMIT && exprs.length === 0) {
      parts.push(`(${lhsSql} IN (SELECT unnest([${constants.join(', ')}])))`);
    } else if (constants.length + exprs.length > 0) {
      parts.push(`(${lhsSql} IN (${[...constants, ...exprs].join(', ')}))`);
    }
    for (const d of dynLists) {
      const elems = `kqla_json_texts(${d.sql})`;
      if (stringy) parts.push(`list_contains(${ci ? `list_transform(${elems}, lambda e: lower(e))` : elems}, ${lhsSql})`);
      else parts.push(`list_contains(list_transform(${elems}, lambda e: TRY_CAST(e AS ${duckdbTypeOf[ltype]})), ${lhsSql})`);
    }
    if (parts.length === 0) return neg ? 'TRUE' : 'FALSE';
    const any = parts.length === 1 ? `coalesce(${parts[0]}, FALSE)` : `(${parts.map((p) => `coalesce(${p}, FALSE)`).join(' OR ')})`;
    return neg ? `(NOT ${any})` : any;
  };
}

// ---- between -------------------------------------------------------------------------------------------

function between(neg: boolean): ScalarFnImpl {
  return (args, ctx) => {
    arity(args, ctx, 3);
    let [x, lo, hi] = args as [FnArg, FnArg, FnArg];
    // `datetime between (start .. timespan)`: the upper bound is start + span.
    if (lo.type === 'datetime' && hi.type === 'timespan') hi = withType(hi, `(${lo.sql} + to_microseconds(${hi.sql}))`, 'datetime');
    if (x.type === 'dynamic') x = dynamicAs(x, lo.type);
    const sql = `(${x.sql} BETWEEN ${lo.sql} AND ${hi.sql})`;
    return neg ? `(NOT ${sql})` : sql;
  };
}

// ---- term operators: has, hasprefix, hassuffix, has_any, has_all ------------------------------------------
//
// A Kusto term is a maximal run of ASCII alphanumerics. `x has n` holds when n occurs in x and, at each end
// of n that is alphanumeric, the neighbouring character of x is not (so a needle such as "/a.b?" must only
// match at term boundaries where it has letters or digits). Every alphanumeric run inside a needle is then a
// whole term of x — the basis of the tokenised fast path for long lists: split x into terms once, semi-join
// them with the needles' terms (DuckDB hashes the list), and confirm punctuated needles with a regex only on
// the rows that survive.

type TermMode = 'has' | 'prefix' | 'suffix';
const isAlnum = (c: string | undefined): boolean => c !== undefined && /^[A-Za-z0-9]$/.test(c);
const hasAlnum = (s: string): boolean => /[A-Za-z0-9]/.test(s);
const reEscape = (s: string): string => s.replace(/[\\^$.|?*+()[\]{}-]/g, (m) => '\\' + m);
const NOT_ALNUM = '[^A-Za-z0-9]';

/** Lists of constant needles at most this long are checked one by one (contains pre-filter + regex). */
const SMALL_NEEDLE_LIST = 4;
/** Alternatives per verification regex: RE2's DFA stays in budget (measured: 1000 in one regex is 4× slower). */
const REGEX_CHUNK = 200;

function termAlternative(n: string, mode: TermMode): string {
  const left = mode !== 'suffix' && isAlnum(n[0]);
  const right = mode !== 'prefix' && isAlnum(n[n.length - 1]);
  return `${left ? `(?:^|${NOT_ALNUM})` : ''}${reEscape(n)}${right ? `(?:$|${NOT_ALNUM})` : ''}`;
}

/** One constant needle: a cheap substring pre-filter, then the boundary regex. */
function termConst(hay: string, n: string, mode: TermMode, ci: boolean): string {
  const pre = ci ? `contains(lower(${hay}), lower(${sqlString(n)}))` : `contains(${hay}, ${sqlString(n)})`;
  if (!hasAlnum(n)) return pre; // no term boundaries apply: a plain substring match
  return `(${pre} AND regexp_matches(${hay}, ${sqlString((ci ? '(?i)' : '') + termAlternative(n, mode))}))`;
}

/** One run-time needle: the pattern is built per row by `kqla_term_re`. */
function termDynamic(hay: string, needle: string, mode: TermMode, ci: boolean): string {
  const pre = ci ? `contains(lower(${hay}), lower(${needle}))` : `contains(${hay}, ${needle})`;
  return `(${pre} AND regexp_matches(${hay}, kqla_term_re(${needle}, '${mode}', ${ci ? 'TRUE' : 'FALSE'})))`;
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

const tokensOf = (hay: string, ci: boolean): string =>
  ci ? `string_split_regex(lower(${hay}), '[^a-z0-9]+')` : `string_split_regex(${hay}, '${NOT_ALNUM}+')`;
const listLiteral = (xs: readonly string[]): string => `[${xs.map(sqlString).join(', ')}]`;
const tokenSubquery = (hay: string, ci: boolean): string => `(SELECT unnest(${tokensOf(hay, ci)}) AS tok) AS kqla_t`;

/** The longest term of a needle: the most selective one to look up. */
function anchorOf(n: string): string {
  let best = '';
  for (const t of n.split(/[^A-Za-z0-9]+/)) if (t.length > best.length) best = t;
  return best;
}

interface NeedleSet {
  readonly constants: string[];
  readonly scalars: string[];
  readonly lists: string[];
}

function collectNeedles(items: readonly FnArg[], ci: boolean): NeedleSet {
  const seen = new Set<string>();
  const set: NeedleSet = { constants: [], scalars: [], lists: [] };
  const add = (v: unknown) => {
    if (v === null || v === undefined) return;
    const s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
    const key = ci ? s.toLowerCase() : s;
    if (!seen.has(key)) {
      seen.add(key);
      set.constants.push(ci ? key : s);
    }
  };
  for (const item of items) {
    const v = item.constant?.value;
    if (item.constant && Array.isArray(v)) v.forEach(add);
    else if (item.constant) add(v);
    else if (item.type === 'dynamic') set.lists.push(item.sql);
    else set.scalars.push(text(item));
  }
  return set;
}

/** has_any over constant needles (lower-cased already when ci). */
function hasAnyConst(hay: string, needles: readonly string[], ci: boolean): string[] {
  if (needles.length <= SMALL_NEEDLE_LIST) return needles.map((n) => termConst(hay, n, 'has', ci));
  const words = needles.filter((n) => /^[A-Za-z0-9]+$/.test(n));
  const punct = needles.filter((n) => !hasAlnum(n));
  const mixed = needles.filter((n) => hasAlnum(n) && !/^[A-Za-z0-9]+$/.test(n));
  const parts: string[] = [];
  if (words.length > 0) {
    parts.push(`EXISTS (SELECT 1 FROM ${tokenSubquery(hay, ci)} WHERE kqla_t.tok IN (SELECT unnest(${listLiteral(words)})))`);
  }
  if (mixed.length > 0) {
    const anchors = [...new Set(mixed.map(anchorOf))];
    const regexes: string[] = [];
    for (let i = 0; i < mixed.length; i += REGEX_CHUNK) {
      const alts = mixed.slice(i, i + REGEX_CHUNK).map((n) => termAlternative(n, 'has'));
      regexes.push(`regexp_matches(${hay}, ${sqlString(`${ci ? '(?i)' : ''}(?:${alts.join('|')})`)})`);
    }
    const verify = regexes.length === 1 ? regexes[0]! : `(${regexes.join(' OR ')})`;
    parts.push(`(EXISTS (SELECT 1 FROM ${tokenSubquery(hay, ci)} WHERE kqla_t.tok IN (SELECT unnest(${listLiteral(anchors)}))) AND ${verify})`);
  }
  for (const n of punct) parts.push(termConst(hay, n, 'has', ci));
  return parts;
}

/** has_any over a run-time dynamic array: the same term semi-join, with needles and anchors computed in SQL. */
function hasAnyList(hay: string, list: string, ci: boolean): string {
  const lc = (x: string) => (ci ? `lower(${x})` : x);
  const needles = `(SELECT ${lc('unnest(kqla_json_texts(' + list + '))')} AS n) AS kqla_n`;
  const h = lc(hay);
  return (
    `(EXISTS (SELECT 1 FROM ${tokenSubquery(hay, ci)} JOIN (SELECT n, kqla_term_anchor(n) AS a FROM ${needles}) AS kqla_m ON kqla_t.tok = kqla_m.a` +
    ` WHERE kqla_m.n = kqla_m.a OR regexp_matches(${h}, kqla_term_re(kqla_m.n, 'has', FALSE)))` +
    ` OR EXISTS (SELECT 1 FROM ${needles} WHERE kqla_term_anchor(kqla_n.n) = '' AND contains(${h}, kqla_n.n)))`
  );
}

function hasAny(ci: boolean): ScalarFnImpl {
  return (args, ctx) => {
    arity(args, ctx, 1, Infinity);
    const hay = text(args[0]!);
    const set = collectNeedles(args.slice(1), ci);
    const parts = [
      ...hasAnyConst(hay, set.constants, ci),
      ...set.scalars.map((n) => termDynamic(hay, n, 'has', ci)),
      ...set.lists.map((l) => hasAnyList(hay, l, ci)),
    ];
    if (parts.length === 0) return 'FALSE';
    return parts.length === 1 ? parts[0]! : `(${parts.join(' OR ')})`;
  };
}

function hasAll(ci: boolean): ScalarFnImpl {
  return (args, ctx) => {
    arity(args, ctx, 1, Infinity);
    const hay = text(args[0]!);
    const set = collectNeedles(args.slice(1), ci);
    // AND of single-needle checks: DuckDB evaluates a conjunction on the rows that survived the previous
    // term, so the longest (usually rarest) needle goes first and the rest run on few rows. (A per-row
    // count-distinct over the terms was measured 30× slower.)
    const parts = [...set.constants].sort((x, y) => y.length - x.length).map((n) => termConst(hay, n, 'has', ci));
    for (const n of set.scalars) parts.push(termDynamic(hay, n, 'has', ci));
    const h = ci ? `lower(${hay})` : hay;
    for (const l of set.lists) {
      const n = ci ? `lower(unnest(kqla_json_texts(${l})))` : `unnest(kqla_json_texts(${l}))`;
      parts.push(`(NOT EXISTS (SELECT 1 FROM (SELECT ${n} AS n) AS kqla_n WHERE NOT regexp_matches(${h}, kqla_term_re(kqla_n.n, 'has', FALSE))))`);
    }
    if (parts.length === 0) return 'TRUE';
    return parts.length === 1 ? parts[0]! : `(${parts.join(' AND ')})`;
  };
}

function termFunctions(): Record<string, ScalarFnImpl> {
  return {
    has: termOp('has', true, false),
    '!has': termOp('has', true, true),
    has_cs: termOp('has', false, false),
    '!has_cs': termOp('has', false, true),
    hasprefix: termOp('prefix', true, false),
    '!hasprefix': termOp('prefix', true, true),
    hasprefix_cs: termOp('prefix', false, false),
    '!hasprefix_cs': termOp('prefix', false, true),
    hassuffix: termOp('suffix', true, false),
    '!hassuffix': termOp('suffix', true, true),
    hassuffix_cs: termOp('suffix', false, false),
    '!hassuffix_cs': termOp('suffix', false, true),
    has_any: hasAny(true),
    has_all: hasAll(true),
  };
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
  and: (args, ctx) => {
    arity(args, ctx, 2);
    return `(${args[0]!.sql} AND ${args[1]!.sql})`;
  },
  or: (args, ctx) => {
    arity(args, ctx, 2);
    return `(${args[0]!.sql} OR ${args[1]!.sql})`;
  },
  not: (args, ctx) => {
    arity(args, ctx, 1);
    const a = args[0]!;
    return `(NOT ${a.type === 'bool' ? a.sql : toBoolSql(a)})`;
  },
  neg: negate,
  '+': arithmetic('+'),
  '-': arithmetic('-'),
  '*': arithmetic('*'),
  '/': arithmetic('/'),
  '%': arithmetic('%'),

  contains: predicate(containsM, true, false),
  '!contains': predicate(containsM, true, true),
  contains_cs: predicate(containsM, false, false),
  '!contains_cs': predicate(containsM, false, true),
  startswith: predicate(startsM, true, false),
  '!startswith': predicate(startsM, true, true),
  startswith_cs: predicate(startsM, false, false),
  '!startswith_cs': predicate(startsM, false, true),
  endswith: predicate(endsM, true, false),
  '!endswith': predicate(endsM, true, true),
  endswith_cs: predicate(endsM, false, false),
  '!endswith_cs': predicate(endsM, false, true),
  'matches regex': matchesRegex,
  matches_regex: matchesRegex,

  in: inList(false, false),
  '!in': inList(false, true),
  'in~': inList(true, false),
  '!in~': inList(true, true),
  between: between(false),
  '!between': between(true),
  ...termFunctions(),
};
