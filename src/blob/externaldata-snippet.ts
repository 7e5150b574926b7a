/**
 * The "one click" from a CSV to a hunt: given the start of an uploaded CSV (an Intel Explorer download
 * or any CSV with a header row) and its signed URL, the `externaldata` column list and a ready-to-run
 * KQL snippet. Explorer's layouts (mdti.md §1.2) get the column names and types the published MDTI
 * sample queries use, so those queries run unchanged; other CSVs get names from the header and types
 * inferred from the first rows.
 */
import type { KqlScalarType } from '../catalog/types.js';

export interface SnippetColumn {
  readonly name: string;
  readonly type: KqlScalarType;
  /** The header cell the column comes from. */
  readonly header: string;
}

export interface ExternaldataSnippet {
  /** `hostPairs`, `resolutions`, … for an Explorer layout, `generic` otherwise. */
  readonly layout: string;
  readonly columns: readonly SnippetColumn[];
  /** `externaldata(...) [h@'<url>'] with (format='csv', ignoreFirstRecord=true)`. */
  readonly externaldata: string;
  /** A runnable query: the `let` binding plus a `take`. */
  readonly kql: string;
}

type Layout = { readonly name: string; readonly headers: readonly string[]; readonly columns: readonly [string, KqlScalarType][] };

const S: KqlScalarType = 'string';
const D: KqlScalarType = 'datetime';

/** Explorer's CSV downloads: header cells in order, and the columns the MDTI samples (or plain names) use. */
const LAYOUTS: readonly Layout[] = [
  { name: 'hostPairs', headers: ['parentHostname', 'childHostname', 'firstSeen', 'lastSeen', 'attributeCause', 'Tags'],
    columns: [['parentHostName', S], ['childHostName', S], ['firstSeen', D], ['lastSeen', D], ['attributeCause', S], ['tags', S]] },
  { name: 'resolutions', headers: ['Resolve', 'Location', 'Network', 'autonomousSystemNumber', 'firstSeen', 'lastSeen', 'Source', 'Tags'],
    columns: [['resolve', S], ['location', S], ['network', S], ['autonomous', S], ['firstSeen', D], ['lastSeen', D], ['source', S], ['tags', S]] },
  { name: 'subdomains', headers: ['hostname', 'tags'], columns: [['hostname', S], ['tags', S]] },
  { name: 'trackers', headers: ['hostname', 'firstSeen', 'lastSeen', 'attributeType', 'attributeValue', 'Tags'],
    columns: [['hostname', S], ['firstSeen', D], ['lastSeen', D], ['attributeType', S], ['attributeValue', S], ['tags', S]] },
  { name: 'components', headers: ['hostname', 'firstSeen', 'lastSeen', 'category', 'name', 'version', 'Tags'],
    columns: [['hostname', S], ['firstSeen', D], ['lastSeen', D], ['category', S], ['name', S], ['version', S], ['tags', S]] },
  { name: 'cookies', headers: ['hostname', 'firstSeen', 'lastSeen', 'cookieName', 'cookieDomain', 'Tags'],
    columns: [['hostname', S], ['firstSeen', D], ['lastSeen', D], ['cookieName', S], ['cookieDomain', S], ['tags', S]] },
  { name: 'articleIndicators', headers: ['type', 'value', 'source'], columns: [['type', S], ['value', S], ['source', S]] },
];

/** RFC 4180 records of `text` (quotes, doubled quotes, CRLF); stops after `limit` records. A cut-off last record is dropped. */
export function parseCsvRecords(text: string, limit = 101, complete = true): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  for (; i < text.length && out.length < limit; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      out.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (complete && out.length < limit && (cell !== '' || row.length > 0)) {
    row.push(cell);
    out.push(row);
  }
  return out;
}

const norm = (s: string) => s.trim().replace(/^\uFEFF/, '').toLowerCase();

function identifier(header: string, used: Set<string>, i: number): string {
  let id = header.trim().replace(/^\uFEFF/, '').replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  if (!/^[A-Za-z_]/.test(id)) id = id ? `c_${id}` : `Column${i + 1}`;
  let out = id;
  for (let n = 2; used.has(out.toLowerCase()); n++) out = `${id}_${n}`;
  used.add(out.toLowerCase());
  return out;
}

const LONG = /^[+-]?\d{1,18}$/;
const REAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const BOOL = /^(?:true|false)$/i;
const DATETIME = /^(?:\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?|\d{1,2}\/\d{1,2}\/\d{4}(?: \d{1,2}:\d{2}(?::\d{2})?(?: [AP]M)?)?)$/i;

/** The narrowest KQL type every non-empty sample fits (string when there is no sample). */
export function inferType(samples: readonly string[]): KqlScalarType {
  const vals = samples.map((s) => s.trim()).filter((s) => s !== '');
  if (vals.length === 0) return 'string';
  for (const [re, t] of [[LONG, 'long'], [REAL, 'real'], [BOOL, 'bool'], [DATETIME, 'datetime']] as const) {
    if (vals.every((v) => re.test(v))) return t;
  }
  return 'string';
}

/** A KQL verbatim, obfuscated string literal: `h@'…'` (hidden from Kusto's logs; Quarry redacts URLs anyway). */
export function obfuscatedLiteral(s: string): string {
  return `h@'${s.replace(/'/g, "''")}'`;
}

export function externaldataSnippet(csvHead: string, url: string, opts: { complete?: boolean; letName?: string } = {}): ExternaldataSnippet {
  const records = parseCsvRecords(csvHead, 101, opts.complete ?? true);
  const header = records[0] ?? [];
  const rows = records.slice(1);
  const layout = LAYOUTS.find((l) => l.headers.length === header.length && l.headers.every((h, i) => norm(h) === norm(header[i]!)));
  let columns: SnippetColumn[];
  if (layout) {
    columns = layout.columns.map(([name, type], i) => ({ name, type, header: header[i]! }));
  } else {
    const used = new Set<string>();
    columns = header.map((h, i) => ({ name: identifier(h, used, i), type: inferType(rows.map((r) => r[i] ?? '')), header: h }));
  }
  const decl = columns.map((c) => `${c.name}:${c.type}`).join(', ');
  const externaldata = `externaldata (${decl})\n    [${obfuscatedLiteral(url)}]\n    with (format='csv', ignoreFirstRecord=true)`;
  const name = opts.letName ?? 'ThreatIntel';
  const tags = columns.find((c) => c.name === 'tags' && c.type === 'string');
  const kql = `let ${name} = materialize(\n    ${externaldata.replace(/\n/g, '\n    ')}${tags ? "\n    | extend tags = split(tags, '|')" : ''}\n);\n${name}\n| take 100`;
  return { layout: layout?.name ?? 'generic', columns, externaldata, kql };
}
