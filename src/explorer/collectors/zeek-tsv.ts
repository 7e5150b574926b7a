/**
 * A small reader of Zeek's TSV logs (`#separator`, `#set_separator`, `#empty_field`, `#unset_field`,
 * `#fields` headers; optional gzip). Explorer's collectors read through `readZeekLog` only, so the shared
 * ingestion reader (src/ingest) can replace this one later without touching them.
 *
 * Values stay text: `null` for the unset field (`-`), `''` for the empty field (`(empty)`); set/vector
 * fields are split with `zeekList`. Timestamps are converted exactly with `zeekTimeMicros` (no doubles).
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { createGunzip } from 'node:zlib';
import { QuarryError } from '../../core/errors.js';

export type ZeekRecord = Record<string, string | null>;

export interface ZeekLogMeta {
  path?: string;
  fields: string[];
  setSeparator: string;
}

function unescapeSep(s: string): string {
  return s.replace(/\\x([0-9a-f]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/** Reads a Zeek log file (plain or `.gz`), yielding one record per data line. */
export async function* readZeekLog(file: string, meta?: ZeekLogMeta): AsyncGenerator<ZeekRecord> {
  let input: NodeJS.ReadableStream = fs.createReadStream(file);
  if (file.endsWith('.gz')) input = input.pipe(createGunzip());
  const rl = readline.createInterface({ input, crlfDelay: Infinity });
  let sep = '\t';
  let setSep = ',';
  let empty = '(empty)';
  let unset = '-';
  let fields: string[] | undefined;
  for await (const line of rl) {
    if (line === '') continue;
    if (line.startsWith('#')) {
      const [key, ...rest] = line.startsWith('#separator') ? line.split(' ') : line.split(sep);
      const value = rest.join(sep);
      if (key === '#separator') sep = unescapeSep(rest.join(' '));
      else if (key === '#set_separator') setSep = value;
      else if (key === '#empty_field') empty = value;
      else if (key === '#unset_field') unset = value;
      else if (key === '#fields') {
        fields = rest;
        if (meta) {
          meta.fields = fields;
          meta.setSeparator = setSep;
        }
      } else if (key === '#path' && meta) meta.path = value;
      continue;
    }
    if (!fields) throw new QuarryError('explorer/bad-input', `${file}: data line before the '#fields' header; is this a Zeek TSV log?`);
    const cells = line.split(sep);
    const rec: ZeekRecord = {};
    for (let i = 0; i < fields.length; i++) {
      const c = cells[i];
      rec[fields[i]!] = c === undefined || c === unset ? null : c === empty ? '' : c;
    }
    yield rec;
  }
}

/** Splits a Zeek set/vector cell (`a,b,c`); [] for null/empty. */
export function zeekList(cell: string | null | undefined, setSep = ','): string[] {
  if (!cell) return [];
  return cell.split(setSep).filter((s) => s !== '');
}

/** `1521911720.865716` → epoch microseconds, exactly. */
export function zeekTimeMicros(ts: string): bigint {
  const m = /^(-?\d+)(?:\.(\d+))?$/.exec(ts.trim());
  // Zeek writes far-away times (certificate validity) in exponent form: a double is exact enough there.
  if (!m && /^-?\d+(\.\d+)?e[+-]?\d+$/i.test(ts.trim())) return BigInt(Math.round(Number(ts) * 1e6));
  if (!m) throw new QuarryError('explorer/bad-input', `'${ts}' is not a Zeek time value`);
  const frac = (m[2] ?? '').padEnd(6, '0').slice(0, 6);
  return BigInt(m[1]!) * 1_000_000n + BigInt(frac);
}
