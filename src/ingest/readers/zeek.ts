/**
 * Zeek logs: the TSV format (header lines `#separator`, `#set_separator`, `#empty_field`, `#unset_field`,
 * `#path`, `#fields`, `#types`; several header blocks may follow each other) and the JSON format (one object
 * per line, as `LogAscii::use_json` writes, `ts` as epoch seconds or ISO text). Values are typed from
 * `#types`: `time` → epoch microseconds (bigint, exact), `interval` → seconds, `count`/`int`/`port` →
 * numbers, `bool` T/F, `vector[..]`/`set[..]` → arrays, the unset marker → absent, the empty marker → '' / [].
 * Each record is then mapped to its Quarry table by the log's path (see `zeek-map.ts`).
 */
import { readLines } from '../input.js';
import { isPlainObject, parseJsonExact } from '../json-exact.js';
import type { SourceRecord } from '../types.js';
import { mapZeekRecord } from './zeek-map.js';

interface Header {
  separator: string;
  setSeparator: string;
  emptyField: string;
  unsetField: string;
  path: string;
  fields: string[];
  types: string[];
}

class BadZeekValue extends Error {}

/** `1521911720.865716` → 1521911720865716n, without going through a double. */
export function zeekTimeToMicros(text: string): bigint {
  const m = /^(-?\d+)(?:\.(\d{1,9}))?$/.exec(text);
  if (!m) {
    // Zeek prints far-off times in exponent form (`2.385616957e+09`): exact to the digits it printed.
    const n = Number(text);
    if (/^-?\d(?:\.\d+)?e[+-]?\d+$/i.test(text) && Number.isFinite(n)) return BigInt(Math.round(n * 1e6));
    throw new BadZeekValue(`'${text}' is not a Zeek time (epoch seconds)`);
  }
  const frac = BigInt((m[2] ?? '').padEnd(6, '0').slice(0, 6));
  const secs = BigInt(m[1]!);
  return secs * 1_000_000n + (m[1]!.startsWith('-') ? -frac : frac);
}

function scalar(type: string, text: string): unknown {
  switch (type) {
    case 'time':
      return zeekTimeToMicros(text);
    case 'interval':
    case 'double': {
      const n = Number(text);
      if (text === '' || Number.isNaN(n)) throw new BadZeekValue(`'${text}' is not a number`);
      return n;
    }
    case 'count':
    case 'int':
    case 'port': {
      if (!/^-?\d+$/.test(text)) throw new BadZeekValue(`'${text}' is not an integer`);
      const n = Number(text);
      return Number.isSafeInteger(n) ? n : BigInt(text);
    }
    case 'bool':
      if (text === 'T') return true;
      if (text === 'F') return false;
      throw new BadZeekValue(`'${text}' is not a Zeek bool (T or F)`);
    default:
      return text; // string, addr, subnet, enum, pattern: text as logged
  }
}

function typedValue(type: string, text: string, h: Header): unknown {
  if (text === h.unsetField) return undefined;
  const container = /^(?:vector|set)\[(.+)\]$/.exec(type);
  if (container) {
    if (text === h.emptyField) return [];
    return text.split(h.setSeparator).map((t) => (t === h.unsetField ? null : scalar(container[1]!, t)));
  }
  if (text === h.emptyField) return '';
  return scalar(type, text);
}

function unescapeSeparator(v: string): string {
  return v.replace(/\\x([0-9a-fA-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function newHeader(): Header {
  return { separator: '\t', setSeparator: ',', emptyField: '(empty)', unsetField: '-', path: '', fields: [], types: [] };
}

/** Applies one `#` line to the header; a new `#separator` starts a new block. */
function headerLine(text: string, h: Header): Header {
  if (text.startsWith('#separator')) {
    const next = newHeader();
    next.separator = unescapeSeparator(text.slice('#separator'.length).trim());
    return next;
  }
  const parts = text.slice(1).split(h.separator);
  const key = parts[0];
  const rest = parts.slice(1);
  if (key === 'set_separator') h.setSeparator = unescapeSeparator(rest[0] ?? ',');
  else if (key === 'empty_field') h.emptyField = rest[0] ?? '(empty)';
  else if (key === 'unset_field') h.unsetField = rest[0] ?? '-';
  else if (key === 'path') h.path = rest[0] ?? '';
  else if (key === 'fields') h.fields = rest;
  else if (key === 'types') h.types = rest;
  return h;
}

export interface ZeekOptions {
  /** Log path (`dns`, `conn`, …) when the input does not say (JSON logs without `_path`); else from `#path` or the file name. */
  readonly path?: string;
}

function mapped(fields: Record<string, unknown>, path: string, raw: string, line: number, offset: number): SourceRecord {
  const m = mapZeekRecord(path, fields);
  if ('error' in m) return { raw, line, offset, error: m.error };
  return { raw, line, offset, table: m.table, value: m.value };
}

export async function* readZeek(bytes: AsyncIterable<Buffer>, opts: ZeekOptions = {}): AsyncGenerator<SourceRecord> {
  let h = newHeader();
  for await (const l of readLines(bytes)) {
    const text = l.text;
    if (text === '') continue;
    if (text.startsWith('#')) {
      h = headerLine(text, h);
      continue;
    }
    if (text.startsWith('{')) {
      let obj: unknown;
      try {
        obj = parseJsonExact(text);
      } catch (e) {
        yield { raw: text, line: l.line, offset: l.offset, error: `not valid JSON: ${(e as Error).message}` };
        continue;
      }
      if (!isPlainObject(obj)) {
        yield { raw: text, line: l.line, offset: l.offset, error: 'expected a JSON object' };
        continue;
      }
      const fields: Record<string, unknown> = { ...obj };
      // Zeek JSON writes `ts` as epoch seconds (default) or ISO 8601 (`JSON::TS_ISO8601`).
      for (const k of ['ts', 'certificate.not_valid_before', 'certificate.not_valid_after']) {
        const v = fields[k];
        if (typeof v === 'number') fields[k] = zeekTimeToMicros(v.toFixed(6));
      }
      const path = typeof fields._path === 'string' ? fields._path : (opts.path ?? h.path);
      delete fields._path;
      delete fields._write_ts;
      yield mapped(fields, path, text, l.line, l.offset);
      continue;
    }
    if (h.fields.length === 0) {
      yield { raw: text, line: l.line, offset: l.offset, error: 'Zeek TSV line before any #fields header' };
      continue;
    }
    const cells = text.split(h.separator);
    if (cells.length !== h.fields.length) {
      yield { raw: text, line: l.line, offset: l.offset, error: `expected ${h.fields.length} tab-separated Zeek fields (as #fields), got ${cells.length}` };
      continue;
    }
    const fields: Record<string, unknown> = {};
    let error: string | undefined;
    for (let i = 0; i < cells.length; i++) {
      try {
        const v = typedValue(h.types[i] ?? 'string', cells[i]!, h);
        if (v !== undefined) fields[h.fields[i]!] = v;
      } catch (e) {
        if (!(e instanceof BadZeekValue)) throw e;
        error = `field '${h.fields[i]}' (${h.types[i]}): ${e.message}`;
        break;
      }
    }
    if (error) yield { raw: text, line: l.line, offset: l.offset, error };
    else yield mapped(fields, h.path || (opts.path ?? ''), text, l.line, l.offset);
  }
}
