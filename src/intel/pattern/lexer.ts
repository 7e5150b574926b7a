/**
 * Tokens of the STIX 2.1 patterning language (STIX 2.1 §9). Keywords are upper-case and case-sensitive
 * as the grammar defines them; string literals use single quotes with `\'` and `\\` as the only escapes.
 */
import { QuarryError } from '../../core/errors.js';

export type TokenKind =
  | 'lbracket' | 'rbracket' | 'lparen' | 'rparen' | 'colon' | 'dot' | 'comma' | 'star'
  | 'op' | 'keyword' | 'ident' | 'string' | 'int' | 'float' | 'bool' | 'timestamp' | 'binary' | 'hex' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  /** Decoded value for literals (string contents, number, boolean). */
  readonly value?: string | number | boolean;
  readonly pos: number;
}

const KEYWORDS = new Set([
  'AND', 'OR', 'NOT', 'FOLLOWEDBY', 'LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET', 'IN', 'EXISTS',
  'START', 'STOP', 'WITHIN', 'SECONDS', 'REPEATS', 'TIMES',
]);

export function patternError(message: string, pattern: string, pos: number): QuarryError {
  const caret = `${pattern}\n${' '.repeat(Math.max(0, pos))}^`;
  return new QuarryError('intel/bad-pattern', `${message} at offset ${pos}`, {
    details: { pattern, offset: pos },
    hints: [caret, "STIX patterns look like [domain-name:value = 'example.com'] (STIX 2.1 §9)"],
  });
}

function readQuoted(src: string, start: number): { value: string; end: number } {
  // src[start] is the opening quote
  let i = start + 1;
  let out = '';
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\\') {
      const n = src[i + 1];
      if (n === "'" || n === '\\') {
        out += n;
        i += 2;
        continue;
      }
      throw patternError(`invalid escape '\\${n ?? ''}' in string literal (only \\' and \\\\ are allowed)`, src, i);
    }
    if (c === "'") return { value: out, end: i + 1 };
    out += c;
    i++;
  }
  throw patternError('unterminated string literal', src, start);
}

export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const single: Record<string, TokenKind> = {
    '[': 'lbracket', ']': 'rbracket', '(': 'lparen', ')': 'rparen', ':': 'colon', '.': 'dot', ',': 'comma', '*': 'star',
  };
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    // prefixed literals: t'…', b'…', h'…'
    if ((c === 't' || c === 'b' || c === 'h') && src[i + 1] === "'") {
      const q = readQuoted(src, i + 1);
      const kind: TokenKind = c === 't' ? 'timestamp' : c === 'b' ? 'binary' : 'hex';
      if (kind === 'timestamp' && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(q.value)) {
        throw patternError(`invalid timestamp literal t'${q.value}' (RFC 3339 UTC with Z expected)`, src, i);
      }
      if (kind === 'hex' && !/^([0-9a-fA-F]{2})*$/.test(q.value)) throw patternError('invalid hex literal', src, i);
      tokens.push({ kind, text: src.slice(i, q.end), value: q.value, pos: i });
      i = q.end;
      continue;
    }
    if (c === "'") {
      const q = readQuoted(src, i);
      tokens.push({ kind: 'string', text: src.slice(i, q.end), value: q.value, pos: i });
      i = q.end;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (two === '!=' || two === '<=' || two === '>=') {
      tokens.push({ kind: 'op', text: two, pos: i });
      i += 2;
      continue;
    }
    if (c === '=' || c === '<' || c === '>') {
      tokens.push({ kind: 'op', text: c, pos: i });
      i++;
      continue;
    }
    if (single[c]) {
      tokens.push({ kind: single[c]!, text: c, pos: i });
      i++;
      continue;
    }
    const num = /^[-+]?\d+(\.\d+)?([eE][-+]?\d+)?/.exec(src.slice(i));
    if (num && (c !== '-' && c !== '+' ? true : /\d/.test(src[i + 1] ?? ''))) {
      // a number that is directly followed by identifier characters is not a number (e.g. path 'x509')
      const isFloat = num[1] !== undefined || num[2] !== undefined;
      tokens.push({ kind: isFloat ? 'float' : 'int', text: num[0], value: Number(num[0]), pos: i });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(src.slice(i));
    if (id) {
      const w = id[0];
      if (KEYWORDS.has(w)) tokens.push({ kind: 'keyword', text: w, pos: i });
      else if (w === 'true' || w === 'false') tokens.push({ kind: 'bool', text: w, value: w === 'true', pos: i });
      else tokens.push({ kind: 'ident', text: w, pos: i });
      i += w.length;
      continue;
    }
    throw patternError(`unexpected character '${c}'`, src, i);
  }
  tokens.push({ kind: 'eof', text: '', pos: src.length });
  return tokens;
}
