/**
 * Lowering of KQL query operators (`| where`, `| extend`, `| summarize`, `| join`, …) to plan relations.
 */
import type { KqlScalarType } from '../catalog/types.js';
import type { SNode } from '../kql/kusto-adapter.js';
import {
  envOf, firstKid, keyword, kids, kidsOf, type LowerContext, nameOf, operatorParams, type RowEnv, scalarType, type Scope,
  tableCols, toKql,
} from './context.js';
import type { Aggregate, Col, JoinKind, NamedScalar, Rel, Scalar, SortKey } from './ir.js';
import { lowerTabular, scalarCtx } from './lower.js';
import { call, lit, lowerScalar, typeOfName } from './lower-scalar.js';
import { lowerTabularCall } from './lower-sources.js';
import { lowerSummarize } from './lower-summarize.js';
import { lowerJoin, lowerLookup } from './lower-join.js';
import { lowerMakeSeries } from './lower-series.js';
import { lowerMvApply } from './lower-mv-apply.js';
import { lowerParseKv } from './lower-parse-kv.js';
import { lowerTopNested } from './lower-top-nested.js';

/** Row order established by `sort`/`top`/`serialize`, tracked per relation for window functions. */
const orders = new WeakMap<Rel, readonly SortKey[]>();
export function orderOf(rel: Rel): readonly SortKey[] {
  return orders.get(rel) ?? [];
}
function withOrder(rel: Rel, order: readonly SortKey[]): Rel {
  if (order.length > 0) orders.set(rel, order);
  return rel;
}

function env(rel: Rel): RowEnv {
  return envOf(rel, orderOf(rel));
}

function passThrough(input: Rel, name: string): Scalar {
  const c = input.columns.find((x) => x.name === name);
  if (!c) throw new Error(`internal: column ${name} not in input`);
  return { k: 'col', name, type: c.type };
}

export function lowerOperator(op: SNode, input: Rel, scope: Scope, ctx: LowerContext, cols: Col[] | undefined): Rel {
  const out = cols ?? input.columns.slice();
  const sc = () => scalarCtx(ctx, scope, env(input));
  switch (op.cls) {
    case 'FilterOperator': {
      const cond = kids(op).filter((k) => k.cls !== 'NamedParameter')[0]!;
      const predicate = lowerScalar(cond, sc());
      return withOrder({ op: 'filter', columns: input.columns, input, predicate }, orderOf(input));
    }
    case 'ParseWhereOperator':
    case 'ParseOperator':
      return lowerParse(op, input, scope, ctx, out);
    case 'ExtendOperator':
      return withOrder(lowerExtend(kids(op).filter((k) => k.cls !== 'NamedParameter'), input, scope, ctx, out), orderOf(input));
    case 'SerializeOperator':
      return withOrder(lowerExtend(kids(op).filter((k) => k.cls !== 'NamedParameter'), input, scope, ctx, out), orderOf(input));
    case 'ProjectOperator':
      return withOrder(lowerProject(op, input, scope, ctx, out), orderOf(input));
    case 'ProjectAwayOperator':
    case 'ProjectKeepOperator':
    case 'ProjectReorderOperator':
      return withOrder(projectByName(input, out), orderOf(input));
    case 'ProjectRenameOperator': {
      const renames = new Map<string, string>();
      for (const item of kids(op)) {
        const [decl, ref] = kids(item);
        renames.set(nameOf(decl!), nameOf(ref!));
      }
      const exprs = out.map((c) => ({ name: c.name, expr: passThrough(input, renames.get(c.name) ?? c.name) }));
      return withOrder({ op: 'project', columns: out, input, exprs }, orderOf(input));
    }
    case 'SummarizeOperator':
      return lowerSummarize(op, input, scope, ctx, out);
    case 'CountOperator': {
      const name = out[0]?.name ?? 'Count';
      return { op: 'aggregate', columns: [{ name, type: 'long' }], input, keys: [], aggs: [{ name, fn: 'count', args: [], type: 'long' }] };
    }
    case 'DistinctOperator': {
      const items = kids(op).filter((k) => k.cls !== 'NamedParameter');
      const star = items.some((i) => i.cls === 'StarExpression');
      const proj = star ? input : lowerProjectList(items, input, scope, ctx, out);
      return { op: 'distinct', columns: proj.columns, input: proj };
    }
    case 'TakeOperator': {
      const count = lowerScalar(kids(op).filter((k) => k.cls !== 'NamedParameter')[0]!, sc());
      return withOrder({ op: 'limit', columns: input.columns, input, count }, orderOf(input));
    }
    case 'SortOperator': {
      const keys = sortKeys(kids(op).filter((k) => k.cls !== 'NamedParameter'), input, scope, ctx);
      return withOrder({ op: 'sort', columns: input.columns, input, keys }, keys);
    }
    case 'TopOperator': {
      const [countNode, ...rest] = kids(op).filter((k) => k.cls !== 'NamedParameter');
      const keys = sortKeys(rest, input, scope, ctx);
      const sorted: Rel = { op: 'sort', columns: input.columns, input, keys };
      const count = lowerScalar(countNode!, sc());
      return withOrder({ op: 'limit', columns: input.columns, input: sorted, count }, keys);
    }
    case 'JoinOperator':
      return lowerJoin(op, input, scope, ctx, out);
    case 'LookupOperator':
      return lowerLookup(op, input, scope, ctx, out);
    case 'UnionOperator':
      return lowerUnion(op, input, scope, ctx, out);
    case 'MvExpandOperator':
      return lowerMvExpand(op, input, scope, ctx, out);
    case 'InvokeOperator': {
      const callNode = kids(op)[0]!;
      return lowerTabularCall(callNode, scope, ctx, input);
    }
    case 'AsOperator': {
      const name = nameOf(kids(op).find((k) => k.cls === 'NameDeclaration')!);
      const ref = ctx.addCte(name, input, false);
      scope.set(name, { kind: 'table', rel: ref });
      return ref;
    }
    case 'RenderOperator': {
      const kindTok = op.children.find((c) => c.cls === 'Token' && c.kind !== 'RenderKeyword' && c.kind !== 'WithKeyword');
      const props: Record<string, string> = {};
      const withClause = op.children.find((c) => c.cls === 'RenderWithClause');
      for (const [k, v] of operatorParams(withClause ?? op, ctx.opts.text)) props[k] = v.replace(/\s*,\s*/g, ',');
      const nameNode = kids(op).find((k) => k.cls === 'NameReference' || k.cls === 'NameDeclaration');
      ctx.render = { kind: (nameNode ? nameOf(nameNode) : kindTok?.text ?? 'table').toLowerCase(), props };
      return input;
    }
    case 'MakeSeriesOperator':
      return lowerMakeSeries(op, input, scope, ctx, out);
    case 'MvApplyOperator':
      return lowerMvApply(op, input, scope, ctx, out);
    case 'ParseKvOperator':
      return withOrder(lowerParseKv(op, input, scope, ctx, out), orderOf(input));
    case 'TopNestedOperator':
      return lowerTopNested(op, input, scope, ctx, out);
    case 'EvaluateOperator':
      return lowerEvaluate(op, input, scope, ctx, out);
    case 'ConsumeOperator':
      return { op: 'limit', columns: input.columns, input, count: lit(0n, 'long') };
    case 'GetSchemaOperator': {
      const rows = input.columns.map((c, i) => [c.name, BigInt(i), `System.${c.type}`, c.type]);
      return {
        op: 'values',
        columns: [{ name: 'ColumnName', type: 'string' }, { name: 'ColumnOrdinal', type: 'int' }, { name: 'DataType', type: 'string' }, { name: 'ColumnType', type: 'string' }],
        rows,
      };
    }
    default:
      throw ctx.unsupported(`the '${keyword(op) || op.cls}' operator`, op);
  }
}

/** Passes columns through by name in the binder's output order (project-away, project-keep, project-reorder). */
function projectByName(input: Rel, out: Col[]): Rel {
  const exprs = out.map((c) => ({ name: c.name, expr: passThrough(input, c.name) }));
  return { op: 'project', columns: out, input, exprs };
}

/**
 * `extend a = x, y, b = f(a)`: every output column is either an input column passed through or a new
 * expression; later items see earlier ones (inlined).
 */
export function lowerExtend(items: SNode[], input: Rel, scope: Scope, ctx: LowerContext, out: Col[]): Rel {
  const cols = new Map(env(input).cols);
  const inputNames = new Set(input.columns.map((c) => c.name));
  const assigned = new Map<string, Scalar>();
  const namedNames = new Set<string>();
  for (const item of items) if (item.cls === 'SimpleNamedExpression') namedNames.add(nameOf(kids(item)[0]!));
  // Names the binder gave to unnamed expressions: output columns that are neither input nor named.
  const generated = out.map((c) => c.name).filter((n) => !inputNames.has(n) && !namedNames.has(n));
  let gen = 0;
  for (const item of items) {
    const sc = scalarCtx(ctx, scope, { cols, order: orderOf(input) });
    let name: string;
    let expr: Scalar;
    if (item.cls === 'SimpleNamedExpression') {
      const [decl, value] = kids(item);
      name = nameOf(decl!);
      expr = lowerScalar(value!, sc);
    } else if (item.cls === 'CompoundNamedExpression') {
      throw ctx.unsupported('tuple assignment `(a, b) = …`', item);
    } else {
      expr = lowerScalar(item, sc);
      name = generated[gen++] ?? `Column${gen}`;
    }
    assigned.set(name, expr);
    cols.set(name, expr);
  }
  const exprs: NamedScalar[] = out.map((c) => {
    const a = assigned.get(c.name);
    return { name: c.name, expr: a ?? passThrough(input, c.name) };
  });
  const columns = out.map((c, i) => ({ name: c.name, type: fixType(c.type, exprs[i]!.expr.type) }));
  return { op: 'project', columns, input, exprs };
}

/** Prefers the binder's type, but keeps the expression's when the binder could not tell. */
function fixType(bound: KqlScalarType, actual: KqlScalarType): KqlScalarType {
  return bound === 'dynamic' && actual !== 'dynamic' ? bound : bound;
}

function lowerProject(op: SNode, input: Rel, scope: Scope, ctx: LowerContext, out: Col[]): Rel {
  const items = kids(op).filter((k) => k.cls !== 'NamedParameter');
  return lowerProjectList(items, input, scope, ctx, out);
}

/** `project a, b = x, f(y)` (also the column list of `distinct`): outputs follow the binder's order. */
function lowerProjectList(items: SNode[], input: Rel, scope: Scope, ctx: LowerContext, out: Col[]): Rel {
  const sc = scalarCtx(ctx, scope, env(input));
  const exprs: NamedScalar[] = [];
  let i = 0;
  for (const item of items) {
    if (item.cls === 'NameReference' && /\*/.test(ctx.nodeText(item))) {
      // wildcard column pattern (e.g. `Account*`)
      const re = new RegExp('^' + ctx.nodeText(item).replace(/\s+/g, '').replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*') + '$');
      for (const c of input.columns) if (re.test(c.name)) exprs.push({ name: out[i++]?.name ?? c.name, expr: passThrough(input, c.name) });
      continue;
    }
    const name = out[i]?.name ?? (item.cls === 'SimpleNamedExpression' ? nameOf(kids(item)[0]!) : `Column${i + 1}`);
    i++;
    exprs.push({ name, expr: lowerScalar(item, sc) });
  }
  const columns = exprs.map((e, j) => ({ name: e.name, type: out[j]?.type ?? e.expr.type }));
  return { op: 'project', columns, input, exprs };
}

export function sortKeys(items: SNode[], input: Rel, scope: Scope, ctx: LowerContext): SortKey[] {
  const sc = scalarCtx(ctx, scope, env(input));
  return items.map((item) => {
    let exprNode = item;
    let desc = true;
    let nullsFirst: boolean | undefined;
    if (item.cls === 'OrderedExpression') {
      exprNode = kids(item)[0]!;
      const clause = firstKid(item, 'OrderingClause');
      if (clause) {
        const text = ctx.nodeText(clause).toLowerCase();
        if (/\basc\b/.test(text)) desc = false;
        if (/nulls\s+first/.test(text)) nullsFirst = true;
        if (/nulls\s+last/.test(text)) nullsFirst = false;
      }
    }
    // Kusto: desc → nulls last, asc → nulls first, unless stated.
    return { expr: lowerScalar(exprNode, sc), desc, nullsFirst: nullsFirst ?? !desc };
  });
}

/** `union [kind=inner|outer] [withsource=Col] [isfuzzy=true] T1, (T2), …` with or without piped input. */
export function lowerUnion(op: SNode, input: Rel | undefined, scope: Scope, ctx: LowerContext, out: Col[] | undefined): Rel {
  const params = operatorParams(op, ctx.opts.text);
  const sourceColumn = params.get('withsource') ?? params.get('source');
  const fuzzy = /^true$/i.test(params.get('isfuzzy') ?? 'false');
  const operands: { rel: Rel; source: string }[] = [];
  if (input) operands.push({ rel: input, source: 'union_arg0' });
  let argIndex = operands.length;
  for (const item of kids(op).filter((k) => k.cls !== 'NamedParameter')) {
    const source = item.cls === 'NameReference' ? nameOf(item) : `union_arg${argIndex}`;
    argIndex++;
    try {
      operands.push({ rel: lowerTabular(item, scope, ctx), source });
    } catch (e) {
      if (fuzzy) continue;
      throw e;
    }
  }
  let columns = out ?? unionColumns(operands.map((o) => o.rel), sourceColumn);
  if ((params.get('kind') ?? 'outer').toLowerCase() === 'inner') {
    // kind=inner keeps only the columns every operand has (the binder reports the outer schema).
    columns = columns.filter((c) => (sourceColumn && c.name === sourceColumn) || operands.every((o) => o.rel.columns.some((x) => x.name === c.name && x.type === c.type)));
  }
  const inputs = operands.map(({ rel, source }) => ({
    rel,
    source,
    map: columns.map((c) => {
      if (sourceColumn && c.name === sourceColumn) return null;
      const exact = rel.columns.find((x) => x.name === c.name);
      if (exact) return exact.name;
      // Kusto suffixes clashing names with their type: X_long, X_string.
      const m = /^(.*)_(bool|datetime|decimal|dynamic|guid|int|long|real|string|timespan)$/.exec(c.name);
      if (m) {
        const typed = rel.columns.find((x) => x.name === m[1] && x.type === m[2]);
        if (typed) return typed.name;
      }
      return null;
    }),
  }));
  return { op: 'union', columns, inputs, ...(sourceColumn ? { sourceColumn } : {}) };
}

function unionColumns(rels: Rel[], sourceColumn: string | undefined): Col[] {
  const seen = new Map<string, Col>();
  for (const r of rels) for (const c of r.columns) if (!seen.has(c.name)) seen.set(c.name, c);
  const cols = [...seen.values()];
  return sourceColumn ? [{ name: sourceColumn, type: 'string' }, ...cols] : cols;
}

function lowerMvExpand(op: SNode, input: Rel, scope: Scope, ctx: LowerContext, out: Col[]): Rel {
  const params = operatorParams(op, ctx.opts.text);
  const sc = scalarCtx(ctx, scope, env(input));
  const items: { name: string; expr: Scalar; toType: KqlScalarType; bagExpansion: 'bag' | 'array' }[] = [];
  const bagExpansion = (params.get('bagexpansion') ?? 'bag').toLowerCase() === 'array' ? 'array' : 'bag';
  for (const item of kidsOf(op, 'MvExpandExpression')) {
    const [exprNode, toClause] = kids(item);
    let name: string;
    let expr: Scalar;
    if (exprNode!.cls === 'SimpleNamedExpression') {
      const [decl, value] = kids(exprNode!);
      name = nameOf(decl!);
      expr = lowerScalar(value!, sc);
    } else {
      expr = lowerScalar(exprNode!, sc);
      // Unnamed: a column keeps its name; `f(col)` expands into `col`; otherwise the binder's new column.
      const inner = expr.k === 'call' ? expr.args[0] : undefined;
      const newCol = out.find((c) => !input.columns.some((x) => x.name === c.name) && c.name !== params.get('with_itemindex'));
      name = expr.k === 'col' ? expr.name : inner?.k === 'col' && !newCol ? inner.name : newCol?.name ?? 'Column1';
    }
    const toType = toClause ? toKql(typeOfName(kids(toClause)[0]!, ctx) as never, 'dynamic') : 'dynamic';
    items.push({ name, expr, toType, bagExpansion });
  }
  const limitClause = firstKid(op, 'MvExpandRowLimitClause');
  let limit: number | undefined;
  if (limitClause) {
    const l = lowerScalar(kids(limitClause)[0]!, sc);
    if (l.k === 'lit') limit = Number(l.value);
  }
  const withItemIndex = params.get('with_itemindex');
  return {
    op: 'mv-expand', columns: out, input, items,
    ...(limit !== undefined ? { limit } : {}), ...(withItemIndex ? { withItemIndex } : {}),
  };
}

/** `evaluate pivot(…)` and `evaluate bag_unpack(…)`; other plugins are not supported. */
function lowerEvaluate(op: SNode, input: Rel, scope: Scope, ctx: LowerContext, out: Col[]): Rel {
  const callNode = kids(op).find((k) => k.cls === 'FunctionCallExpression');
  const plugin = (callNode?.symbol?.name ?? (callNode ? nameOf(kids(callNode)[0]!) : '')).toLowerCase();
  const args = callNode ? kids(callNode.children.find((c) => c.cls === 'ExpressionList')!) : [];
  const sc = scalarCtx(ctx, scope, env(input));
  if (plugin === 'pivot') {
    const pivotColumn = nameOf(args[0]!);
    let agg: Aggregate = { name: '__pivot', fn: 'count', args: [], type: 'long' };
    let rest = args.slice(1);
    if (rest[0]?.cls === 'FunctionCallExpression' && rest[0].symbol?.isAggregate) {
      const a = rest[0];
      const fn = (a.symbol?.name ?? '').toLowerCase();
      const aargs = kids(a.children.find((c) => c.cls === 'ExpressionList')!).map((x) => lowerScalar(x, sc));
      agg = { name: '__pivot', fn, args: aargs, type: scalarType(a.type, 'long') };
      rest = rest.slice(1);
    }
    const used = new Set<string>([pivotColumn]);
    for (const a of agg.args) if (a.k === 'col') used.add(a.name);
    const groupBy = rest.length > 0 ? rest.map((r) => nameOf(r)) : input.columns.map((c) => c.name).filter((n) => !used.has(n));
    ctx.dynamicSchema = true;
    return { op: 'pivot', columns: out, input, pivotColumn, agg, groupBy };
  }
  if (plugin === 'bag_unpack') {
    const column = nameOf(args[0]!);
    const prefixNode = args[1];
    const prefix = prefixNode?.constString ?? '';
    ctx.dynamicSchema = true;
    return { op: 'bag-unpack', columns: out, input, column, prefix };
  }
  throw ctx.unsupported(`the evaluate plugin '${plugin || ctx.nodeText(op)}'`, op);
}

/** `parse` / `parse-where`: builds one regular expression and extracts typed columns. */
function lowerParse(op: SNode, input: Rel, scope: Scope, ctx: LowerContext, out: Col[]): Rel {
  const params = operatorParams(op, ctx.opts.text);
  const kind = (params.get('kind') ?? 'simple').toLowerCase();
  const flags = params.get('flags') ?? '';
  const parts = kids(op).filter((k) => k.cls !== 'NamedParameter');
  const sourceNode = parts[0]!;
  const pattern = parts.slice(1);
  const sc = scalarCtx(ctx, scope, env(input));
  const source = lowerScalar(sourceNode, sc);
  let regex = '';
  const captures: { name: string; type: KqlScalarType }[] = [];
  pattern.forEach((p, i) => {
    const isLast = i === pattern.length - 1;
    if (p.cls === 'StarExpression') {
      regex += isLast ? '.*' : '.*?';
    } else if (p.cls === 'LiteralExpression' || p.cls === 'CompoundStringLiteralExpression') {
      const s = p.constString ?? '';
      regex += kind === 'regex' ? s : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    } else if (p.cls === 'NameAndTypeDeclaration' || p.cls === 'NameDeclaration') {
      const decl = p.cls === 'NameDeclaration' ? p : kids(p)[0]!;
      const name = nameOf(decl);
      const type = toKql(decl.type?.kind === 'scalar' ? decl.type.name : 'string', 'string');
      captures.push({ name, type });
      regex += `(${captureBody(type, kind, isLast)})`;
    } else {
      throw ctx.unsupported(`the parse pattern element '${ctx.nodeText(p)}'`, p);
    }
  });
  const anchored = kind === 'regex' ? regex : '^' + regex + (kind === 'relaxed' ? '' : '');
  const fullRegex = (flags.includes('i') ? '(?i)' : '') + anchored;
  const exprs: NamedScalar[] = out.map((c) => {
    const idx = captures.findIndex((x) => x.name === c.name);
    if (idx < 0) return { name: c.name, expr: passThrough(input, c.name) };
    const raw = call('__parse_group', [source, lit(fullRegex, 'string'), lit(BigInt(idx + 1), 'long')], 'string');
    return { name: c.name, expr: convertCapture(raw, c.type) };
  });
  const projected: Rel = { op: 'project', columns: out, input, exprs };
  if (op.cls !== 'ParseWhereOperator') return withOrder(projected, orderOf(input));
  const matched = call('__parse_matches', [source, lit(fullRegex, 'string')], 'bool');
  const filtered: Rel = { op: 'filter', columns: input.columns, input, predicate: matched };
  return withOrder({ op: 'project', columns: out, input: filtered, exprs }, orderOf(input));
}

function captureBody(type: KqlScalarType, kind: string, greedy: boolean): string {
  switch (type) {
    case 'long': case 'int': return '-?\\d+';
    case 'real': case 'decimal': return '-?\\d+(?:\\.\\d*)?(?:[eE][-+]?\\d+)?';
    case 'bool': return '(?:true|false|True|False|TRUE|FALSE|0|1)';
    default: return greedy ? '.*' : kind === 'regex' ? '.*?' : '.*?';
  }
}

function convertCapture(raw: Scalar, type: KqlScalarType): Scalar {
  switch (type) {
    case 'string': return raw;
    case 'long': return call('tolong', [raw], 'long');
    case 'int': return call('toint', [raw], 'int');
    case 'real': case 'decimal': return call('todouble', [raw], 'real');
    case 'bool': return call('tobool', [raw], 'bool');
    case 'datetime': return call('todatetime', [raw], 'datetime');
    case 'timespan': return call('totimespan', [raw], 'timespan');
    case 'guid': return call('toguid', [raw], 'guid');
    case 'dynamic': return call('todynamic', [raw], 'dynamic');
  }
}

export type { JoinKind };
export { env as rowEnv, passThrough, tableCols };
