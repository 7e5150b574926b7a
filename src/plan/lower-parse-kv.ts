/**
 * `parse-kv Expr as (k1:type, …) with (…)`: one regular expression per listed key (RE2 syntax, which both
 * DuckDB and ClickHouse use), so the plan stays plain scalar calls:
 *
 * - delimiters given: `(?:^|PD)\s*KEY\s*KVD\s*(VALUE)\s*(?:PD|$)`, VALUE being a quoted string (with the
 *   escape characters) or the shortest text up to the next pair delimiter; `greedy=true` extends an unquoted
 *   value up to the next `PD key KVD` (or the end), as Kusto documents;
 * - no delimiters: any non-alphanumeric character delimits, so a value is a quoted string or a word;
 * - `regex=`: the first match whose first group is the key gives the second group.
 *
 * Kusto rules kept: only the listed keys are extracted; the first appearance of a key wins; values are
 * trimmed; a missing key gives "" for strings and null for other types.
 */
import type { KqlScalarType } from '../catalog/types.js';
import type { SNode } from '../kql/kusto-adapter.js';
import { firstKid, kids, kidsOf, type LowerContext, nameOf, type Scope, tokenText, toKql } from './context.js';
import type { Col, NamedScalar, Rel, Scalar } from './ir.js';
import { scalarCtx } from './lower.js';
import { call, lit, lowerScalar } from './lower-scalar.js';
import { rowEnv } from './lower-operators.js';

const reEscape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const classEscape = (s: string) => s.replace(/[\]\\^[-]/g, '\\$&');

interface KvOptions {
  pair?: string;
  kv?: string;
  quotes: { open: string; close: string }[];
  escapes: string[];
  greedy: boolean;
  regex?: string;
}

function readOptions(op: SNode, ctx: LowerContext): KvOptions {
  const opts: KvOptions = { quotes: [], escapes: [], greedy: false };
  const withClause = firstKid(op, 'ParseKvWithClause');
  for (const p of withClause ? kidsOf(withClause, 'NamedParameter') : []) {
    const [nameNode, valueNode] = kids(p);
    const name = nameOf(nameNode!).toLowerCase();
    const value = valueNode?.constString ?? (valueNode ? tokenText(valueNode).trim() : '');
    switch (name) {
      case 'pair_delimiter': opts.pair = value; break;
      case 'kv_delimiter': opts.kv = value; break;
      case 'quote':
        if (value.length < 1 || value.length > 2) throw ctx.error('kql/semantic-error', `parse-kv: quote must be one or two characters, not '${value}'`, p);
        opts.quotes.push({ open: value[0]!, close: value[1] ?? value[0]! });
        break;
      case 'escape':
        if (value.length !== 1) throw ctx.error('kql/semantic-error', `parse-kv: escape must be one character, not '${value}'`, p);
        opts.escapes.push(value);
        break;
      case 'greedy': opts.greedy = /^true$/i.test(value); break;
      case 'regex': opts.regex = value; break;
      default: throw ctx.unsupported(`the parse-kv option '${name}'`, p);
    }
  }
  if ((opts.pair === undefined) !== (opts.kv === undefined)) {
    throw ctx.error('kql/semantic-error', 'parse-kv needs both pair_delimiter and kv_delimiter, or neither', withClause ?? op);
  }
  return opts;
}

/** Alternatives for a quoted value (or key): `O(?:[^C E]|[E].)*C` per quote pair. */
function quotedAlternatives(o: KvOptions): string[] {
  const esc = o.escapes.join('');
  return o.quotes.map(({ open, close }) => (esc
    ? `${reEscape(open)}(?:[^${classEscape(close + esc)}]|[${classEscape(esc)}].)*${reEscape(close)}`
    : `${reEscape(open)}[^${classEscape(close)}]*${reEscape(close)}`));
}

function keyPattern(key: string, o: KvOptions): string {
  const k = reEscape(key);
  const quoted = o.quotes.map(({ open, close }) => `${reEscape(open)}${k}${reEscape(close)}`);
  return quoted.length > 0 ? `(?:${[k, ...quoted].join('|')})` : k;
}

export function keyRegex(key: string, o: KvOptions): string {
  const quoted = quotedAlternatives(o);
  if (o.pair === undefined || o.kv === undefined) {
    // Any non-alphanumeric character is a delimiter: a value is a quoted string or one word.
    const value = [...quoted, '\\w+'].join('|');
    return `(?:^|\\W)${keyPattern(key, o)}\\W*?(${value})`;
  }
  const pd = reEscape(o.pair);
  const kvd = reEscape(o.kv);
  const end = o.greedy ? `(?:${pd}\\s*[^${classEscape(o.pair + o.kv)}]+?\\s*${kvd}|$)` : `(?:${pd}|$)`;
  const value = [...quoted, '.*?'].join('|');
  return `(?:^|${pd})\\s*${keyPattern(key, o)}\\s*${kvd}\\s*(${value})\\s*${end}`;
}

export function lowerParseKv(op: SNode, input: Rel, scope: Scope, ctx: LowerContext, out: Col[]): Rel {
  const [sourceNode] = kids(op);
  const schema = firstKid(op, 'RowSchema');
  if (!sourceNode || !schema) throw ctx.error('kql/syntax-error', 'parse-kv needs an expression and a key list', op);
  const opts = readOptions(op, ctx);
  const sc = scalarCtx(ctx, scope, rowEnv(input));
  const source = lowerScalar(sourceNode, sc);
  const text = source.type === 'string' ? source : call('tostring', [source], 'string');
  const keys = new Map<string, KqlScalarType>();
  for (const d of kidsOf(schema, 'NameAndTypeDeclaration')) {
    const decl = kids(d)[0]!;
    keys.set(nameOf(decl), toKql(decl.type?.kind === 'scalar' ? decl.type.name : 'string', 'string'));
  }
  const opens = opts.quotes.map((q) => q.open).join('');
  const closes = opts.quotes.map((q) => q.close).join('');
  const exprs: NamedScalar[] = out.map((c) => {
    const type = keys.get(c.name);
    if (!type) {
      return { name: c.name, expr: { k: 'col', name: c.name, type: c.type } };
    }
    const raw = opts.regex !== undefined
      ? call('__parse_kv_regex', [text, lit(opts.regex, 'string'), lit(c.name, 'string')], 'string')
      : call('__parse_kv_value', [text, lit(keyRegex(c.name, opts), 'string'), lit(opens, 'string'), lit(closes, 'string'), lit(opts.escapes[0] ?? '', 'string')], 'string');
    return { name: c.name, expr: convert(raw, c.type) };
  });
  return { op: 'project', input, columns: out, exprs };
}

function convert(raw: Scalar, type: KqlScalarType): Scalar {
  const fn: Record<KqlScalarType, string | undefined> = {
    string: undefined, long: 'tolong', int: 'toint', real: 'toreal', decimal: 'toreal', bool: 'tobool',
    datetime: 'todatetime', timespan: 'totimespan', guid: 'toguid', dynamic: 'todynamic',
  };
  const f = fn[type];
  return f ? call(f, [raw], type === 'decimal' ? 'real' : type) : raw;
}
