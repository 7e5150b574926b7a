/**
 * A small YAML reader and writer for the subset Sentinel analytic-rule files use: block mappings and
 * sequences (nested by indentation, `- key: value` items), plain / single- / double-quoted scalars,
 * literal (`|`, `|-`) and folded (`>`, `>-`) block scalars, flow sequences of scalars (`[a, b]`), `{}`
 * and `[]`, and `#` comments. No anchors, tags, multi-document streams or flow mappings with content:
 * those raise `detect/bad-yaml` with the line number. (No YAML package is installed; see the report.)
 *
 * Scalars are kept as strings except `true`/`false`, `null`/`~` and plain numbers, which YAML 1.2's core
 * schema types; callers that want text (e.g. `version: 1.0`) read it back with `String()`.
 */
import { QuarryError } from '../core/errors.js';

export type YamlValue = string | number | boolean | null | YamlValue[] | { [k: string]: YamlValue };

interface Line {
  readonly no: number;
  readonly indent: number;
  readonly text: string;
}

function bad(no: number, message: string): QuarryError {
  return new QuarryError('detect/bad-yaml', `YAML line ${no}: ${message}`, { details: { line: no } });
}

/** Strips a trailing `# comment` that is outside quotes. */
function stripComment(s: string): string {
  let q: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (q) {
      if (c === q) {
        if (q === "'" && s[i + 1] === "'") i++;
        else q = null;
      } else if (c === '\\' && q === '"') i++;
    } else if (c === '"' || c === "'") {
      if (i === 0 || /[\s:[,{-]/.test(s[i - 1]!)) q = c;
    } else if (c === '#' && (i === 0 || /\s/.test(s[i - 1]!))) return s.slice(0, i).trimEnd();
  }
  return s.trimEnd();
}

function parseDoubleQuoted(s: string, no: number): string {
  let out = '';
  for (let i = 1; i < s.length - 1; i++) {
    const c = s[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = s[++i];
    const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', '/': '/', '0': '\0', ' ': ' ' };
    if (n !== undefined && n in map) out += map[n];
    else if (n === 'u') {
      out += String.fromCharCode(parseInt(s.slice(i + 1, i + 5), 16));
      i += 4;
    } else throw bad(no, `unknown escape '\\${n ?? ''}' in a double-quoted string`);
  }
  return out;
}

function splitFlow(inner: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let q: string | null = null;
  for (const c of inner) {
    if (q) {
      cur += c;
      if (c === q) q = null;
    } else if (c === '"' || c === "'") {
      q = c;
      cur += c;
    } else if (c === ',') {
      parts.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  if (cur.trim() !== '') parts.push(cur.trim());
  return parts;
}

export function parseScalar(raw: string, no: number): YamlValue {
  const s = raw.trim();
  if (s === '' || s === '~' || s === 'null' || s === 'Null' || s === 'NULL') return null;
  if (s.startsWith('"')) {
    if (!s.endsWith('"') || s.length < 2) throw bad(no, 'unterminated double-quoted string');
    return parseDoubleQuoted(s, no);
  }
  if (s.startsWith("'")) {
    if (!s.endsWith("'") || s.length < 2) throw bad(no, 'unterminated single-quoted string');
    return s.slice(1, -1).replace(/''/g, "'");
  }
  if (s.startsWith('[')) {
    if (!s.endsWith(']')) throw bad(no, 'a flow sequence must end on the same line with ]');
    return splitFlow(s.slice(1, -1)).map((p) => parseScalar(p, no));
  }
  if (s === '{}') return {};
  if (s.startsWith('{')) throw bad(no, 'flow mappings with content are not supported; use a block mapping');
  if (s.startsWith('&') || s.startsWith('*') || s.startsWith('!')) throw bad(no, 'anchors, aliases and tags are not supported');
  if (/^(true|True|TRUE)$/.test(s)) return true;
  if (/^(false|False|FALSE)$/.test(s)) return false;
  if (/^[-+]?\d+$/.test(s) && Number.isSafeInteger(Number(s))) return Number(s);
  if (/^[-+]?(\d+\.\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) return Number(s);
  return s;
}

/** Index of the `: ` (or trailing `:`) separating a mapping key from its value, outside quotes; -1 if none. */
function keySep(s: string): number {
  let q: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (q) {
      if (c === q) q = null;
    } else if ((c === '"' || c === "'") && i === 0) q = c;
    else if (c === ':' && (i === s.length - 1 || s[i + 1] === ' ')) return i;
  }
  return -1;
}

class Reader {
  private i = 0;
  constructor(private readonly lines: Line[], private readonly raw: string[]) {}

  parseDocument(): YamlValue {
    if (this.lines.length === 0) return null;
    const v = this.parseBlock(this.lines[0]!.indent);
    if (this.i < this.lines.length) throw bad(this.lines[this.i]!.no, 'unexpected indentation');
    return v;
  }

  private parseBlock(indent: number): YamlValue {
    const first = this.lines[this.i]!;
    if (first.text.startsWith('- ') || first.text === '-') return this.parseSeq(indent);
    return this.parseMap(indent);
  }

  private parseSeq(indent: number): YamlValue[] {
    const out: YamlValue[] = [];
    while (this.i < this.lines.length) {
      const l = this.lines[this.i]!;
      if (l.indent < indent) break;
      if (l.indent > indent) throw bad(l.no, 'unexpected indentation in a sequence');
      if (!(l.text.startsWith('- ') || l.text === '-')) break;
      const rest = l.text === '-' ? '' : l.text.slice(2).trimStart();
      const restIndent = l.indent + (l.text.length - (l.text === '-' ? 0 : l.text.slice(2).trimStart().length));
      if (rest === '') {
        this.i++;
        out.push(this.i < this.lines.length && this.lines[this.i]!.indent > indent ? this.parseBlock(this.lines[this.i]!.indent) : null);
      } else if (keySep(rest) >= 0 && !rest.startsWith('"') && !rest.startsWith("'") && !rest.startsWith('[')) {
        // `- key: value` starts a mapping whose keys sit at the column of `key`.
        this.lines[this.i] = { no: l.no, indent: restIndent, text: rest };
        out.push(this.parseMap(restIndent));
      } else if (rest.startsWith('- ')) {
        this.lines[this.i] = { no: l.no, indent: restIndent, text: rest };
        out.push(this.parseSeq(restIndent));
      } else {
        this.i++;
        out.push(parseScalar(rest, l.no));
      }
    }
    return out;
  }

  private parseMap(indent: number): { [k: string]: YamlValue } {
    const out: { [k: string]: YamlValue } = {};
    while (this.i < this.lines.length) {
      const l = this.lines[this.i]!;
      if (l.indent < indent) break;
      if (l.indent > indent) throw bad(l.no, 'unexpected indentation in a mapping');
      if (l.text.startsWith('- ')) break;
      const sep = keySep(l.text);
      if (sep < 0) throw bad(l.no, `expected 'key: value', got '${l.text.slice(0, 40)}'`);
      let key = l.text.slice(0, sep).trim();
      if (key.startsWith('"') || key.startsWith("'")) key = String(parseScalar(key, l.no));
      if (Object.prototype.hasOwnProperty.call(out, key)) throw bad(l.no, `duplicate key '${key}'`);
      const rest = l.text.slice(sep + 1).trim();
      this.i++;
      if (/^[|>][-+]?\d*$/.test(rest)) out[key] = this.blockScalar(rest, indent, l.no);
      else if (rest === '') {
        const next = this.lines[this.i];
        if (next && (next.indent > indent || (next.indent === indent && next.text.startsWith('- ')))) out[key] = this.parseBlock(next.indent);
        else out[key] = null;
      } else out[key] = parseScalar(rest, l.no);
    }
    return out;
  }

  /** Literal / folded block scalar: reads raw source lines (blank lines and `#` inside are content). */
  private blockScalar(header: string, parentIndent: number, no: number): string {
    const folded = header.startsWith('>');
    const chomp = header.includes('-') ? 'strip' : header.includes('+') ? 'keep' : 'clip';
    const body: string[] = [];
    // Continue from the raw line after the header until a non-blank line at or below the parent indent.
    let r = no; // raw index of the line after the header (line numbers are 1-based)
    let blockIndent = -1;
    while (r < this.raw.length) {
      const text = this.raw[r]!;
      if (text.trim() === '') {
        body.push('');
        r++;
        continue;
      }
      const ind = text.length - text.trimStart().length;
      if (ind <= parentIndent) break;
      if (blockIndent < 0) blockIndent = ind;
      if (ind < blockIndent) throw bad(r + 1, 'a block scalar line is less indented than its first line');
      body.push(text.slice(blockIndent));
      r++;
    }
    // Skip the structural lines that fell inside the block.
    while (this.i < this.lines.length && this.lines[this.i]!.no <= r) this.i++;
    while (body.length > 0 && body[body.length - 1] === '' && chomp !== 'keep') body.pop();
    let text = folded ? body.reduce((acc, l, k) => (k === 0 ? l : acc + (l === '' ? '\n' : acc.endsWith('\n') ? l : ` ${l}`)), '') : body.join('\n');
    if (chomp !== 'strip') text += '\n';
    return text;
  }
}

export function parseYaml(text: string): YamlValue {
  const raw = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const lines: Line[] = [];
  raw.forEach((t, k) => {
    if (/^\s*#/.test(t) || t.trim() === '' || t.trim() === '---') return;
    if (/^\t/.test(t)) throw bad(k + 1, 'tabs are not allowed for indentation');
    const text = stripComment(t.trimStart());
    if (text === '') return;
    lines.push({ no: k + 1, indent: t.length - t.trimStart().length, text });
  });
  return new Reader(lines, raw).parseDocument();
}

// ---- writer -------------------------------------------------------------------------------------

function needsQuotes(s: string): boolean {
  return (
    s === '' || /^[\s]|[\s]$/.test(s) || /^[-?:,[\]{}#&*!|>'"%@`~]/.test(s) || /: |\s#/.test(s) || s.endsWith(':') ||
    /^(true|false|null|yes|no|on|off)$/i.test(s) || /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(s)
  );
}

function scalarText(v: YamlValue): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean' || typeof v === 'number') return String(v);
  const s = String(v);
  if (!needsQuotes(s)) return s;
  return JSON.stringify(s);
}

function writeValue(v: YamlValue, indent: number, out: string[], key: string | null): void {
  const pad = ' '.repeat(indent);
  const head = key === null ? pad : `${pad}${key}:`;
  if (Array.isArray(v)) {
    if (v.length === 0) {
      out.push(`${head}${key === null ? '' : ' '}[]`);
      return;
    }
    if (key !== null) out.push(head);
    for (const item of v) {
      if (item !== null && typeof item === 'object' && !Array.isArray(item) && Object.keys(item).length > 0) {
        const sub: string[] = [];
        writeMap(item, indent + 2, sub);
        out.push(`${pad}- ${sub[0]!.trimStart()}`, ...sub.slice(1));
      } else if (typeof item === 'string' && item.includes('\n')) {
        throw new QuarryError('detect/bad-yaml', 'multi-line strings inside sequences are not written by this writer');
      } else out.push(`${pad}- ${scalarText(item)}`);
    }
    return;
  }
  if (v !== null && typeof v === 'object') {
    if (Object.keys(v).length === 0) {
      out.push(`${head}${key === null ? '' : ' '}{}`);
      return;
    }
    if (key !== null) out.push(head);
    writeMap(v, key === null ? indent : indent + 2, out);
    return;
  }
  if (typeof v === 'string' && v.includes('\n')) {
    const chomp = v.endsWith('\n') ? '' : '-';
    out.push(`${head} |${chomp}`);
    for (const l of v.replace(/\n$/, '').split('\n')) out.push(l === '' ? '' : `${pad}  ${l}`);
    return;
  }
  out.push(`${head} ${scalarText(v)}`);
}

function writeMap(v: { [k: string]: YamlValue }, indent: number, out: string[]): void {
  for (const [k, val] of Object.entries(v)) writeValue(val, indent, out, needsQuotes(k) ? JSON.stringify(k) : k);
}

/** Writes a value as block-style YAML that `parseYaml` reads back to the same value. */
export function stringifyYaml(v: YamlValue): string {
  const out: string[] = [];
  writeValue(v, 0, out, null);
  return `${out.join('\n')}\n`;
}
