/**
 * `mv-apply [with_itemindex=I] x = Arr to typeof(T), … [limit N] on (SubQuery)`.
 *
 * Kusto expands each input row into a sub-table (mv-expand), runs the sub-query on every sub-table, adds back
 * the source row's columns the sub-query did not output, and unions the results. Here every input row gets
 * a row id `__rid` (a materialized CTE, so the id is stable), the rows are expanded once, and each sub-query
 * operator is lowered as usual and then made "per source row":
 *
 * - row-wise operators (where, extend, project*, parse, sort, mv-expand) just carry `__rid` along;
 * - `summarize`/`count` group by `__rid` as well, `distinct` keeps it;
 * - `top N by …` / `take N` become a window `row_number() OVER (PARTITION BY __rid …) <= N`.
 *
 * Other operators inside the sub-query are refused (`kql/unsupported`). Difference from Kusto: a source row
 * whose array is empty yields no row even when the sub-query is a bare `summarize` (Kusto would produce
 * one row of empty-input aggregates).
 */
import type { KqlScalarType } from '../catalog/types.js';
import type { SNode } from '../kql/kusto-adapter.js';
import { firstKid, kids, kidsOf, type LowerContext, nameOf, operatorParams, type Scope, tableCols, toKql } from './context.js';
import type { Col, Rel, Scalar } from './ir.js';
import { scalarCtx } from './lower.js';
import { lowerOperator, rowEnv } from './lower-operators.js';
import { call, lowerScalar, typeOfName } from './lower-scalar.js';

const RID = '__rid';
const RN = '__rn';
const ridCol: Col = { name: RID, type: 'long' };
const col = (c: Col): Scalar => ({ k: 'col', name: c.name, type: c.type });
const hasRid = (r: Rel) => r.columns.some((c) => c.name === RID);

/** The operators of a sub-query pipe chain, left to right. */
function chain(n: SNode): SNode[] {
  if (n.cls === 'PipeExpression') {
    const [left, right] = kids(n);
    return [...chain(left!), right!];
  }
  if (n.cls === 'ParenthesizedExpression' || n.cls === 'MvApplySubqueryExpression') return chain(kids(n)[0]!);
  return [n];
}

export function lowerMvApply(op: SNode, input: Rel, scope: Scope, ctx: LowerContext, out: Col[]): Rel {
  const params = operatorParams(op, ctx.opts.text);
  const withItemIndex = params.get('with_itemindex');
  const numbered = ctx.addCte('mv_apply_rows', {
    op: 'project', input, columns: [...input.columns, ridCol],
    exprs: [...input.columns.map((c) => ({ name: c.name, expr: col(c) })), { name: RID, expr: { k: 'window', fn: 'row_number', args: [], type: 'long', order: [], identity: true } }],
  }, true);

  // 1. Expand (as mv-expand does); the expanded sub-table keeps every source column plus __rid.
  const sc = scalarCtx(ctx, scope, rowEnv(numbered));
  const items: { name: string; expr: Scalar; toType: KqlScalarType; bagExpansion: 'bag' | 'array' }[] = [];
  for (const item of kidsOf(op, 'MvApplyExpression')) {
    const [exprNode, toClause] = kids(item);
    const named = exprNode!.cls === 'SimpleNamedExpression';
    const valueNode = named ? kids(exprNode!)[1]! : exprNode!;
    const expr = lowerScalar(valueNode, sc);
    const name = named ? nameOf(kids(exprNode!)[0]!) : expr.k === 'col' ? expr.name : '';
    if (!name) throw ctx.unsupported('an unnamed computed mv-apply item (name it: `x = …`)', item);
    const toType = toClause ? toKql(typeOfName(kids(toClause)[0]!, ctx) as never, 'dynamic') : 'dynamic';
    items.push({ name, expr, toType, bagExpansion: 'bag' });
  }
  const subCols: Col[] = numbered.columns.map((c) => {
    const it = items.find((x) => x.name === c.name);
    return it ? { name: c.name, type: it.toType } : c;
  });
  for (const it of items) if (!subCols.some((c) => c.name === it.name)) subCols.push({ name: it.name, type: it.toType });
  if (withItemIndex) subCols.push({ name: withItemIndex, type: 'long' });
  const limitClause = firstKid(op, 'MvApplyRowLimitClause');
  const limitValue = limitClause ? lowerScalar(kids(limitClause)[0]!, sc) : undefined;
  let cur: Rel = {
    op: 'mv-expand', columns: subCols, input: numbered, items,
    ...(limitValue?.k === 'lit' ? { limit: Number(limitValue.value) } : {}), ...(withItemIndex ? { withItemIndex } : {}),
  };

  // 2. The sub-query, operator by operator, per source row.
  const sub = firstKid(op, 'MvApplySubqueryExpression');
  if (!sub) throw ctx.error('kql/syntax-error', 'mv-apply needs `on (sub-query)`', op);
  for (const o of chain(sub)) {
    const lowered = lowerOperator(o, cur, scope, ctx, tableCols(o));
    cur = perRow(o, lowered, cur, ctx);
  }

  // 3. Source columns the sub-query did not output come from the source row.
  const fromSource = out.filter((c) => !cur.columns.some((x) => x.name === c.name));
  if (fromSource.length === 0) {
    return { op: 'project', input: cur, columns: out, exprs: out.map((c) => ({ name: c.name, expr: col(cur.columns.find((x) => x.name === c.name)!) })) };
  }
  const result = cur;
  return {
    op: 'join', kind: 'inner', left: result, right: numbered, on: [{ left: col(ridCol), right: col(ridCol) }],
    columns: out.map((c) => result.columns.find((x) => x.name === c.name) ?? numbered.columns.find((x) => x.name === c.name) ?? c),
    outputs: out.map((c) => ({ name: c.name, side: result.columns.some((x) => x.name === c.name) ? 'left' as const : 'right' as const, column: c.name })),
  };
}

/** Makes one lowered sub-query operator act per source row (see the module comment). */
function perRow(o: SNode, lowered: Rel, input: Rel, ctx: LowerContext): Rel {
  if (o.cls === 'TopOperator' || o.cls === 'TakeOperator' || o.cls === 'LimitOperator') {
    if (lowered.op !== 'limit') throw ctx.unsupported(`this '${o.cls}' inside mv-apply`, o);
    const order = lowered.input.op === 'sort' ? lowered.input.keys : [];
    const rn: Scalar = { k: 'window', fn: 'row_number', args: [], type: 'long', order, partition: [col(ridCol)] };
    const numbered: Rel = {
      op: 'project', input, columns: [...input.columns, { name: RN, type: 'long' }],
      exprs: [...input.columns.map((c) => ({ name: c.name, expr: col(c) })), { name: RN, expr: rn }],
    };
    const kept: Rel = { op: 'filter', input: numbered, columns: numbered.columns, predicate: call('<=', [col({ name: RN, type: 'long' }), lowered.count], 'bool') };
    return { op: 'project', input: kept, columns: input.columns, exprs: input.columns.map((c) => ({ name: c.name, expr: col(c) })) };
  }
  const withRid = keepRid(lowered);
  if (!withRid) throw ctx.unsupported(`the '${o.cls.replace(/Operator$/, '')}' operator inside mv-apply`, o);
  return withRid;
}

/** The relation with `__rid` carried through, or undefined when that is not possible. */
function keepRid(r: Rel): Rel | undefined {
  if (hasRid(r)) return r;
  switch (r.op) {
    case 'project': {
      const input = keepRid(r.input);
      if (!input) return undefined;
      return { ...r, input, columns: [...r.columns, ridCol], exprs: [...r.exprs, { name: RID, expr: col(ridCol) }] };
    }
    case 'aggregate': {
      const input = keepRid(r.input);
      if (!input) return undefined;
      const nk = r.keys.length;
      return { ...r, input, keys: [...r.keys, { name: RID, expr: col(ridCol) }], columns: [...r.columns.slice(0, nk), ridCol, ...r.columns.slice(nk)] };
    }
    case 'distinct': {
      const input = keepRid(r.input);
      return input ? { ...r, input, columns: input.columns } : undefined;
    }
    case 'mv-expand':
      return hasRid(r.input) ? { ...r, columns: [...r.columns, ridCol] } : undefined;
    case 'filter':
    case 'sort': {
      const input = keepRid(r.input);
      return input ? { ...r, input, columns: input.columns } as Rel : undefined;
    }
    default:
      return undefined;
  }
}
