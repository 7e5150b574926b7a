/**
 * Kusto's custom date-time / timespan format strings (`format_datetime`, `format_timespan`) as plain data: the
 * format is split into runs of one character and each run becomes a field with its width, a fraction, an AM/PM
 * marker or literal text. Dialects render the parts with their own SQL (`functions-datetime.ts` of each); the
 * rules of what is allowed live here once. Documented elements: d/dd (days of a timespan: any width), f…fffffff,
 * F…FFFFFFF, h/hh, H/HH, m/mm, s/ss, M/MM, y…yyyy, t/tt; delimiters ` /-:,._[]` and other non-letters are literal.
 */
export type FormatKind = 'datetime' | 'timespan';

export type FormatPart =
  | { readonly k: 'field'; readonly field: 'days' | 'day' | 'hour24' | 'hour12' | 'minute' | 'second' | 'month' | 'year2' | 'year'; readonly width: number }
  | { readonly k: 'fraction'; readonly digits: number; readonly trimZeros: boolean }
  | { readonly k: 'ampm'; readonly letters: 1 | 2 }
  | { readonly k: 'literal'; readonly text: string };

const delimiters = new Set([' ', '/', '-', ':', ',', '.', '_', '[', ']']);

/** Splits `format`; `bad(run)` builds the error for an element that is not supported (it is thrown). */
export function parseKustoFormat(format: string, kind: FormatKind, bad: (run: string) => Error): FormatPart[] {
  const parts: FormatPart[] = [];
  let i = 0;
  while (i < format.length) {
    const c = format[i]!;
    let n = 1;
    while (format[i + n] === c) n++;
    i += n;
    const fail = () => bad(c.repeat(n));
    const field = (f: Extract<FormatPart, { k: 'field' }>['field'], width = n, max = 2) => {
      if (n > max) throw fail();
      parts.push({ k: 'field', field: f, width });
    };
    switch (c) {
      case 'd':
        if (kind === 'timespan') field('days', n, Infinity);
        else field('day');
        break;
      case 'f':
      case 'F':
        if (n > 7) throw fail();
        parts.push({ k: 'fraction', digits: n, trimZeros: c === 'F' });
        break;
      case 'H':
        field('hour24');
        break;
      case 'h':
        // Timespans have no 12-hour clock: Kusto's own example formats 'h' as the hour of the day.
        field(kind === 'timespan' ? 'hour24' : 'hour12');
        break;
      case 'm':
        field('minute');
        break;
      case 's':
        field('second');
        break;
      case 'M':
        if (kind === 'timespan') throw fail();
        field('month');
        break;
      case 'y':
        if (kind === 'timespan') throw fail();
        if (n <= 2) field('year2');
        else field('year', Math.max(n, 4), Infinity);
        break;
      case 't':
        if (kind === 'timespan' || n > 2) throw fail();
        parts.push({ k: 'ampm', letters: n as 1 | 2 });
        break;
      default:
        if (!delimiters.has(c) && /[A-Za-z]/.test(c)) throw fail();
        parts.push({ k: 'literal', text: c.repeat(n) });
    }
  }
  return parts;
}

/** SQL text of each date-time field, per dialect. */
export interface FormatFields {
  readonly year: string;
  readonly month: string;
  readonly day: string;
  readonly hour24: string;
  readonly minute: string;
  readonly second: string;
  /** The fraction of a second as 7 digits of text. */
  readonly frac7: string;
  readonly days: string;
}

/** The dialect's SQL for the pieces a format needs. */
export interface FormatSql {
  literal(text: string): string;
  /** A number as text, left-padded with zeros to `width`. */
  pad(sql: string, width: number): string;
  /** The first `n` characters of a text, trailing zeros removed when `trimZeros`. */
  prefix(sql: string, n: number, trimZeros: boolean): string;
  /** `cond ? a : b` over SQL values. */
  iff(cond: string, a: string, b: string): string;
}

/** Each part of a parsed format as SQL text (the dialect joins them). */
export function formatPartsSql(parts: readonly FormatPart[], f: FormatFields, sql: FormatSql): string[] {
  return parts.map((p) => {
    switch (p.k) {
      case 'literal':
        return sql.literal(p.text);
      case 'fraction':
        return sql.prefix(f.frac7, p.digits, p.trimZeros);
      case 'ampm':
        return sql.iff(`${f.hour24} < 12`, sql.literal(p.letters === 1 ? 'A' : 'AM'), sql.literal(p.letters === 1 ? 'P' : 'PM'));
      case 'field': {
        const value = p.field === 'hour12' ? sql.iff(`${f.hour24} % 12 = 0`, '12', `${f.hour24} % 12`) : p.field === 'year2' ? `${f.year} % 100` : f[p.field];
        return sql.pad(value, p.width);
      }
    }
  });
}
