/**
 * Lowering of tabular sources: tables, `let` names, parentheses, `materialize`, calls of tabular
 * functions, `datatable`, `print`, `range`, `externaldata`, and a leading `union`.
 */
import type { SNode } from '../kql/kusto-adapter.js';
import type { LiteralValue } from '../sql/dialect.js';
import { kids, kidsOf, type LowerContext, nameOf, operatorParams, type Scope, tableCols, toKql } from './context.js';
import type { Col, Rel, Scalar } from './ir.js';
import { lowerTabular, scalarCtx } from './lower.js';
import { bindUserArgs, lowerScalar } from './lower-scalar.js';
import { lowerUnion } from './lower-operators.js';

export function lowerSource(n: SNode, scope: Scope, ctx: LowerContext, input?: Rel): Rel {
  switch (n.cls) {
    case 'NameReference':
      return lowerNamedSource(n, scope, ctx, input);
    case 'ParenthesizedExpression':
      return lowerTabular(kids(n)[0]!, scope, ctx, input);
    case 'MaterializeExpression': {
      const inner = lowerTabular(kids(n)[0]!, scope, ctx, input);
      return ctx.addCte('materialize', inner, true);
    }
    case 'FunctionCallExpression':
      return lowerTabularCall(n, scope, ctx, input);
    case 'DataTableExpression':
      return lowerDatatable(n, scope, ctx);
    case 'ExternalDataExpression':
      return lowerExternalData(n, ctx);
    case 'PrintOperator':
      return lowerPrint(n, scope, ctx);
    case 'RangeOperator':
      return lowerRange(n, scope, ctx);
    case 'UnionOperator':
      return lowerUnion(n, undefined, scope, ctx, tableCols(n));
    case 'FindOperator':
      return lowerFind(n, scope, ctx);
    default:
      throw ctx.unsupported(`'${ctx.nodeText(n).slice(0, 50)}' as a tabular source (${n.cls})`, n);
  }
}

function lowerNamedSource(n: SNode, scope: Scope, ctx: LowerContext, input?: Rel): Rel {
  const name = nameOf(n);
  const kind = n.symbol?.kind;
  if (kind === 'Variable' || kind === 'Parameter') {
    const b = scope.get(name);
    if (b?.kind === 'table') return b.rel;
    throw ctx.error('kql/semantic-error', `'${name}' is not a tabular value here`, n);
  }
  if (kind === 'Function' || n.expansion) {
    return lowerTabularCall({ ...n, cls: 'FunctionCallExpression', children: [n] }, scope, ctx, input);
  }
  const bound = scope.get(name);
  if (bound?.kind === 'table') return bound.rel;
  const t = ctx.opts.table(name);
  if (!t) throw ctx.error('kql/unknown-table', `there is no table named '${name}'`, n);
  let rel: Rel = {
    op: 'scan',
    table: t.name,
    view: t.view,
    columns: t.columns.map((c) => ({ name: c.name, type: c.type })),
    sources: t.columns.map((c) => t.mapping[c.name] ?? { physical: c.name }),
  };
  const range = ctx.opts.timeRange;
  if (range && t.timeColumn) {
    const tc: Scalar = { k: 'col', name: t.timeColumn, type: 'datetime' };
    const predicate: Scalar = {
      k: 'call', fn: 'and', type: 'bool', args: [
        { k: 'call', fn: '>=', type: 'bool', args: [tc, { k: 'param', name: 'from', type: 'datetime' }] },
        { k: 'call', fn: '<', type: 'bool', args: [tc, { k: 'param', name: 'to', type: 'datetime' }] },
      ],
    };
    rel = { op: 'filter', columns: rel.columns, input: rel, predicate };
  }
  return rel;
}

/** A call of a tabular `let` function or database function (e.g. ASIM `_Im_NetworkSession(...)`). */
export function lowerTabularCall(n: SNode, scope: Scope, ctx: LowerContext, input?: Rel): Rel {
  const body = n.expansion;
  if (!body) throw ctx.unsupported(`the tabular function call '${ctx.nodeText(n).slice(0, 50)}'`, n);
  const sc = scalarCtx(ctx, scope, { cols: new Map(), order: [] });
  const params = n.params ?? [];
  let skip = 0;
  let fnScope: Scope;
  if (input) {
    // invoke: the piped input binds to the first (tabular) parameter.
    skip = 1;
    fnScope = bindUserArgs(n, scope, (a) => bindArg(a), sc, 1);
    if (params[0]) fnScope.set(params[0].name, { kind: 'table', rel: input });
  } else {
    fnScope = bindUserArgs(n, scope, (a) => bindArg(a), sc, skip);
  }
  return lowerFunctionBody(body, fnScope, ctx);

  function bindArg(a: SNode) {
    if (a.type?.kind === 'table') return { kind: 'table' as const, rel: lowerTabular(a, scope, ctx) };
    return { kind: 'scalar' as const, expr: lowerScalar(a, sc) };
  }
}

export function lowerFunctionBody(body: SNode, scope: Scope, ctx: LowerContext): Rel {
  const statements = body.cls === 'FunctionBody' ? kids(body) : [body];
  let s = scope;
  let result: Rel | undefined;
  for (const st of statements) {
    if (st.cls === 'LetStatement') {
      const [decl, value] = kids(st);
      const name = nameOf(decl!);
      const next = s.child();
      if (value && value.cls !== 'FunctionDeclaration') {
        if (value.type?.kind === 'table') next.set(name, { kind: 'table', rel: lowerTabular(value, s, ctx) });
        else next.set(name, { kind: 'scalar', expr: lowerScalar(value, scalarCtx(ctx, s, { cols: new Map(), order: [] })) });
      }
      s = next;
    } else {
      const expr = st.cls === 'ExpressionStatement' ? kids(st)[0]! : st;
      result = lowerTabular(expr, s, ctx);
    }
  }
  if (!result) throw ctx.error('kql/semantic-error', 'the function body has no tabular result', body);
  return result;
}

function schemaCols(n: SNode): Col[] {
  const schema = n.children.find((c) => c.cls === 'RowSchema');
  if (!schema) return [];
  return kidsOf(schema, 'NameAndTypeDeclaration').map((d) => {
    const decl = kids(d)[0]!;
    return { name: nameOf(decl), type: toKql(decl.type?.kind === 'scalar' ? decl.type.name : 'string', 'string') };
  });
}

function lowerDatatable(n: SNode, scope: Scope, ctx: LowerContext): Rel {
  const columns = schemaCols(n);
  const values = kids(n).filter((k) => k.cls !== 'RowSchema' && k.cls !== 'NamedParameter');
  if (columns.length === 0) throw ctx.error('kql/semantic-error', 'datatable needs at least one column', n);
  if (values.length % columns.length !== 0) {
    throw ctx.error('kql/semantic-error', `datatable has ${values.length} values, not a multiple of its ${columns.length} columns`, n);
  }
  const sc = scalarCtx(ctx, scope, { cols: new Map(), order: [] });
  const rows: LiteralValue[][] = [];
  for (let i = 0; i < values.length; i += columns.length) {
    const row: LiteralValue[] = [];
    for (let j = 0; j < columns.length; j++) {
      const e = lowerScalar(values[i + j]!, sc);
      if (e.k !== 'lit') throw ctx.error('kql/semantic-error', 'datatable values must be constants', values[i + j]);
      row.push(convertLiteral(e.value, e.type, columns[j]!.type));
    }
    rows.push(row);
  }
  return { op: 'values', columns, rows };
}

/** Converts a constant to a column type (datatable values such as `1` in a real column, `"x"` in a dynamic one). */
function convertLiteral(v: LiteralValue, from: string, to: string): LiteralValue {
  if (v === null || from === to) return v;
  if (to === 'real' || to === 'decimal') return typeof v === 'bigint' ? Number(v) : v;
  if ((to === 'long' || to === 'int') && typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  return v;
}

function lowerExternalData(n: SNode, ctx: LowerContext): Rel {
  const columns = schemaCols(n);
  const urls: string[] = [];
  const obfuscated: boolean[] = [];
  for (const k of kids(n)) {
    if (k.cls === 'LiteralExpression' || k.cls === 'CompoundStringLiteralExpression') {
      if (k.constString !== undefined) {
        urls.push(k.constString);
        obfuscated.push(/^[hH]/.test(ctx.nodeText(k).trim()));
      }
    }
  }
  const props: Record<string, string> = {};
  const withClause = n.children.find((c) => c.cls === 'DataFormatClause' || c.cls === 'WithClause' || c.cls === 'ExternalDataWithClause');
  const propNodes = withClause ? kidsOf(withClause, 'NamedParameter') : kidsOf(n, 'NamedParameter');
  for (const p of propNodes) {
    const [nameNode, value] = kids(p);
    if (!nameNode) continue;
    const raw = value ? ctx.nodeText(value).trim() : '';
    props[nameOf(nameNode).toLowerCase()] = value?.constString ?? raw.replace(/^["']|["']$/g, '');
  }
  const format = (props.format ?? guessFormat(urls[0] ?? '')).toLowerCase();
  const ignoreFirstRecord = /^true$/i.test(props.ignorefirstrecord ?? 'false');
  return { op: 'external', columns, urls, ...(obfuscated.some(Boolean) ? { obfuscated } : {}), format, ignoreFirstRecord, properties: props };
}

function guessFormat(url: string): string {
  const path = url.split('?')[0]!.toLowerCase();
  const m = /\.([a-z]+)(?:\.gz)?$/.exec(path);
  const ext = m?.[1] ?? 'csv';
  return ['csv', 'tsv', 'psv', 'json', 'multijson', 'txt', 'raw', 'parquet'].includes(ext) ? ext : 'csv';
}

function lowerPrint(n: SNode, scope: Scope, ctx: LowerContext): Rel {
  const cols = tableCols(n) ?? [];
  const items = kids(n);
  const one: Rel = { op: 'values', columns: [], rows: [[]] };
  const sc = scalarCtx(ctx, scope, { cols: new Map(), order: [] });
  const exprs = items.map((item, i) => {
    const col = cols[i];
    const e = lowerScalar(item, sc);
    return { name: col?.name ?? `print_${i}`, expr: e };
  });
  const columns = exprs.map((e, i) => ({ name: e.name, type: cols[i]?.type ?? e.expr.type }));
  return { op: 'project', input: one, columns, exprs };
}

function lowerRange(n: SNode, scope: Scope, ctx: LowerContext): Rel {
  const cols = tableCols(n)!;
  const [, from, to, step] = kids(n);
  const sc = scalarCtx(ctx, scope, { cols: new Map(), order: [] });
  return { op: 'range', columns: cols, from: lowerScalar(from!, sc), to: lowerScalar(to!, sc), step: lowerScalar(step!, sc) };
}

/**
 * `find in (T1, T2, …) where predicate [project cols]`: a union of the filtered tables with `source_`, the
 * columns the binder reports (common columns, or the projected ones) and `pack_` (the rest as a bag).
 * A column the predicate names but a table lacks reads as null there.
 */
function lowerFind(n: SNode, scope: Scope, ctx: LowerContext): Rel {
  const out = tableCols(n) ?? [];
  const inClause = n.children.find((c) => c.cls === 'FindInClause');
  if (!inClause) throw ctx.unsupported('find without an `in (…)` table list', n);
  const tableNodes = kids(inClause);
  const predNode = kids(n).find((k) => k.cls !== 'FindInClause' && k.cls !== 'FindProjectClause' && k.cls !== 'NamedParameter');
  const inputs: { rel: Rel; map: (string | null)[]; source: string }[] = [];
  for (const t of tableNodes) {
    const rel = lowerTabular(t, scope, ctx);
    const name = nameOf(t);
    const base = new Map<string, Scalar>(rel.columns.map((c) => [c.name, { k: 'col', name: c.name, type: c.type } as Scalar]));
    const cols = new Proxy(base, {
      get(target, prop, receiver) {
        if (prop === 'get') return (key: string) => target.get(key) ?? { k: 'lit', value: null, type: 'string' };
        const v = Reflect.get(target, prop, receiver) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    const filtered: Rel = predNode
      ? { op: 'filter', columns: rel.columns, input: rel, predicate: lowerScalar(predNode, scalarCtx(ctx, scope, { cols, order: [] })) }
      : rel;
    const named = new Set(out.map((c) => c.name));
    const exprs = out.map((c) => {
      if (c.name === 'source_') return { name: c.name, expr: { k: 'lit', value: name, type: 'string' } as Scalar };
      if (c.name === 'pack_') {
        const rest = rel.columns.filter((x) => !named.has(x.name));
        const args: Scalar[] = rest.flatMap((x) => [{ k: 'lit', value: x.name, type: 'string' } as Scalar, { k: 'col', name: x.name, type: x.type } as Scalar]);
        return { name: c.name, expr: { k: 'call', fn: 'bag_pack', args, type: 'dynamic' } as Scalar };
      }
      const col = rel.columns.find((x) => x.name === c.name && x.type === c.type);
      return { name: c.name, expr: col ? ({ k: 'col', name: col.name, type: col.type } as Scalar) : ({ k: 'lit', value: null, type: c.type } as Scalar) };
    });
    const projected: Rel = { op: 'project', columns: out, input: filtered, exprs };
    inputs.push({ rel: projected, map: out.map((c) => c.name), source: name });
  }
  return { op: 'union', columns: out, inputs };
}

export { operatorParams };
