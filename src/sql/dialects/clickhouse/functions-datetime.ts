/**
 * KQL datetime functions beyond the basics in `functions.ts`, as ClickHouse SQL: `ago`, `datetime_diff`,
 * `datetime_part`, `format_datetime` and `format_timespan` (formats parsed at compile time).
 * datetime = DateTime64(6, 'UTC'), timespan = Int64 µs. The compiler appends the query's fixed "now" as a
 * final datetime argument of `ago(span)` (see the DuckDB dialect for the contract).
 * Precision is µs: formatted 7-digit fractions end in 0, as on DuckDB.
 */
import { QuarryError } from '../../../core/errors.js';
import type { FnArg, FnContext, ScalarFnImpl } from '../../dialect.js';
import { sqlString } from './literals.js';
import { formatPartsSql, parseKustoFormat, type FormatFields, type FormatKind, type FormatSql } from '../../kusto-format.js';

const US: Record<string, bigint> = { microsecond: 1n, millisecond: 1000n, second: 1_000_000n, minute: 60_000_000n, hour: 3_600_000_000n, day: 86_400_000_000n };
const us = (d: string): string => `toUnixTimestamp64Micro(${d})`;
const dt = (u: string): string => `fromUnixTimestamp64Micro(${u}, 'UTC')`;
const unsupported = (ctx: FnContext, why: string) => new QuarryError('kql/unsupported', `${ctx.name}(): ${why} (clickhouse)`);

function arity(args: readonly FnArg[], ctx: FnContext, min: number, max = min): void {
  if (args.length < min || args.length > max) throw new QuarryError('kql/semantic-error', `${ctx.name}() got ${args.length} argument(s)`);
}

function constString(a: FnArg | undefined, ctx: FnContext, what: string): string {
  const v = a?.constant?.value;
  if (typeof v !== 'string') throw new QuarryError('kql/semantic-error', `${ctx.name}(): ${what} must be a constant string`);
  return v;
}

/** Kusto part names (case-insensitive, with the documented aliases) → canonical part. */
function partName(arg: FnArg | undefined, ctx: FnContext): string {
  const raw = constString(arg, ctx, 'the part name').toLowerCase().replace(/\s+/g, '');
  const aliases: Record<string, string> = {
    year: 'year', quarter: 'quarter', month: 'month', week: 'week', week_of_year: 'week_of_year', weekofyear: 'week_of_year',
    day: 'day', dayofyear: 'dayofyear', hour: 'hour', minute: 'minute', second: 'second', millisecond: 'millisecond',
    microsecond: 'microsecond', nanosecond: 'nanosecond',
  };
  const part = aliases[raw];
  if (!part) throw unsupported(ctx, `unknown part '${raw}'`);
  return part;
}

/** Floor of v to a multiple of step, also below zero. */
const floorMul = (v: string, step: string): string => `(${v} - (((${v}) % (${step})) + (${step})) % (${step}))`;
const weekStart = (d: string): string => us(`toDateTime64(toStartOfWeek(${d}, 0), 6, 'UTC')`);

/** Kusto counts period boundaries crossed between b and a (a - b), like calendar arithmetic. */
function datetimeDiff(args: readonly FnArg[], ctx: FnContext): string {
  arity(args, ctx, 3);
  const part = partName(args[0], ctx);
  const [a, b] = [args[1]!.sql, args[2]!.sql];
  switch (part) {
    case 'year': return `toInt64(toYear(${a}) - toYear(${b}))`;
    case 'quarter': return `toInt64((toYear(${a}) * 4 + toQuarter(${a})) - (toYear(${b}) * 4 + toQuarter(${b})))`;
    case 'month': return `toInt64((toYear(${a}) * 12 + toMonth(${a})) - (toYear(${b}) * 12 + toMonth(${b})))`;
    case 'week': case 'week_of_year': return `intDiv(${weekStart(a)} - ${weekStart(b)}, ${US.day! * 7n})`;
    case 'nanosecond': return `((${us(a)} - ${us(b)}) * 1000)`;
    default: {
      const unit = US[part];
      if (unit === undefined) throw unsupported(ctx, `cannot diff '${part}'`);
      return `intDiv(${floorMul(us(a), String(unit))} - ${floorMul(us(b), String(unit))}, ${unit})`;
    }
  }
}

function datetimePart(args: readonly FnArg[], ctx: FnContext): string {
  arity(args, ctx, 2);
  const part = partName(args[0], ctx);
  const t = args[1]!.sql;
  const frac = `(((${us(t)} % 1000000) + 1000000) % 1000000)`;
  const fns: Record<string, string> = {
    year: 'toYear', quarter: 'toQuarter', month: 'toMonth', week: 'toISOWeek', week_of_year: 'toISOWeek', day: 'toDayOfMonth',
    dayofyear: 'toDayOfYear', hour: 'toHour', minute: 'toMinute', second: 'toSecond',
  };
  if (fns[part]) return `toInt32(${fns[part]}(${t}))`;
  if (part === 'millisecond') return `toInt32(intDiv(${frac}, 1000))`;
  if (part === 'microsecond') return `toInt32(${frac})`;
  return `toInt32(${frac} * 1000)`;
}

type Fields = FormatFields;

const pad = (sql: string, n: number): string => (n <= 1 ? `toString(${sql})` : `leftPad(toString(${sql}), ${n}, '0')`);
const frac7 = (u: string): string => `concat(leftPad(toString(((${u}) % 1000000 + 1000000) % 1000000), 6, '0'), '0')`;
const formatSql: FormatSql = {
  literal: sqlString,
  pad,
  prefix: (sql, n, trimZeros) => (trimZeros ? `trim(TRAILING '0' FROM substring(${sql}, 1, ${n}))` : `substring(${sql}, 1, ${n})`),
  iff: (cond, a, b) => `if(${cond}, ${a}, ${b})`,
};

/** A Kusto format string (`sql/kusto-format.ts`) as a ClickHouse `concat(...)` over the fields. */
function renderFormat(format: string, f: Fields, ctx: FnContext, kind: FormatKind): string {
  const parts = formatPartsSql(parseKustoFormat(format, kind, (run) => unsupported(ctx, `format element '${run}' is not supported`)), f, formatSql);
  if (parts.length === 0) return "''";
  return parts.length === 1 ? `concat(${parts[0]}, '')` : `concat(${parts.join(', ')})`;
}

function formatDatetime(args: readonly FnArg[], ctx: FnContext): string {
  arity(args, ctx, 2);
  const format = constString(args[1], ctx, 'the format');
  const f: Fields = {
    year: 'toYear(__d)', month: 'toMonth(__d)', day: 'toDayOfMonth(__d)', hour24: 'toHour(__d)', minute: 'toMinute(__d)',
    second: 'toSecond(__d)', frac7: frac7(us('__d')), days: '0',
  };
  return `arrayMap(__d -> if(__d IS NULL, NULL, ${renderFormat(format, f, ctx, 'datetime')}), [${args[0]!.sql}])[1]`;
}

function formatTimespan(args: readonly FnArg[], ctx: FnContext): string {
  arity(args, ctx, 2);
  const format = constString(args[1], ctx, 'the format');
  const f: Fields = {
    year: '0', month: '0', day: '0', days: 'intDiv(abs(__s), 86400000000)', hour24: '(intDiv(abs(__s), 3600000000) % 24)',
    minute: '(intDiv(abs(__s), 60000000) % 60)', second: '(intDiv(abs(__s), 1000000) % 60)', frac7: frac7('abs(__s)'),
  };
  // A negative timespan is written with a leading '-' (as the DuckDB dialect does).
  return `arrayMap(__s -> if(__s IS NULL, NULL, concat(if(__s < 0, '-', ''), ${renderFormat(format, f, ctx, 'timespan')})), [toInt64(${args[0]!.sql})])[1]`;
}

export const datetimeFunctions: Record<string, ScalarFnImpl> = {
  ago: (args, ctx) => {
    const last = args[args.length - 1];
    const hasNow = args.length === 2 && last?.type === 'datetime';
    arity(hasNow ? args.slice(0, 1) : args, ctx, 1);
    const now = hasNow ? last.sql : 'now64(6)';
    return dt(`${us(now)} - toInt64(${args[0]!.sql})`);
  },
  datetime_diff: datetimeDiff,
  datetime_part: datetimePart,
  datepart: datetimePart,
  format_datetime: formatDatetime,
  format_timespan: formatTimespan,
};
