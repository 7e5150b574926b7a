/**
 * `top-nested [N] of Expr [with others = C] by Agg [asc|desc], top-nested …`: hierarchical top-N.
 *
 * Level i summarizes the input by the keys of levels 0…i (the ordinary summarize lowering, so any aggregate
 * or expression over aggregates works), ranks the groups within their parent (a window partitioned by the
 * keys of levels 0…i-1, ordered by the aggregate, `desc` by default) and keeps the first N. The levels are
 * then inner-joined on their shared keys, which keeps exactly the children of surviving parents.
 *
 * `with others = C`: the input rows are tagged with their group's rank; groups past N get the key C and are
 * summarized again, so the "others" row is the aggregate over all the records that did not make the top
 * (not a sum of partial results, which would be wrong for dcount/avg). Supported on the last level.
 */
import type { SNode } from '../kql/kusto-adapter.js';
import { firstKid, kids, kidsOf, type LowerContext, type Scope } from './context.js';
import type { Col, NamedScalar, Rel, Scalar } from './ir.js';
import { scalarCtx } from './lower.js';
import { call, lowerScalar } from './lower-scalar.js';
import { lowerSummarize } from './lower-summarize.js';
import { rowEnv } from './lower-operators.js';
import { syntheticColumnRef } from './lower-series.js';

interface Level {
  readonly count?: SNode;
  readonly key: SNode;
  readonly others?: SNode;
  readonly agg: SNode;
  readonly desc: boolean;
}

const RANK = '__rank';
const col = (c: Col): Scalar => ({ k: 'col', name: c.name, type: c.type });

function readLevel(clause: SNode, ctx: LowerContext): Level {
  let seenOf = false;
  let count: SNode | undefined;
  let key: SNode | undefined;
  let others: SNode | undefined;
  let agg: SNode | undefined;
  for (const c of clause.children) {
    if (c.cls === 'Token') {
      if (c.kind === 'OfKeyword') seenOf = true;
      continue;
    }
    if (!seenOf) count = c;
    else if (c.cls === 'TopNestedWithOthersClause') others = kids(c)[0];
    else if (!key) key = c;
    else agg = c;
  }
  if (!key || !agg) throw ctx.error('kql/syntax-error', 'top-nested needs `of Expr by Aggregation`', clause);
  let desc = true;
  if (agg.cls === 'OrderedExpression') {
    const ordering = firstKid(agg, 'OrderingClause');
    if (ordering && ordering.children.some((t) => t.kind === 'AscKeyword')) desc = false;
    agg = kids(agg)[0]!;
  }
  return { ...(count ? { count } : {}), key, ...(others ? { others } : {}), agg, desc };
}

/** `summarize agg by keys` through the summarize lowering, with the binder's output names. */
function summarizeLevel(keys: SNode[], agg: SNode, input: Rel, scope: Scope, ctx: LowerContext, out: Col[], at: SNode): Rel {
  const node: SNode = {
    cls: 'SummarizeOperator', kind: 'SummarizeOperator', start: at.start, end: at.end,
    children: [agg, { cls: 'SummarizeByClause', kind: 'SummarizeByClause', start: at.start, end: at.end, children: keys }],
  };
  return lowerSummarize(node, input, scope, ctx, out);
}

export function lowerTopNested(op: SNode, input: Rel, scope: Scope, ctx: LowerContext, out: Col[]): Rel {
  const levels = kidsOf(op, 'TopNestedClause').map((c) => readLevel(c, ctx));
  const base = levels.length > 1 && input.op !== 'ref' ? ctx.addCte('top_nested_input', input, true) : input;
  const constSc = scalarCtx(ctx, scope, { cols: new Map(), order: [] });
  const keyCols = levels.map((_, i) => out[2 * i]!);
  const aggCols = levels.map((_, i) => out[2 * i + 1]!);

  const ranked = (rel: Rel, i: number): Rel => {
    const aggCol = col(aggCols[i]!);
    const rank: Scalar = {
      k: 'window', fn: 'row_number', args: [], type: 'long',
      order: [{ expr: aggCol, desc: levels[i]!.desc, nullsFirst: !levels[i]!.desc }],
      partition: keyCols.slice(0, i).map((c) => call('__series_key', [col(c)], 'string')),
    };
    return {
      op: 'project', input: rel, columns: [...rel.columns, { name: RANK, type: 'long' }],
      exprs: [...rel.columns.map((c) => ({ name: c.name, expr: col(c) })), { name: RANK, expr: rank }],
    };
  };

  const levelRels: Rel[] = levels.map((lv, i) => {
    const outCols = [...keyCols.slice(0, i + 1), aggCols[i]!];
    const keys = levels.slice(0, i + 1).map((l) => l.key);
    const summarized = summarizeLevel(keys, lv.agg, base, scope, ctx, outCols, op);
    if (!lv.count) return summarized;
    const n = lowerScalar(lv.count, constSc);
    if (lv.others) {
      if (i !== levels.length - 1) throw ctx.unsupported('`with others` on a top-nested level that has nested levels below it', lv.others);
      return withOthers(ranked(summarized, i), n, lowerScalar(lv.others, constSc), i);
    }
    const r = ranked(summarized, i);
    const kept: Rel = { op: 'filter', input: r, columns: r.columns, predicate: call('<=', [col({ name: RANK, type: 'long' }), n], 'bool') };
    return { op: 'project', input: kept, columns: summarized.columns, exprs: summarized.columns.map((c) => ({ name: c.name, expr: col(c) })) };
  });

  // Tag each input row with its last-level group's rank; groups past N get the `others` key.
  function withOthers(rankedRel: Rel, n: Scalar, othersKey: Scalar, i: number): Rel {
    const lv = levels[i]!;
    const sc = scalarCtx(ctx, scope, rowEnv(base));
    const keyExprs = levels.slice(0, i + 1).map((l) => lowerScalar(l.key.cls === 'SimpleNamedExpression' ? kids(l.key)[1]! : l.key, sc));
    const tmpKeys = keyExprs.map((_, j) => `__k${j}`);
    const keyed: Rel = {
      op: 'project', input: base,
      columns: [...base.columns, ...keyExprs.map((e, j) => ({ name: tmpKeys[j]!, type: e.type }))],
      exprs: [...base.columns.map((c) => ({ name: c.name, expr: col(c) })), ...keyExprs.map((e, j) => ({ name: tmpKeys[j]!, expr: e }))],
    };
    const rankCols = [...keyCols.slice(0, i + 1)];
    const tagged: Rel = {
      op: 'join', kind: 'inner', left: keyed, right: rankedRel,
      on: rankCols.map((c, j) => ({ left: call('__series_key', [col(keyed.columns.find((x) => x.name === tmpKeys[j])!)], 'string'), right: call('__series_key', [col(c)], 'string') })),
      columns: [...keyed.columns, { name: RANK, type: 'long' }],
      outputs: [...keyed.columns.map((c) => ({ name: c.name, side: 'left' as const, column: c.name })), { name: RANK, side: 'right', column: RANK }],
    };
    const keyCol = keyCols[i]!;
    const lastKey = col(keyed.columns.find((x) => x.name === tmpKeys[i])!);
    const folded = call('iff', [call('<=', [col({ name: RANK, type: 'long' }), n], 'bool'), lastKey, othersKey.type === keyCol.type ? othersKey : call('tostring', [othersKey], keyCol.type)], keyCol.type);
    const withKey: Rel = {
      op: 'project', input: tagged, columns: [...tagged.columns, { name: '__kfold', type: keyCol.type }],
      exprs: [...tagged.columns.map((c) => ({ name: c.name, expr: col(c) })), { name: '__kfold', expr: folded }],
    };
    const keyRefs = [...tmpKeys.slice(0, i).map((k) => syntheticColumnRef(k, withKey.columns.find((c) => c.name === k)!.type, op)), syntheticColumnRef('__kfold', keyCol.type, op)];
    return summarizeLevel(keyRefs, lv.agg, withKey, scope, ctx, [...keyCols.slice(0, i + 1), aggCols[i]!], op);
  }

  // Join the levels on their shared keys (inner: children of dropped parents go too).
  let acc = levelRels[0]!;
  let accCols: Col[] = [keyCols[0]!, aggCols[0]!];
  for (let i = 1; i < levelRels.length; i++) {
    const right = levelRels[i]!;
    const shared = keyCols.slice(0, i);
    const newCols = [keyCols[i]!, aggCols[i]!];
    acc = {
      op: 'join', kind: 'inner', left: acc, right,
      on: shared.map((c) => ({ left: call('__series_key', [col(c)], 'string'), right: call('__series_key', [col(c)], 'string') })),
      columns: [...accCols, ...newCols],
      outputs: [...accCols.map((c) => ({ name: c.name, side: 'left' as const, column: c.name })), ...newCols.map((c) => ({ name: c.name, side: 'right' as const, column: c.name }))],
    };
    accCols = [...accCols, ...newCols];
  }
  const exprs: NamedScalar[] = out.map((c) => ({ name: c.name, expr: col(accCols.find((x) => x.name === c.name) ?? c) }));
  return { op: 'project', input: acc, columns: out, exprs };
}
