/**
 * KQL datetime and timespan functions as DuckDB SQL. datetime = TIMESTAMP (µs, UTC), timespan = BIGINT µs.
 *
 * Argument convention for "now" (the compiler's side of the contract): the query's fixed "now" is
 * appended by the compiler as an extra, final `datetime` argument, so
 *   `now()` → args `[now]`, `now(offset)` → args `[offset, now]`, `ago(span)` → args `[span, now]`.
 * When that argument is missing the templates fall back to the connection clock (UTC), which is only
 * right for ad-hoc SQL: the compiler should always pass it so that a query sees one instant.
 *
 * Precision: Kusto keeps 100 ns ticks, we keep µs. `endofday` & co. are therefore `…:59.999999` (one µs
 * before the next period, not one tick), `nanosecond` parts are µs × 1000, and formatted 7-digit
 * fractions always end in 0.
 */
import type { FnArg, FnContext, ScalarFnImpl } from '../../dialect.js';
import { arity, castTo, constString, isNumeric, unsupported } from './functions-misc.js';
import { sqlString } from './literals.js';
import { formatPartsSql, parseKustoFormat, type FormatFields, type FormatKind, type FormatSql } from '../../kusto-format.js';

const US = { microsecond: 1n, millisecond: 1000n, second: 1_000_000n, minute: 60_000_000n, hour: 3_600_000_000n, day: 86_400_000_000n };

const nowFallback = `CAST(timezone('UTC', get_current_timestamp()) AS TIMESTAMP)`;

/** Splits the compiler-appended now argument from the user's arguments. */
function withNow(args: readonly FnArg[]): { user: readonly FnArg[]; now: string } {
  const last = args[args.length - 1];
  if (last && last.type === 'datetime') return { user: args.slice(0, -1), now: last.sql };
  return { user: args, now: nowFallback };
}

const us = (t: string) => `epoch_us(${t})`;
const intOf = (sql: string) => `CAST(${sql} AS INTEGER)`;

/** Kusto part names (case-insensitive, with the documented aliases) → canonical part. */
function partName(arg: FnArg | undefined, ctx: FnContext): string {
  const raw = constString(arg, ctx, 'the part name').toLowerCase().replace(/\s+/g, '');
  const aliases: Record<string, string> = {
    year: 'year', quarter: 'quarter', month: 'month', week: 'week', week_of_year: 'week_of_year',
    weekofyear: 'week_of_year', day: 'day', dayofyear: 'dayofyear', hour: 'hour', minute: 'minute',
    second: 'second', millisecond: 'millisecond', microsecond: 'microsecond', nanosecond: 'nanosecond',
  };
  const part = aliases[raw];
  if (!part) throw unsupported(ctx, `unknown part '${raw}'`, ['use Year, Quarter, Month, Week, Day, Hour, Minute, Second, Millisecond, Microsecond or Nanosecond']);
  return part;
}

function datetimeAdd(args: readonly FnArg[], ctx: FnContext): string {
  arity(args, ctx, 3);
  const part = partName(args[0], ctx);
  const n = args[1]!.sql;
  const t = args[2]!.sql;
  const months = (k: number) => `${t} + to_months(CAST((${n}) * ${k} AS INTEGER))`;
  switch (part) {
    case 'year': return `(${months(12)})`;
    case 'quarter': return `(${months(3)})`;
    case 'month': return `(${months(1)})`;
    case 'week': return `(${t} + to_days(CAST((${n}) * 7 AS INTEGER)))`;
    case 'nanosecond': return `(${t} + to_microseconds(CAST((${n}) // 1000 AS BIGINT)))`;
    default: {
      const unit = US[part as keyof typeof US];
      if (unit === undefined) throw unsupported(ctx, `cannot add '${part}'`);
      return `(${t} + to_microseconds(CAST(${n} AS BIGINT) * ${unit}))`;
    }
  }
}

/** Kusto counts period boundaries crossed between b and a (a - b), like calendar arithmetic. */
function datetimeDiff(args: readonly FnArg[], ctx: FnContext): string {
  arity(args, ctx, 3);
  const part = partName(args[0], ctx);
  const a = args[1]!.sql;
  const b = args[2]!.sql;
  switch (part) {
    case 'year': return `CAST(year(${a}) - year(${b}) AS BIGINT)`;
    case 'quarter': return `CAST((year(${a}) * 4 + quarter(${a})) - (year(${b}) * 4 + quarter(${b})) AS BIGINT)`;
    case 'month': return `CAST((year(${a}) * 12 + month(${a})) - (year(${b}) * 12 + month(${b})) AS BIGINT)`;
    case 'week': return `CAST((${us(`kql_startofweek(${a})`)} - ${us(`kql_startofweek(${b})`)}) // ${US.day * 7n} AS BIGINT)`;
    case 'nanosecond': return `((${us(a)} - ${us(b)}) * 1000)`;
    default: {
      const unit = US[part as keyof typeof US];
      if (unit === undefined) throw unsupported(ctx, `cannot diff '${part}'`);
      // floor(a/unit) - floor(b/unit) with floor semantics also before 1970.
      return `((kql_floor_mul(${us(a)}, ${unit}) - kql_floor_mul(${us(b)}, ${unit})) // ${unit})`;
    }
  }
}

function datetimePart(args: readonly FnArg[], ctx: FnContext): string {
  arity(args, ctx, 2);
  const part = partName(args[0], ctx);
  const t = args[1]!.sql;
  const frac = `(((${us(t)} % 1000000) + 1000000) % 1000000)`;
  switch (part) {
    case 'year': return intOf(`year(${t})`);
    case 'quarter': return intOf(`quarter(${t})`);
    case 'month': return intOf(`month(${t})`);
    case 'week': case 'week_of_year': return intOf(`weekofyear(${t})`);
    case 'day': return intOf(`day(${t})`);
    case 'dayofyear': return intOf(`dayofyear(${t})`);
    case 'hour': return intOf(`hour(${t})`);
    case 'minute': return intOf(`minute(${t})`);
    case 'second': return intOf(`second(${t})`);
    case 'millisecond': return intOf(`${frac} // 1000`);
    case 'microsecond': return intOf(frac);
    default: return intOf(`${frac} * 1000`);
  }
}

function bin(args: readonly FnArg[], ctx: FnContext): string {
  arity(args, ctx, 2);
  const [v, step] = [args[0]!, args[1]!];
  if (v.type === 'datetime') {
    if (step.type !== 'timespan') throw unsupported(ctx, 'a datetime is binned by a timespan');
    return `kql_bin_datetime(${v.sql}, ${step.sql})`;
  }
  if (v.type === 'timespan' || ((v.type === 'long' || v.type === 'int') && (step.type === 'long' || step.type === 'int' || step.type === 'timespan'))) {
    return castTo(`kql_floor_mul(CAST(${v.sql} AS BIGINT), CAST(${step.sql} AS BIGINT))`, ctx.resultType);
  }
  if (isNumeric(v.type)) return castTo(`kql_bin_real(CAST(${v.sql} AS DOUBLE), CAST(${step.sql} AS DOUBLE))`, ctx.resultType);
  throw unsupported(ctx, `cannot bin a ${v.type}`);
}

function binAt(args: readonly FnArg[], ctx: FnContext): string {
  arity(args, ctx, 3);
  const [v, step, fixed] = [args[0]!, args[1]!, args[2]!];
  if (v.type === 'datetime') return `kql_bin_at_datetime(${v.sql}, ${step.sql}, ${fixed.sql})`;
  if (v.type === 'timespan' || v.type === 'long' || v.type === 'int') {
    return castTo(`(${fixed.sql} + kql_floor_mul(CAST(${v.sql} AS BIGINT) - ${fixed.sql}, CAST(${step.sql} AS BIGINT)))`, ctx.resultType);
  }
  return castTo(`(${fixed.sql} + kql_bin_real(CAST(${v.sql} AS DOUBLE) - ${fixed.sql}, CAST(${step.sql} AS DOUBLE)))`, ctx.resultType);
}

type Period = 'day' | 'week' | 'month' | 'year';
const periodStart: Record<Period, (t: string, off: string) => string> = {
  day: (t, off) => `(date_trunc('day', ${t}) + to_days(${off}))`,
  week: (t, off) => `(kql_startofweek(${t}) + to_days(7 * ${off}))`,
  month: (t, off) => `(date_trunc('month', ${t}) + to_months(${off}))`,
  year: (t, off) => `(date_trunc('year', ${t}) + to_years(${off}))`,
};
const startOf = (p: Period): ScalarFnImpl => (args, ctx) => {
  arity(args, ctx, 1, 2);
  return periodStart[p](args[0]!.sql, args[1] ? intOf(args[1].sql) : '0');
};
const endOf = (p: Period): ScalarFnImpl => (args, ctx) => {
  arity(args, ctx, 1, 2);
  const off = args[1] ? `(${intOf(args[1].sql)} + 1)` : '1';
  return `(${periodStart[p](args[0]!.sql, off)} - INTERVAL 1 MICROSECOND)`;
};

// ---- format_datetime / format_timespan: the format is parsed at compile time ----------------------

type Fields = FormatFields;

const pad = (sql: string, n: number) => (n <= 1 ? `CAST(${sql} AS VARCHAR)` : `lpad(CAST(${sql} AS VARCHAR), ${n}, '0')`);

const formatSql: FormatSql = {
  literal: sqlString,
  pad,
  prefix: (sql, n, trimZeros) => (trimZeros ? `rtrim(left(${sql}, ${n}), '0')` : `left(${sql}, ${n})`),
  iff: (cond, a, b) => `CASE WHEN ${cond} THEN ${a} ELSE ${b} END`,
};

/** A Kusto format string (`sql/kusto-format.ts`) as a `||` chain over the fields. */
function renderFormat(format: string, f: Fields, ctx: FnContext, kind: FormatKind): string {
  const parts = parseKustoFormat(format, kind, (run) => unsupported(ctx, `format element '${run}' is not supported`));
  return parts.length === 0 ? `''` : formatPartsSql(parts, f, formatSql).join(' || ');
}

function formatDatetime(args: readonly FnArg[], ctx: FnContext): string {
  arity(args, ctx, 2);
  const format = constString(args[1], ctx, 'the format');
  const f: Fields = {
    year: 'year(d)', month: 'month(d)', day: 'day(d)', hour24: 'hour(d)', minute: 'minute(d)',
    second: 'second(d)', frac7: 'kql_frac7(epoch_us(d))', days: '0',
  };
  return `list_transform([${args[0]!.sql}], lambda d: CASE WHEN d IS NOT NULL THEN ${renderFormat(format, f, ctx, 'datetime')} END)[1]`;
}

function formatTimespan(args: readonly FnArg[], ctx: FnContext): string {
  arity(args, ctx, 2);
  const format = constString(args[1], ctx, 'the format');
  const f: Fields = {
    year: '0', month: '0', day: '0', days: '(abs(s) // 86400000000)', hour24: '((abs(s) // 3600000000) % 24)',
    minute: '((abs(s) // 60000000) % 60)', second: '((abs(s) // 1000000) % 60)', frac7: 'kql_frac7(abs(s))',
  };
  // A negative timespan is written with a leading '-' (our choice; Kusto's docs show no negative example).
  return `list_transform([CAST(${args[0]!.sql} AS BIGINT)], lambda s: CASE WHEN s IS NOT NULL THEN
    (CASE WHEN s < 0 THEN '-' ELSE '' END) || ${renderFormat(format, f, ctx, 'timespan')} END)[1]`;
}

const fromUnix = (unitUs: string): ScalarFnImpl => (args, ctx) => {
  arity(args, ctx, 1);
  return `try(make_timestamp(CAST(round(CAST(${args[0]!.sql} AS DOUBLE) * ${unitUs}) AS BIGINT)))`;
};

export const datetimeFunctions: Record<string, ScalarFnImpl> = {
  now: (args, ctx) => {
    const { user, now } = withNow(args);
    arity(user, ctx, 0, 1);
    return user[0] ? `(${now} + to_microseconds(CAST(${user[0].sql} AS BIGINT)))` : now;
  },
  ago: (args, ctx) => {
    const { user, now } = withNow(args);
    arity(user, ctx, 1);
    return `(${now} - to_microseconds(CAST(${user[0]!.sql} AS BIGINT)))`;
  },
  bin,
  floor: (args, ctx) => {
    if (args.length === 1) return castTo(`floor(${args[0]!.sql})`, ctx.resultType);
    return bin(args, ctx);
  },
  bin_at: binAt,
  startofday: startOf('day'), startofweek: startOf('week'), startofmonth: startOf('month'), startofyear: startOf('year'),
  endofday: endOf('day'), endofweek: endOf('week'), endofmonth: endOf('month'), endofyear: endOf('year'),
  datetime_add: datetimeAdd,
  datetime_diff: datetimeDiff,
  datetime_part: datetimePart,
  datepart: datetimePart,
  dayofweek: (args, ctx) => { arity(args, ctx, 1); return `(CAST(dayofweek(${args[0]!.sql}) AS BIGINT) * ${US.day})`; },
  dayofmonth: (args, ctx) => { arity(args, ctx, 1); return intOf(`day(${args[0]!.sql})`); },
  dayofyear: (args, ctx) => { arity(args, ctx, 1); return intOf(`dayofyear(${args[0]!.sql})`); },
  hourofday: (args, ctx) => { arity(args, ctx, 1); return intOf(`hour(${args[0]!.sql})`); },
  getyear: (args, ctx) => { arity(args, ctx, 1); return intOf(`year(${args[0]!.sql})`); },
  getmonth: (args, ctx) => { arity(args, ctx, 1); return intOf(`month(${args[0]!.sql})`); },
  monthofyear: (args, ctx) => { arity(args, ctx, 1); return intOf(`month(${args[0]!.sql})`); },
  // ISO 8601 week number, as Kusto documents for week_of_year.
  weekofyear: (args, ctx) => { arity(args, ctx, 1); return intOf(`weekofyear(${args[0]!.sql})`); },
  week_of_year: (args, ctx) => { arity(args, ctx, 1); return intOf(`weekofyear(${args[0]!.sql})`); },
  format_datetime: formatDatetime,
  format_timespan: formatTimespan,
  make_datetime: (args, ctx) => {
    arity(args, ctx, 3, 6);
    const a = args.map((x) => x.sql);
    const secs = a[5] !== undefined ? `CAST(${a[5]} AS DOUBLE)` : '0';
    // Invalid dates (2023-02-30) give null, as in Kusto.
    return `try(make_timestamp(CAST(${a[0]} AS BIGINT), CAST(${a[1]} AS BIGINT), CAST(${a[2]} AS BIGINT), CAST(${a[3] ?? 0} AS BIGINT), CAST(${a[4] ?? 0} AS BIGINT), ${secs}))`;
  },
  // make_timespan(h, m) / (h, m, s) / (d, h, m, s); seconds may be fractional.
  make_timespan: (args, ctx) => {
    arity(args, ctx, 2, 4);
    const a = args.map((x) => `CAST(${x.sql} AS DOUBLE)`);
    const [d, h, m, s] = args.length === 4 ? a : ['0', a[0]!, a[1]!, a[2] ?? '0'];
    return `CAST(round((((${d}) * 24 + (${h})) * 60 + (${m})) * 60000000 + (${s}) * 1000000) AS BIGINT)`;
  },
  unixtime_seconds_todatetime: fromUnix('1000000'),
  unixtime_milliseconds_todatetime: fromUnix('1000'),
  unixtime_microseconds_todatetime: fromUnix('1'),
  unixtime_nanoseconds_todatetime: fromUnix('0.001'),
};
