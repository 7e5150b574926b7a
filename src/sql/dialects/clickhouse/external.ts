/**
 * `externaldata` on ClickHouse: reads the local files the hunt layer fetched with the `file()` table
 * function (works in-process on chdb and in clickhouse-local; a remote server cannot see Quarry's files —
 * docs/clickhouse.md). Kusto's rules are those of the DuckDB reader (`src/hunt/external-reader.ts`):
 * - delimited formats bind columns by position, read as text (`CSV` with the format's delimiter,
 *   `Nullable(String)` columns, missing trailing fields empty, extra fields ignored, no whitespace trim),
 *   then converted: unparseable → null, strings never null (empty field → '');
 * - datetime text: ISO 8601 (an offset or `Z` converted to UTC) and Explorer's US `MM/dd/yyyy HH:mm[:ss]`
 *   (12-hour `AM/PM` too);
 * - json/multijson/singlejson bind by name (`JSONAsString` reads an array of objects or one object per
 *   line; each column is the raw JSON of its member, i.e. a dynamic value of this dialect);
 * - txt is one row per line, raw one row with the whole file, parquet binds by name.
 * `ignoreFirstRecord` skips the first record of each file (Kusto's rule); several files are a UNION ALL
 * because `file()` takes one path (or a glob, which a fetched file name must not be read as).
 */
import type { KqlScalarType } from '../../../catalog/types.js';
import { QuarryError } from '../../../core/errors.js';
import type { Rel } from '../../../plan/ir.js';
import type { Dialect } from '../../dialect.js';

type ExternalRel = Extract<Rel, { op: 'external' }>;

/** Kusto's delimited formats and their separators (txt is handled apart: one line, one record). */
const DELIMITERS: Record<string, string> = { csv: ',', tsv: '\t', tsve: '\t', psv: '|', scsv: ';', sohsv: '\u0001' };
const FORMATS = [...Object.keys(DELIMITERS), 'txt', 'json', 'multijson', 'singlejson', 'raw', 'parquet'];

/** The KQL conversion function (of this dialect) applied to text or dynamic values per declared type. */
const CONVERT: Partial<Record<KqlScalarType, string>> = {
  long: 'tolong', int: 'toint', real: 'toreal', decimal: 'todecimal', bool: 'tobool',
  timespan: 'totimespan', guid: 'toguid', dynamic: 'todynamic',
};

/** ISO 8601 dates (with an optional time and offset) and the US month-first forms Explorer exports. */
function datetimeFromText(sql: string, d: Dialect): string {
  const t = `trim(BOTH ' ' FROM coalesce(${sql}, ''))`;
  return `multiIf(match(${t}, ${d.literal('^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?$', 'string')}),`
    + ` parseDateTime64BestEffortOrNull(${t}, 6, 'UTC'),`
    + ` match(${t}, ${d.literal('^[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}( [0-9]{1,2}:[0-9]{2}(:[0-9]{2})?( ?[AaPp][Mm])?)?$', 'string')}),`
    + ` parseDateTime64BestEffortUSOrNull(${t}, 6, 'UTC'), CAST(NULL AS Nullable(DateTime64(6, 'UTC'))))`;
}

function call(d: Dialect, fn: string, sql: string, from: KqlScalarType, to: KqlScalarType): string {
  const impl = d.functions[fn];
  if (!impl) throw new QuarryError('kql/unsupported', `externaldata: the ClickHouse dialect has no ${fn}()`);
  return impl([{ sql, type: from }], { dialect: d, resultType: to, name: fn });
}

/** Text (`from` string) or a JSON member (`from` dynamic) as the declared KQL type. */
function convert(sql: string, from: 'string' | 'dynamic', to: KqlScalarType, d: Dialect): string {
  if (to === 'string') return from === 'dynamic' ? call(d, 'tostring', sql, from, to) : `coalesce(${sql}, '')`;
  if (to === 'datetime') return datetimeFromText(from === 'dynamic' ? call(d, 'tostring', sql, from, 'string') : sql, d);
  const fn = CONVERT[to];
  if (!fn) return `CAST(NULL AS ${d.sqlType(to)})`;
  return call(d, fn, sql, from, to);
}

/** One SELECT per file, as a UNION ALL (each member parenthesised: it carries its own SETTINGS). */
function perFile(files: readonly string[], one: (file: string) => string): string {
  if (files.length === 0) throw new QuarryError('hunt/externaldata-failed', 'externaldata has no source to read');
  const parts = files.map((f) => `SELECT * FROM (${one(f)})`);
  return parts.length === 1 ? `(${one(files[0]!)})` : `(${parts.join(' UNION ALL ')})`;
}

function settings(d: Dialect, s: Record<string, string | number>): string {
  return ` SETTINGS ${Object.entries(s).map(([k, v]) => `${k} = ${typeof v === 'number' ? v : d.literal(v, 'string')}`).join(', ')}`;
}

export function clickhouseExternalReader(rel: ExternalRel, files: readonly string[], d: Dialect): string {
  const format = rel.format.toLowerCase();
  const q = (n: string) => d.quoteIdentifier(n);
  const lit = (s: string) => d.literal(s, 'string');
  const skip = rel.ignoreFirstRecord ? 1 : 0;
  const from = (inner: string) => `${inner} AS ${q('__ext')}`;
  if (format in DELIMITERS) {
    if (rel.columns.length === 0) return `SELECT 1 WHERE 0`;
    const structure = rel.columns.map((_, i) => `c${i} Nullable(String)`).join(', ');
    // Kusto's tsv is quoted like csv (tsve adds backslash escapes, which ClickHouse's CSV does not read).
    const opts = settings(d, {
      format_csv_delimiter: DELIMITERS[format]!,
      // A tab delimiter is refused by ClickHouse's CSV reader unless allowed explicitly.
      ...(DELIMITERS[format] === '\t' ? { input_format_csv_allow_whitespace_or_tab_as_delimiter: 1 } : {}),
      input_format_csv_skip_first_lines: skip,
      input_format_csv_allow_variable_number_of_columns: 1,
      input_format_csv_trim_whitespaces: 0,
      format_csv_allow_single_quotes: 0,
      format_csv_allow_double_quotes: 1,
      input_format_csv_empty_as_default: 1,
      input_format_csv_detect_header: 0,
    });
    const read = perFile(files, (f) => `SELECT * FROM file(${lit(f)}, 'CSV', ${lit(structure)})${opts}`);
    const sel = rel.columns.map((c, i) => `${convert(q(`c${i}`), 'string', c.type, d)} AS ${q(c.name)}`);
    return `SELECT ${sel.join(', ')} FROM ${from(read)}`;
  }
  if (format === 'txt' || format === 'raw') {
    if (rel.columns.length === 0) {
      throw new QuarryError('hunt/externaldata-failed', `externaldata with format=${format} needs a column for the ${format === 'txt' ? 'line' : 'content'}`);
    }
    // txt: every line is one record in the first column (no quoting); raw: the whole file is one value.
    // Further declared columns stay empty. `_row_number` (0-based, per file) skips the first line.
    const read = format === 'txt'
      ? perFile(files, (f) => `SELECT line AS c0 FROM file(${lit(f)}, 'LineAsString', 'line String')${skip ? ' WHERE _row_number >= 1' : ''}`)
      : perFile(files, (f) => `SELECT content AS c0 FROM file(${lit(f)}, 'RawBLOB', 'content String')`);
    const sel = rel.columns.map((c, i) => `${convert(i === 0 ? q('c0') : 'NULL', 'string', c.type, d)} AS ${q(c.name)}`);
    return `SELECT ${sel.join(', ')} FROM ${from(read)}`;
  }
  if (format === 'json' || format === 'multijson' || format === 'singlejson') {
    // A missing member is null (JSONExtractRaw gives ''); a JSON null stays the dynamic null 'null'.
    const read = perFile(files, (f) => `SELECT doc FROM file(${lit(f)}, 'JSONAsString', 'doc String')${skip ? ' WHERE _row_number >= 1' : ''}`);
    const member = (name: string) => `nullIf(JSONExtractRaw(${q('doc')}, ${lit(name)}), '')`;
    const sel = rel.columns.map((c) => `${convert(member(c.name), 'dynamic', c.type, d)} AS ${q(c.name)}`);
    return `SELECT ${sel.join(', ')} FROM ${from(read)}`;
  }
  if (format === 'parquet') {
    // By name; the file's own types are converted (strings never null, anything else null when it does not fit).
    const read = perFile(files, (f) => `SELECT * FROM file(${lit(f)}, 'Parquet')`);
    const sel = rel.columns.map((c) => `${c.type === 'string' ? `coalesce(toString(${q(c.name)}), '')` : `accurateCastOrNull(${q(c.name)}, ${lit(d.sqlType(c.type).replace(/^Nullable\((.*)\)$/, '$1'))})`} AS ${q(c.name)}`);
    return `SELECT ${sel.join(', ')} FROM ${from(read)}`;
  }
  throw new QuarryError('kql/unsupported', `externaldata format '${format}' is not supported (use ${FORMATS.join(', ')})`);
}
