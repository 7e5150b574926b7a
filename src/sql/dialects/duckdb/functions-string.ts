/**
 * KQL string functions as DuckDB SQL. Strings are VARCHAR that may be NULL internally and read as "";
 * non-string arguments are converted with Kusto's `tostring` rules first (as Kusto "forcibly casts").
 * Regexes are RE2 in both Kusto and DuckDB, so patterns pass through unchanged.
 */
import { QuarryError } from '../../../core/errors.js';
import type { FnArg, FnContext, ScalarFnImpl } from '../../dialect.js';
import { convertTo, toLongSql, toStringNullable, toStringSql } from './functions-convert.js';
import { sqlString } from './literals.js';

function arity(args: readonly FnArg[], ctx: FnContext, min: number, max = min): void {
  if (args.length < min || args.length > max) {
    const want = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    throw new QuarryError('kql/semantic-error', `${ctx.name}() takes ${want} argument(s), got ${args.length}`);
  }
}

/** Text of an argument, never NULL. */
const str = toStringSql;
/** An integer argument as BIGINT SQL. */
const int = (a: FnArg): string => (a.type === 'long' || a.type === 'int' ? a.sql : toLongSql(a));
const constStr = (a: FnArg | undefined): string | undefined =>
  a?.constant && typeof a.constant.value === 'string' ? a.constant.value : undefined;
const constInt = (a: FnArg | undefined): number | undefined => {
  const v = a?.constant?.value;
  return typeof v === 'bigint' || typeof v === 'number' ? Number(v) : undefined;
};

/** A regex argument: constant patterns are inlined as literals, others pass as SQL. */
const regexSql = (a: FnArg): string => (constStr(a) !== undefined ? sqlString(constStr(a)!) : str(a));

/** `trim`-family pattern: the regex repeated at the start and/or the end. */
function trimRegex(re: FnArg, start: boolean, end: boolean): string {
  const c = constStr(re);
  const parts: string[] = [];
  if (c !== undefined) {
    if (start) parts.push(`^(?:${c})+`);
    if (end) parts.push(`(?:${c})+$`);
    return sqlString(parts.join('|'));
  }
  const r = str(re);
  if (start) parts.push(`'^(?:' || ${r} || ')+'`);
  if (end) parts.push(`'(?:' || ${r} || ')+$'`);
  return parts.join(` || '|' || `);
}

/** Number of capture groups in a RE2 pattern (named groups count; `(?:…)`, escapes and classes do not). */
export function captureGroups(re: string): { count: number; names: Map<string, number> } {
  let count = 0;
  const names = new Map<string, number>();
  let inClass = false;
  for (let i = 0; i < re.length; i++) {
    const ch = re[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      if (re[i + 1] === ']') i++;
      else if (re[i + 1] === '^' && re[i + 2] === ']') i += 2;
      continue;
    }
    if (ch !== '(') continue;
    if (re[i + 1] !== '?') {
      count++;
      continue;
    }
    const named = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(re.slice(i));
    if (named) {
      count++;
      names.set(named[1]!, count);
    }
  }
  return { count, names };
}

function extractAll(args: readonly FnArg[], ctx: FnContext): string {
  arity(args, ctx, 2, 3);
  const re = args[0]!;
  const source = str(args[args.length - 1]!);
  const pattern = constStr(re);
  if (pattern === undefined) {
    throw new QuarryError('kql/unsupported', 'extract_all() needs a constant regular expression', {
      hints: ['Write the pattern as a string literal or a let-bound constant.'],
    });
  }
  const { count, names } = captureGroups(pattern);
  let groups: number[];
  if (args.length === 3) {
    const sel = args[1]!.constant?.value;
    if (!Array.isArray(sel)) {
      throw new QuarryError('kql/unsupported', 'extract_all() capture groups must be a constant dynamic array');
    }
    groups = sel.map((g: unknown) => {
      if (typeof g === 'string') {
        const n = names.get(g);
        if (n === undefined) throw new QuarryError('kql/semantic-error', `extract_all(): the regex has no capture group named '${g}'`);
        return n;
      }
      const n = Number(g);
      if (!Number.isInteger(n) || n < 1 || n > count) {
        throw new QuarryError('kql/semantic-error', `extract_all(): capture group ${String(g)} is out of range 1..${count}`);
      }
      return n;
    });
  } else {
    groups = count === 0 ? [0] : Array.from({ length: count }, (_, i) => i + 1);
  }
  const re$ = sqlString(pattern);
  const lists = groups.map((g) => `regexp_extract_all(${source}, ${re$}, ${g})`);
  // No match → null, as Kusto returns.
  if (lists.length === 1) return `CASE WHEN len(${lists[0]}) > 0 THEN to_json(${lists[0]}) END`;
  const rows = `list_transform(range(1, len(${lists[0]}) + 1), lambda i: [${lists.map((l) => `${l}[i]`).join(', ')}])`;
  return `CASE WHEN len(${lists[0]}) > 0 THEN to_json(${rows}) END`;
}

function extract(args: readonly FnArg[], ctx: FnContext): string {
  arity(args, ctx, 3, 4);
  const group = constInt(args[1]);
  if (group === undefined) throw new QuarryError('kql/unsupported', 'extract() needs a constant capture group number');
  const re = regexSql(args[0]!);
  const source = str(args[2]!);
  const text = `CASE WHEN regexp_matches(${source}, ${re}) THEN regexp_extract(${source}, ${re}, ${group}) END`;
  const target = ctx.resultType;
  if (target === 'string') return `coalesce(${text}, '')`;
  return convertTo({ sql: text, type: 'string' }, target);
}

function countof(args: readonly FnArg[], ctx: FnContext): string {
  arity(args, ctx, 2, 3);
  const kind = args.length === 3 ? constStr(args[2]) : 'normal';
  const s = str(args[0]!);
  if (kind === 'regex') return `CAST(len(regexp_extract_all(${s}, ${regexSql(args[1]!)})) AS BIGINT)`;
  if (kind !== 'normal') throw new QuarryError('kql/semantic-error', `countof(): kind must be "normal" or "regex", got ${String(kind)}`);
  const needle = constStr(args[1]);
  // A needle with no proper border (no prefix equal to a suffix) cannot overlap itself, so the cheap
  // non-overlapping count is exact; otherwise count every starting position.
  if (needle !== undefined && needle.length > 0 && !hasBorder(needle)) {
    const n = sqlString(needle);
    return `CAST((length(${s}) - length(replace(${s}, ${n}, ''))) // ${[...needle].length} AS BIGINT)`;
  }
  return `CAST(kqla_countof(${s}, ${str(args[1]!)}) AS BIGINT)`;
}

function hasBorder(s: string): boolean {
  const cps = [...s];
  for (let k = 1; k < cps.length; k++) {
    if (cps.slice(0, k).join('') === cps.slice(cps.length - k).join('')) return true;
  }
  return false;
}

function indexof(args: readonly FnArg[], ctx: FnContext): string {
  arity(args, ctx, 2, 5);
  const s = str(args[0]!);
  const m = str(args[1]!);
  if (args.length === 2) return `CAST(strpos(${s}, ${m}) - 1 AS BIGINT)`;
  const st = int(args[2]!);
  const ln = args[3] ? int(args[3]) : '-1';
  const occ = args[4] ? int(args[4]) : '1';
  return `CAST(kqla_indexof(${s}, ${m}, ${st}, ${ln}, ${occ}) AS BIGINT)`;
}

function split(args: readonly FnArg[], ctx: FnContext): string {
  arity(args, ctx, 2, 3);
  const parts = `string_split(${str(args[0]!)}, ${str(args[1]!)})`;
  if (args.length === 2) return `to_json(${parts})`;
  const i = int(args[2]!);
  return `to_json(CASE WHEN ${i} >= 0 AND ${i} < len(${parts}) THEN [${parts}[${i} + 1]] ELSE []::VARCHAR[] END)`;
}

function makeString(args: readonly FnArg[], ctx: FnContext): string {
  arity(args, ctx, 1, 64);
  const parts = args.map((a) =>
    a.type === 'dynamic'
      ? `coalesce(array_to_string(list_transform(CAST(json_extract_string(${a.sql}, '$[*]') AS BIGINT[]), lambda c: chr(CAST(c AS INTEGER))), ''), '')`
      : `coalesce(chr(CAST(${int(a)} AS INTEGER)), '')`,
  );
  return parts.length === 1 ? parts[0]! : `concat(${parts.join(', ')})`;
}

const isEmpty = (a: FnArg): string => {
  if (a.type === 'string') return `(${a.sql} IS NULL OR ${a.sql} = '')`;
  if (a.type === 'dynamic') return `(${a.sql} IS NULL OR json_type(${a.sql}) = 'NULL' OR (json_type(${a.sql}) = 'VARCHAR' AND (${a.sql} ->> '$') = ''))`;
  return `(${a.sql} IS NULL)`;
};
const isNull = (a: FnArg): string => {
  if (a.type === 'string') return 'FALSE'; // Kusto strings are never null (a guid can be)
  if (a.type === 'dynamic') return `(${a.sql} IS NULL OR json_type(${a.sql}) = 'NULL')`;
  return `(${a.sql} IS NULL)`;
};

const unary = (f: (a: FnArg) => string): ScalarFnImpl => (args, ctx) => {
  arity(args, ctx, 1);
  return f(args[0]!);
};

export const stringFunctions: Record<string, ScalarFnImpl> = {
  strlen: unary((a) => `CAST(length(${str(a)}) AS BIGINT)`),
  string_size: unary((a) => `CAST(strlen(${str(a)}) AS BIGINT)`),
  tolower: unary((a) => `lower(${str(a)})`),
  toupper: unary((a) => `upper(${str(a)})`),
  reverse: unary((a) => `reverse(${str(a)})`),
  isascii: unary((a) => `(strlen(${str(a)}) = length(${str(a)}))`),
  isempty: unary(isEmpty),
  isnotempty: unary((a) => `(NOT ${isEmpty(a)})`),
  notempty: unary((a) => `(NOT ${isEmpty(a)})`),
  isnull: unary(isNull),
  isnotnull: unary((a) => `(NOT ${isNull(a)})`),
  notnull: unary((a) => `(NOT ${isNull(a)})`),

  substring: (args, ctx) => {
    arity(args, ctx, 2, 3);
    return `kqla_substring(${toStringNullable(args[0]!)}, ${int(args[1]!)}, ${args[2] ? int(args[2]) : 'NULL'})`;
  },
  indexof,
  split,
  strcat: (args, ctx) => {
    arity(args, ctx, 1, 64);
    // concat() treats NULL as '' — exactly Kusto's empty-string reading.
    return args.length === 1 ? str(args[0]!) : `concat(${args.map(toStringNullable).join(', ')})`;
  },
  strcat_delim: (args, ctx) => {
    arity(args, ctx, 3, 65);
    // concat_ws skips NULLs, Kusto keeps empty strings: coalesce every part.
    return `concat_ws(${str(args[0]!)}, ${args.slice(1).map(str).join(', ')})`;
  },
  strcat_array: (args, ctx) => {
    arity(args, ctx, 2);
    return `coalesce(array_to_string(list_transform(json_extract(${args[0]!.sql}, '$[*]'), lambda e: coalesce(kqla_dyn_str(e), '')), ${str(args[1]!)}), '')`;
  },
  strrep: (args, ctx) => {
    arity(args, ctx, 2, 3);
    const v = str(args[0]!);
    const n = `least(${int(args[1]!)}, 1024)`;
    const d = args[2] ? str(args[2]) : `''`;
    return `(CASE WHEN ${n} >= 1 THEN repeat(${v} || ${d}, ${n} - 1) || ${v} ELSE '' END)`;
  },
  trim: (args, ctx) => {
    arity(args, ctx, 2);
    return `regexp_replace(${str(args[1]!)}, ${trimRegex(args[0]!, true, true)}, '', 'g')`;
  },
  trim_start: (args, ctx) => {
    arity(args, ctx, 2);
    return `regexp_replace(${str(args[1]!)}, ${trimRegex(args[0]!, true, false)}, '')`;
  },
  trim_end: (args, ctx) => {
    arity(args, ctx, 2);
    return `regexp_replace(${str(args[1]!)}, ${trimRegex(args[0]!, false, true)}, '')`;
  },
  replace_string: (args, ctx) => {
    arity(args, ctx, 3);
    const lookup = str(args[1]!);
    // An empty lookup would make DuckDB's replace() a no-op too; keep it explicit.
    return `(CASE WHEN ${lookup} = '' THEN ${str(args[0]!)} ELSE replace(${str(args[0]!)}, ${lookup}, ${str(args[2]!)}) END)`;
  },
  replace_regex: (args, ctx) => {
    arity(args, ctx, 3);
    return `regexp_replace(${str(args[0]!)}, ${regexSql(args[1]!)}, ${str(args[2]!)}, 'g')`;
  },
  // Legacy replace(regex, rewrite, text): same as replace_regex with the text last.
  replace: (args, ctx) => {
    arity(args, ctx, 3);
    return `regexp_replace(${str(args[2]!)}, ${regexSql(args[0]!)}, ${str(args[1]!)}, 'g')`;
  },
  translate: (args, ctx) => {
    arity(args, ctx, 3);
    return `kqla_translate(${str(args[0]!)}, ${str(args[1]!)}, ${str(args[2]!)})`;
  },
  extract,
  extract_all: extractAll,
  extractall: extractAll,
  countof,
  url_encode: unary((a) => `kqla_url_encode(${str(a)})`),
  // HttpUtility.UrlDecode semantics: '+' is a space; invalid escapes are kept as they are.
  url_decode: unary((a) => `url_decode(replace(${str(a)}, '+', ' '))`),
  parse_command_line: (args, ctx) => {
    arity(args, ctx, 1, 2);
    const kind = args[1] ? constStr(args[1]) : 'windows';
    if (kind === undefined || kind.toLowerCase() !== 'windows') {
      throw new QuarryError('kql/semantic-error', 'parse_command_line(): the only supported parser type is "windows"');
    }
    return `kqla_parse_cmdline(${str(args[0]!)})`;
  },
  make_string: makeString,
};
