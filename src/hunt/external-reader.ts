/**
 * SQL that reads `externaldata` sources once they are local files. Delimited formats bind columns by
 * position (read as text, then converted with Kusto's rules: unparseable → null, empty string column →
 * ''), JSON formats by name, parquet by name. `ignoreFirstRecord` skips the first record of each file.
 *
 * Datetime text is read the way Kusto reads it: ISO 8601 (an offset or `Z` is converted to UTC), and
 * the `MM/dd/yyyy HH:mm[:ss]` form that Intel Explorer's CSV download uses.
 */
import type { KqlScalarType } from '../catalog/types.js';
import { QuarryError } from '../core/errors.js';
import type { Rel } from '../plan/ir.js';
import type { Dialect } from '../sql/dialect.js';

/** Kusto's delimited formats and their separators (`txt`: one column holding each whole line). */
const DELIMITERS: Record<string, string> = { csv: ',', tsv: '\t', tsve: '\t', psv: '|', scsv: ';', sohsv: '\u0001', txt: '\n' };

export const EXTERNAL_FORMATS = [...Object.keys(DELIMITERS), 'json', 'multijson', 'singlejson', 'raw', 'parquet'] as const;

const CONVERT: Partial<Record<KqlScalarType, string>> = {
  long: 'tolong', int: 'toint', real: 'toreal', decimal: 'todecimal', bool: 'tobool',
  timespan: 'totimespan', guid: 'toguid', dynamic: 'todynamic',
};

/** strptime patterns tried after ISO 8601 (US month-first, as Explorer exports and .NET's invariant culture read). */
const DATETIME_PATTERNS = ['%m/%d/%Y %H:%M:%S', '%m/%d/%Y %H:%M', '%m/%d/%Y %I:%M:%S %p', '%m/%d/%Y %I:%M %p', '%m/%d/%Y'];

function datetimeFromText(sql: string, d: Dialect): string {
  const pats = `[${DATETIME_PATTERNS.map((p) => d.literal(p, 'string')).join(', ')}]`;
  const t = `trim(${sql})`;
  return `CASE WHEN regexp_matches(${t}, '(Z|[+-][0-9]{2}:?[0-9]{2})$') THEN (TRY_CAST(${t} AS TIMESTAMPTZ) AT TIME ZONE 'UTC')`
    + ` ELSE coalesce(TRY_CAST(${t} AS TIMESTAMP), try_strptime(${t}, ${pats})) END`;
}

function convert(sql: string, from: KqlScalarType, to: KqlScalarType, d: Dialect): string {
  if (to === 'string') return from === 'dynamic' ? convertDynamicToString(sql, d) : `coalesce(${sql}, '')`;
  if (to === 'datetime') return datetimeFromText(from === 'dynamic' ? convertDynamicToString(sql, d) : sql, d);
  const fn = CONVERT[to];
  const impl = fn ? d.functions[fn] : undefined;
  if (!impl) return `TRY_CAST(${sql} AS ${d.sqlType(to)})`;
  return impl([{ sql, type: from }], { dialect: d, resultType: to, name: fn! });
}

function convertDynamicToString(sql: string, d: Dialect): string {
  const impl = d.functions['tostring'];
  return impl ? impl([{ sql, type: 'dynamic' }], { dialect: d, resultType: 'string', name: 'tostring' }) : `coalesce(CAST(${sql} AS VARCHAR), '')`;
}

export function externalReader(rel: Extract<Rel, { op: 'external' }>, files: readonly string[], d: Dialect): string {
  // Engines that read files their own way (ClickHouse's `file()`) supply the whole reader; the SQL below is DuckDB's.
  if (d.readExternal) return d.readExternal(rel, files, d);
  const list = `[${files.map((f) => d.literal(f, 'string')).join(', ')}]`;
  const format = rel.format.toLowerCase();
  const q = (n: string) => d.quoteIdentifier(n);
  const skip = rel.ignoreFirstRecord ? 1 : 0;
  if (format in DELIMITERS) {
    if (format === 'txt') {
      if (rel.columns.length === 0) throw new QuarryError('hunt/externaldata-failed', 'externaldata with format=txt needs a column for the line');
      // Kusto's txt: every line is one record in the first column, no quoting. SOH (which text lines do not
      // hold) keeps a line whole; further declared columns stay empty.
      const read = `read_csv(${list}, delim=${d.literal('\u0001', 'string')}, header=false, skip=${skip}, quote='', escape='', columns={'c0': 'VARCHAR'}, strict_mode=false, auto_detect=false)`;
      const sel = rel.columns.map((c, i) => `${convert(i === 0 ? q('c0') : 'NULL', 'string', c.type, d)} AS ${q(c.name)}`);
      return `SELECT ${sel.join(', ')} FROM ${read}`;
    }
    const cols = rel.columns.map((_, i) => `${d.literal(`c${i}`, 'string')}: 'VARCHAR'`).join(', ');
    const escape = format === 'tsve' ? "'\\'" : `'"'`;
    const read = `read_csv(${list}, delim=${d.literal(DELIMITERS[format]!, 'string')}, header=false, skip=${skip}, quote='"', escape=${escape}, columns={${cols}}, null_padding=true, strict_mode=false, auto_detect=false, parallel=true)`;
    const sel = rel.columns.map((c, i) => `${convert(q(`c${i}`), 'string', c.type, d)} AS ${q(c.name)}`);
    return `SELECT ${sel.join(', ')} FROM ${read}`;
  }
  if (format === 'json' || format === 'multijson' || format === 'singlejson') {
    const cols = rel.columns.map((c) => `${d.literal(c.name, 'string')}: 'JSON'`).join(', ');
    const shape = format === 'multijson' ? "'newline_delimited'" : "'auto'";
    const sel = rel.columns.map((c) => `${convert(q(c.name), 'dynamic', c.type, d)} AS ${q(c.name)}`);
    const readOf = (l: string) => `SELECT ${sel.join(', ')} FROM read_json(${l}, format=${shape}, columns={${cols}})`;
    if (!skip) return readOf(list);
    // The first record of each file: one read per file, each without its first row, in file order.
    return files.map((f) => `(${readOf(`[${d.literal(f, 'string')}]`)} OFFSET 1)`).join(' UNION ALL ');
  }
  if (format === 'parquet') {
    const sel = rel.columns.map((c) => `${c.type === 'string' ? `coalesce(CAST(${q(c.name)} AS VARCHAR), '')` : `TRY_CAST(${q(c.name)} AS ${d.sqlType(c.type)})`} AS ${q(c.name)}`);
    return `SELECT ${sel.join(', ')} FROM read_parquet(${list})`;
  }
  if (format === 'raw') {
    if (rel.columns.length === 0) throw new QuarryError('hunt/externaldata-failed', 'externaldata with format=raw needs a string column for the content');
    // The whole source is one value in the first column; further declared columns stay empty.
    const sel = rel.columns.map((c, i) => `${convert(i === 0 ? 'content' : 'NULL', 'string', c.type, d)} AS ${q(c.name)}`);
    return `SELECT ${sel.join(', ')} FROM read_text(${list})`;
  }
  throw new QuarryError('kql/unsupported', `externaldata format '${format}' is not supported (use ${EXTERNAL_FORMATS.join(', ')})`);
}
