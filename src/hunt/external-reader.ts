/**
 * SQL that reads `externaldata` sources once they are local files: delimited formats bind columns by
 * position (all text, then converted with Kusto's rules: unparseable → null), JSON formats by name.
 */
import type { KqlScalarType } from '../catalog/types.js';
import { QuarryError } from '../core/errors.js';
import type { Rel } from '../plan/ir.js';
import type { Dialect } from '../sql/dialect.js';

const DELIMITERS: Record<string, string> = { csv: ',', tsv: '\t', tsve: '\t', psv: '|', scsv: ';', sohsv: '\u0001', txt: '\u0001' };

const CONVERT: Partial<Record<KqlScalarType, string>> = {
  long: 'tolong', int: 'toint', real: 'toreal', decimal: 'todecimal', bool: 'tobool', datetime: 'todatetime',
  timespan: 'totimespan', guid: 'toguid', dynamic: 'todynamic',
};

function convert(sql: string, from: KqlScalarType, to: KqlScalarType, d: Dialect): string {
  if (to === 'string') return `coalesce(${sql}, '')`;
  const fn = CONVERT[to];
  const impl = fn ? d.functions[fn] : undefined;
  if (!impl) return `TRY_CAST(${sql} AS ${d.sqlType(to)})`;
  return impl([{ sql, type: from }], { dialect: d, resultType: to, name: fn! });
}

export function externalReader(rel: Extract<Rel, { op: 'external' }>, files: readonly string[], d: Dialect): string {
  const list = `[${files.map((f) => d.literal(f, 'string')).join(', ')}]`;
  const format = rel.format;
  const q = (n: string) => d.quoteIdentifier(n);
  if (format in DELIMITERS) {
    const delim = format === 'txt' ? '\u0001' : DELIMITERS[format]!;
    const cols = rel.columns.map((_, i) => `${d.literal(`c${i}`, 'string')}: 'VARCHAR'`).join(', ');
    const read = `read_csv(${list}, delim=${d.literal(delim, 'string')}, header=false, skip=${rel.ignoreFirstRecord ? 1 : 0}, quote='"', escape='"', columns={${cols}}, null_padding=true, strict_mode=false, auto_detect=false)`;
    const sel = rel.columns.map((c, i) => `${convert(q(`c${i}`), 'string', c.type, d)} AS ${q(c.name)}`);
    return `SELECT ${sel.join(', ')} FROM ${read}`;
  }
  if (format === 'json' || format === 'multijson' || format === 'singlejson') {
    const cols = rel.columns.map((c) => `${d.literal(c.name, 'string')}: 'JSON'`).join(', ');
    const read = `read_json(${list}, format=${format === 'multijson' ? "'newline_delimited'" : "'auto'"}, columns={${cols}})`;
    const sel = rel.columns.map((c) => `${convert(q(c.name), 'dynamic', c.type, d)} AS ${q(c.name)}`);
    return `SELECT ${sel.join(', ')} FROM ${read}`;
  }
  if (format === 'raw') {
    const c = rel.columns[0];
    if (!c) throw new QuarryError('hunt/externaldata-failed', 'externaldata with format=raw needs one column');
    return `SELECT content AS ${q(c.name)} FROM read_text(${list})`;
  }
  throw new QuarryError('kql/unsupported', `externaldata format '${format}' is not supported (use csv, tsv, psv, txt, json, multijson or raw)`);
}
