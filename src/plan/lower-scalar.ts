/**
 * Lowering of KQL scalar expressions (bound `SNode`s) to plan `Scalar`s.
 * Operators and functions become `call` nodes named with their KQL spelling; the dialect renders them.
 */
import type { KqlScalarType } from '../catalog/types.js';
import {
  parseBoolLiteral, parseDatetimeLiteral, parseGuidLiteral, parseIntegerLiteral, parseJsonExact,
  parseRealLiteral, parseTimespanLiteral,
} from '../kql/literals.js';
import type { SNode } from '../kql/kusto-adapter.js';
import type { LiteralValue } from '../sql/dialect.js';
import { kids, type LowerContext, nameOf, type RowEnv, scalarType, type Scope, tokens } from './context.js';
import type { Rel, Scalar } from './ir.js';

/** Hook set by the tabular lowering (avoids a module cycle). */
export interface TabularLowerer {
  (node: SNode, scope: Scope, input?: Rel): Rel;
}

export interface ScalarCtx {
  readonly ctx: LowerContext;
  readonly scope: Scope;
  readonly env: RowEnv;
  readonly tabular: TabularLowerer;
  /** In join `on` clauses: the environments of `$left` and `$right`. */
  readonly sides?: { readonly left: RowEnv; readonly right: RowEnv };
}

export function lit(value: LiteralValue, type: KqlScalarType): Scalar {
  return { k: 'lit', value, type };
}

export function call(fn: string, args: Scalar[], type: KqlScalarType): Scalar {
  return { k: 'call', fn, args, type };
}

const LITERAL_KIND_TYPES: Record<string, KqlScalarType> = {
  StringLiteralExpression: 'string', LongLiteralExpression: 'long', IntLiteralExpression: 'int', RealLiteralExpression: 'real',
  BooleanLiteralExpression: 'bool', DateTimeLiteralExpression: 'datetime', TimespanLiteralExpression: 'timespan',
  GuidLiteralExpression: 'guid', DecimalLiteralExpression: 'decimal', DynamicExpression: 'dynamic',
};

/**
 * Reads a literal node. The type comes from the literal's syntax kind (default values of function
 * parameters are not bound, so their nodes carry no type), and the value from its token text.
 */
export function literalValue(n: SNode, sc: { ctx: LowerContext }): { value: LiteralValue; type: KqlScalarType } {
  const type = LITERAL_KIND_TYPES[n.kind] ?? (n.cls === 'CompoundStringLiteralExpression' ? 'string' : scalarType(n.type, 'string'));
  const text = sc.ctx.nodeText(n).trim();
  switch (type) {
    case 'string':
      return { value: n.constString ?? '', type };
    case 'long':
    case 'int':
      return { value: parseIntegerLiteral(text), type };
    case 'real':
    case 'decimal':
      return { value: parseRealLiteral(text), type };
    case 'bool':
      return { value: parseBoolLiteral(text), type };
    case 'datetime':
      return { value: parseDatetimeLiteral(text.replace(/\s*([()])\s*/g, '$1')), type };
    case 'timespan':
      return { value: parseTimespanLiteral(text.replace(/\s*([()])\s*/g, '$1')), type };
    case 'guid':
      return { value: parseGuidLiteral(text.replace(/\s+/g, '')), type };
    case 'dynamic': {
      if (n.constString !== undefined) return { value: parseJsonExact(n.constString) as LiteralValue, type };
      const m = /^dynamic\s*\((.*)\)$/is.exec(text);
      if (m) {
        const inner = m[1]!.trim();
        if (inner === '' || inner.toLowerCase() === 'null') return { value: null, type };
        try {
          // Unbound trees (default values of function parameters) carry no constant: read the token text.
          return { value: parseJsonExact(inner) as LiteralValue, type };
        } catch {
          // fall through to the error below
        }
      }
      throw sc.ctx.error('kql/bad-literal', `cannot read dynamic literal '${text}'`, n);
    }
  }
}

/** The operator spelling of a binary/in/has_any expression: the text of its operator token(s). */
function operatorText(n: SNode): string {
  const toks = tokens(n).map((t) => (t.text ?? '').toLowerCase());
  return toks.join(' ').replace(/\s+/g, ' ').trim();
}

function isTabularNode(n: SNode): boolean {
  return n.type?.kind === 'table';
}

/** Arguments of a call: the non-token children of its ExpressionList. */
export function callArgs(n: SNode): SNode[] {
  const list = n.children.find((c) => c.cls === 'ExpressionList');
  return list ? kids(list) : [];
}

export function lowerScalar(n: SNode, sc: ScalarCtx): Scalar {
  const { ctx } = sc;
  switch (n.cls) {
    case 'LiteralExpression':
    case 'CompoundStringLiteralExpression': {
      const { value, type } = literalValue(n, sc);
      return lit(value, type);
    }
    case 'DynamicExpression': {
      const { value } = literalValue(n, sc);
      return lit(value, 'dynamic');
    }
    case 'ParenthesizedExpression': {
      const inner = kids(n)[0];
      if (!inner) throw ctx.error('kql/syntax-error', 'empty parentheses', n);
      return lowerScalar(inner, sc);
    }
    case 'NameReference':
      return lowerName(n, sc);
    case 'BinaryExpression':
      return lowerBinary(n, sc);
    case 'PrefixUnaryExpression': {
      const operand = kids(n)[0]!;
      const op = tokens(n)[0]?.text ?? '-';
      const x = lowerScalar(operand, sc);
      if (op === '+') return x;
      if (x.k === 'lit' && (typeof x.value === 'bigint' || typeof x.value === 'number')) {
        return lit(typeof x.value === 'bigint' ? -x.value : -x.value, x.type);
      }
      return call('neg', [x], scalarType(n.type, x.type));
    }
    case 'InExpression':
    case 'HasAnyExpression':
    case 'HasAllExpression':
      return lowerInLike(n, sc);
    case 'BetweenExpression': {
      const [x, couple] = kids(n);
      const [lo, hi] = kids(couple!);
      const op = operatorText(n).startsWith('!') ? '!between' : 'between';
      const low = lowerScalar(lo!, sc);
      let high = lowerScalar(hi!, sc);
      // `between (start .. span)`: the upper bound is start + span.
      if (low.type === 'datetime' && high.type === 'timespan') high = call('+', [low, high], 'datetime');
      return call(op, [lowerScalar(x!, sc), low, high], 'bool');
    }
    case 'FunctionCallExpression':
      return lowerCall(n, sc);
    case 'PathExpression':
      return lowerPath(n, sc);
    case 'ElementExpression': {
      const [base, bracket] = kids(n);
      const idxNode = kids(bracket!)[0]!;
      const b = lowerScalar(base!, sc);
      const idx = lowerScalar(idxNode, sc);
      const fn = idx.type === 'string' ? '__member' : '__index';
      return call(fn, [b, idx], 'dynamic');
    }
    case 'BracketedExpression': {
      return lowerScalar(kids(n)[0]!, sc);
    }
    case 'ToScalarExpression': {
      const inner = kids(n).find((k) => k.cls !== 'NamedParameter');
      if (inner && inner.type?.kind !== 'table') return lowerScalar(inner, sc); // toscalar(<scalar>)
      const rel = sc.tabular(inner!, sc.scope);
      const first = rel.columns[0];
      if (!first) throw ctx.error('kql/semantic-error', 'toscalar() of a table with no columns', n);
      return { k: 'scalar-subquery', rel, type: scalarType(n.type, first.type) };
    }
    case 'SimpleNamedExpression': {
      // `name = expr` used where only the value matters.
      const parts = kids(n);
      return lowerScalar(parts[parts.length - 1]!, sc);
    }
    default:
      throw ctx.unsupported(`the expression '${ctx.nodeText(n).slice(0, 60)}' (${n.cls})`, n);
  }
}

function lowerName(n: SNode, sc: ScalarCtx): Scalar {
  const { ctx } = sc;
  const name = nameOf(n);
  const kind = n.symbol?.kind;
  if (kind === 'Variable' || kind === 'Parameter') {
    const b = sc.scope.get(name);
    if (b?.kind === 'scalar') return b.expr;
    if (n.constLong !== undefined) return lit(n.constLong, scalarType(n.type, 'long'));
    if (n.constString !== undefined) return lit(n.constString, 'string');
    if (b?.kind === 'table') throw ctx.error('kql/semantic-error', `'${name}' is a table, not a scalar`, n);
  }
  if (kind === 'Function') {
    // A zero-argument function referenced without parentheses (e.g. a let function `f` used as `f`).
    return lowerCall({ ...n, cls: 'FunctionCallExpression', children: [n] }, sc);
  }
  const col = sc.env.cols.get(name);
  if (col) return col;
  const b = sc.scope.get(name);
  if (b?.kind === 'scalar') return b.expr;
  throw ctx.error('kql/unknown-column', `the name '${name}' does not refer to any known column, variable or function`, n);
}

function lowerBinary(n: SNode, sc: ScalarCtx): Scalar {
  const [l, r] = kids(n);
  const op = operatorText(n);
  const type = scalarType(n.type, 'bool');
  const left = lowerScalar(l!, sc);
  const right = lowerScalar(r!, sc);
  return call(op === 'matches regex' ? 'matches regex' : op, [left, right], type);
}

/** `x in (a, b)`, `x in (T)`, `x has_any (dynamic([…]))`, `x !in~ (…)`. */
function lowerInLike(n: SNode, sc: ScalarCtx): Scalar {
  const [l, list] = kids(n);
  const op = operatorText(n).replace(/\s+/g, '');
  const lhs = lowerScalar(l!, sc);
  const items: Scalar[] = [];
  for (const item of kids(list!)) {
    if (isTabularNode(item)) {
      const rel = sc.tabular(item, sc.scope);
      const first = rel.columns[0];
      if (!first) throw sc.ctx.error('kql/semantic-error', 'the table in the list has no columns', item);
      items.push({ k: 'list-subquery', rel, type: 'dynamic', elementType: first.type === 'dynamic' ? lhs.type : first.type });
    } else {
      items.push(lowerScalar(item, sc));
    }
  }
  return call(op, [lhs, ...items], 'bool');
}

function lowerPath(n: SNode, sc: ScalarCtx): Scalar {
  const [base, member] = kids(n);
  // $left.X / $right.X inside join conditions
  if (base?.symbol?.kind === 'Tuple' || /^\$(left|right)$/i.test(sc.ctx.nodeText(base!).trim())) {
    const side = sc.ctx.nodeText(base!).trim().toLowerCase() === '$left' ? 'left' : 'right';
    const env = sc.sides?.[side];
    const name = nameOf(member!);
    const col = env?.cols.get(name);
    if (!col) throw sc.ctx.error('kql/unknown-column', `'$${side}.${name}' does not name a column of the ${side} side`, n);
    return col;
  }
  if (n.symbol?.kind === 'Column' && base?.type?.kind === 'table') {
    // Table-qualified column (T.Col): the column of the current row.
    return lowerName(member!, sc);
  }
  const b = lowerScalar(base!, sc);
  const key = nameOf(member!);
  return call('__member', [b, lit(key, 'string')], 'dynamic');
}

const WINDOW_FNS = new Set(['row_number', 'prev', 'next', 'row_cumsum', 'row_rank_dense', 'row_rank_min']);

function lowerCall(n: SNode, sc: ScalarCtx): Scalar {
  const { ctx } = sc;
  const nameNode = n.children.find((c) => c.cls === 'NameReference');
  const fname = (n.symbol?.name ?? (nameNode ? nameOf(nameNode) : '')).toLowerCase();
  const argNodes = callArgs(n);
  const type = scalarType(n.type, 'dynamic');

  if (n.symbol?.isUserFunction || n.expansion) return lowerUserScalarCall(n, sc);
  if (n.symbol?.isAggregate) {
    throw ctx.error('kql/semantic-error', `the aggregate '${fname}()' can only be used in summarize`, n);
  }
  switch (fname) {
    case 'now': {
      const now: Scalar = { k: 'param', name: 'now', type: 'datetime' };
      if (argNodes.length === 0) return now;
      return call('+', [now, lowerScalar(argNodes[0]!, sc)], 'datetime');
    }
    case 'ago':
      return call('ago', [lowerScalar(argNodes[0]!, sc), { k: 'param', name: 'now', type: 'datetime' }], 'datetime');
    case 'column_ifexists': {
      const colName = argNodes[0]?.constString;
      if (colName !== undefined) {
        const col = sc.env.cols.get(colName);
        if (col) return col;
      }
      return lowerScalar(argNodes[1]!, sc);
    }
    case 'pack_all':
    case 'bag_pack_columns': {
      const args: Scalar[] = [];
      for (const [name, expr] of sc.env.cols) args.push(lit(name, 'string'), expr);
      return call('bag_pack', args, 'dynamic');
    }
    case 'ingestion_time': {
      const tg = sc.env.cols.get('TimeGenerated');
      return tg ?? lit(null, 'datetime');
    }
    case 'iif':
      return call('iff', argNodes.map((a) => lowerScalar(a, sc)), type);
    default:
      break;
  }
  if (WINDOW_FNS.has(fname)) {
    return { k: 'window', fn: fname, args: argNodes.map((a) => lowerScalar(a, sc)), type, order: sc.env.order };
  }
  const args = argNodes.map((a) => {
    // typeof(...) arguments (e.g. extract(…, typeof(long))) become a string literal of the type name.
    if (a.cls === 'TypeOfLiteralExpression') return lit(typeOfName(a, sc.ctx), 'string');
    return lowerScalar(a, sc);
  });
  return call(fname, args, type);
}

export function typeOfName(n: SNode, ctx: LowerContext): string {
  const m = /typeof\s*\(\s*([a-z]+)/i.exec(ctx.nodeText(n));
  return (m?.[1] ?? 'dynamic').toLowerCase();
}

/** Calls of `let` functions (and database functions) returning a scalar: lower the bound expansion. */
function lowerUserScalarCall(n: SNode, sc: ScalarCtx): Scalar {
  const body = n.expansion;
  if (!body) throw sc.ctx.unsupported(`calling '${sc.ctx.nodeText(n)}'`, n);
  const scope = bindUserArgs(n, sc.scope, (a) => ({ kind: 'scalar', expr: lowerScalar(a, sc) }), sc);
  return lowerFunctionBodyScalar(body, { ...sc, scope });
}

/** Binds a user-function call's arguments (positional or `name=value`, defaults) in a child scope. */
export function bindUserArgs(
  n: SNode,
  outer: Scope,
  bindArg: (argNode: SNode, paramName: string) => import('./context.js').Binding,
  sc: { ctx: LowerContext; env: RowEnv; tabular: TabularLowerer },
  skipFirst = 0,
): Scope {
  const scope = outer.child();
  const params = n.params ?? [];
  const args = callArgs(n);
  const assigned = new Set<string>();
  let pos = skipFirst;
  for (const a of args) {
    if (a.cls === 'SimpleNamedExpression') {
      const [nameNode, value] = kids(a);
      const pname = nameOf(nameNode!);
      scope.set(pname, bindArg(value!, pname));
      assigned.add(pname);
    } else {
      const p = params[pos++];
      if (!p) continue;
      scope.set(p.name, bindArg(a, p.name));
      assigned.add(p.name);
    }
  }
  for (const p of params.slice(skipFirst)) {
    if (assigned.has(p.name) || !p.defaultValue) continue;
    scope.set(p.name, { kind: 'scalar', expr: lowerScalar(p.defaultValue, { ctx: sc.ctx, scope: outer, env: sc.env, tabular: sc.tabular }) });
  }
  return scope;
}

/** A function body `{ let …; expr }` whose final expression is scalar. */
function lowerFunctionBodyScalar(body: SNode, sc: ScalarCtx): Scalar {
  const statements = body.cls === 'FunctionBody' ? kids(body) : [body];
  let scope = sc.scope;
  let last: SNode | undefined;
  for (const st of statements) {
    if (st.cls === 'LetStatement') {
      scope = scope.child();
      const [decl, value] = kids(st);
      const name = nameOf(decl!);
      if (value!.type?.kind === 'table') scope.set(name, { kind: 'table', rel: sc.tabular(value!, scope) });
      else scope.set(name, { kind: 'scalar', expr: lowerScalar(value!, { ...sc, scope }) });
    } else if (st.cls === 'ExpressionStatement') {
      last = kids(st)[0];
    } else if (st.cls !== 'Token') {
      last = st;
    }
  }
  if (!last) throw sc.ctx.error('kql/semantic-error', 'function body has no expression', body);
  return lowerScalar(last, { ...sc, scope });
}
