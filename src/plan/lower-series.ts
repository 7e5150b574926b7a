/**
 * `make-series Agg [default=D], … on Axis (from F) (to T) step S | in range(F, T, S) [by Keys]` lowered to
 * plain relations:
 *
 *   1. every input row gets its bin index `__idx = floor((Axis - F) / S)`; rows outside the series drop;
 *   2. `summarize Aggs by Keys, __idx` (the ordinary summarize lowering, so every aggregate works);
 *   3. a grid of every series key × every bin (`range`), left-joined to the binned values;
 *   4. per key, each aggregate becomes a JSON array ordered by bin, missing bins filled with the default;
 *   5. the axis array `F + k*S` (k = 0 … n-1) is added as the last column, named as the binder names it.
 *
 * Bounds: `from`/`to` form — bins `F + k*S < T` (T exclusive); `in range(F, T, S)` — bins from bin(F, S)
 * (Kusto bins that form with bin(), not bin_at()) up to and including T. A missing `from` is the bin of the smallest axis value and a missing `to` the end of the bin
 * of the largest, over the whole input (so all series share one axis, as Kusto's output does in practice).
 * `kind=nonempty` keeps one all-default row when the input is empty and there is no `by`.
 */
import type { KqlScalarType } from '../catalog/types.js';
import type { SNode } from '../kql/kusto-adapter.js';
import { firstKid, kids, kidsOf, type LowerContext, operatorParams, scalarType, type Scope } from './context.js';
import type { Col, NamedScalar, Rel, Scalar } from './ir.js';
import { scalarCtx } from './lower.js';
import { call, lit, lowerScalar } from './lower-scalar.js';
import { lowerSummarize } from './lower-summarize.js';
import { rowEnv } from './lower-operators.js';

const IDX = '__idx';
const COUNT = '__n';
const START = '__start';
const COUNT_BINS = '__bins';

const col = (name: string, type: KqlScalarType): Scalar => ({ k: 'col', name, type });

/** A synthetic name reference to a column the lowering added (e.g. the bin index). */
export function syntheticColumnRef(name: string, type: KqlScalarType, at: SNode): SNode {
  return {
    cls: 'NameReference', kind: 'NameReference', start: at.start, end: at.start, children: [],
    symbol: { kind: 'Column', name }, type: { kind: 'scalar', name: type },
  };
}

export function lowerMakeSeries(op: SNode, input: Rel, scope: Scope, ctx: LowerContext, out: Col[]): Rel {
  const params = operatorParams(op, ctx.opts.text);
  const nonEmpty = (params.get('kind') ?? '').toLowerCase() === 'nonempty';
  const series = kidsOf(op, 'MakeSeriesExpression');
  const onClause = firstKid(op, 'MakeSeriesOnClause');
  const byClause = firstKid(op, 'MakeSeriesByClause');
  const byItems = byClause ? kids(byClause) : [];
  if (!onClause) throw ctx.error('kql/syntax-error', 'make-series needs an `on` axis column', op);
  const axisNode = kids(onClause)[0]!;

  const constEnv = scalarCtx(ctx, scope, { cols: new Map(), order: [] });
  const { from, to, step, inclusive } = bounds(op, constEnv, ctx);

  // Missing bounds come from the data, so the input is read more than once: make it a CTE.
  const needsScan = !from || !to;
  const base: Rel = needsScan && input.op !== 'ref' ? ctx.addCte('series_input', input, true) : input;
  const sc = scalarCtx(ctx, scope, rowEnv(base));
  const axis = lowerScalar(axisNode, sc);
  if (axis.type !== 'datetime' && axis.type !== 'timespan' && axis.type !== 'long' && axis.type !== 'int' && axis.type !== 'real' && axis.type !== 'decimal') {
    throw ctx.error('kql/semantic-error', `the make-series axis must be a datetime, timespan or number, not ${axis.type}`, axisNode);
  }
  // The bounds as one row (`__start`, `__count`): computed from the data when `from`/`to` are absent. Lambdas
  // cannot hold sub-queries, so the bounds travel as columns rather than as scalar sub-queries.
  const minMax: Rel = {
    op: 'aggregate', input: base, keys: [],
    aggs: [{ name: '__min', fn: 'min', args: [axis], type: axis.type }, { name: '__max', fn: 'max', args: [axis], type: axis.type }],
    columns: [{ name: '__min', type: axis.type }, { name: '__max', type: axis.type }],
  };
  const startExpr = from ?? call('bin', [col('__min', axis.type), step], axis.type);
  const countExpr = to
    ? call('__series_bin_count', [startExpr, to, step, lit(inclusive, 'bool')], 'long')
    : call('__series_bin_count', [startExpr, col('__max', axis.type), step, lit(true, 'bool')], 'long');
  const boundsCols: Col[] = [{ name: START, type: axis.type }, { name: COUNT_BINS, type: 'long' }];
  const boundsRel = ctx.addCte('series_bounds', {
    op: 'project', input: needsScan ? minMax : { op: 'values', columns: [], rows: [[]] }, columns: boundsCols,
    exprs: [{ name: START, expr: startExpr }, { name: COUNT_BINS, expr: countExpr }],
  }, true);
  const start = col(START, axis.type);
  const count = col(COUNT_BINS, 'long');

  // 1. bin index, and rows inside the series only.
  const joined: Rel = {
    op: 'join', kind: 'inner', left: base, right: boundsRel, on: [], columns: [...base.columns, ...boundsCols],
    outputs: [...base.columns.map((c) => ({ name: c.name, side: 'left' as const, column: c.name })), ...boundsCols.map((c) => ({ name: c.name, side: 'right' as const, column: c.name }))],
  };
  const idx = call('__series_bin_index', [axis, start, step], 'long');
  const withIdx: Rel = {
    op: 'project', input: joined, columns: [...joined.columns, { name: IDX, type: 'long' }],
    exprs: [...joined.columns.map((c) => ({ name: c.name, expr: col(c.name, c.type) })), { name: IDX, expr: idx }],
  };
  let inRange = call('and', [call('>=', [col(IDX, 'long'), lit(0n, 'long')], 'bool'), call('<', [col(IDX, 'long'), count], 'bool')], 'bool');
  if (to && !inclusive) inRange = call('and', [inRange, call('<', [axis, to], 'bool')], 'bool');
  const filtered: Rel = { op: 'filter', input: withIdx, columns: withIdx.columns, predicate: inRange };

  // 2. summarize Aggs by Keys, __idx — through the ordinary summarize lowering.
  const byCols = out.slice(0, byItems.length);
  const seriesCols = out.slice(byItems.length, byItems.length + series.length);
  const axisCol = out[out.length - 1]!;
  const aggNodes = series.map((s) => kids(s).find((k) => k.cls !== 'DefaultExpressionClause')!);
  const aggTypes = series.map((s) => scalarType(s.type, 'real'));
  const summarizeNode: SNode = {
    cls: 'SummarizeOperator', kind: 'SummarizeOperator', start: op.start, end: op.end,
    children: [...aggNodes, { cls: 'SummarizeByClause', kind: 'SummarizeByClause', start: op.start, end: op.end, children: [...byItems, syntheticColumnRef(IDX, 'long', op)] }],
  };
  const summarizeOut: Col[] = [
    ...byCols, { name: IDX, type: 'long' },
    ...seriesCols.map((c, i) => ({ name: c.name, type: aggTypes[i]! })),
  ];
  const binned = ctx.addCte('series_bins', lowerSummarize(summarizeNode, filtered, scope, ctx, summarizeOut), true);
  const binnedCol = (name: string) => col(name, binned.columns.find((c) => c.name === name)!.type);

  // 3. the series keys (with a row count so that no key + empty input yields no row) × every bin.
  const keyExprs: NamedScalar[] = byCols.map((c) => ({ name: c.name, expr: binnedCol(c.name) }));
  const keyCols = keyExprs.map((k) => ({ name: k.name, type: k.expr.type }));
  let keys: Rel = {
    op: 'aggregate', input: binned, keys: keyExprs, aggs: [{ name: COUNT, fn: 'count', args: [], type: 'long' }],
    columns: [...keyCols, { name: COUNT, type: 'long' }],
  };
  if (!(nonEmpty && byItems.length === 0)) {
    keys = { op: 'filter', input: keys, columns: keys.columns, predicate: call('>', [col(COUNT, 'long'), lit(0n, 'long')], 'bool') };
  }
  const binCount: Scalar = { k: 'scalar-subquery', type: 'long', rel: { op: 'project', input: boundsRel, columns: [boundsCols[1]!], exprs: [{ name: COUNT_BINS, expr: count }] } };
  const range: Rel = {
    op: 'range', columns: [{ name: IDX, type: 'long' }], from: lit(0n, 'long'), to: call('-', [binCount, lit(1n, 'long')], 'long'), step: lit(1n, 'long'),
  };
  const bins: Rel = {
    op: 'join', kind: 'inner', left: range, right: boundsRel, on: [], columns: [{ name: IDX, type: 'long' }, ...boundsCols],
    outputs: [{ name: IDX, side: 'left', column: IDX }, ...boundsCols.map((c) => ({ name: c.name, side: 'right' as const, column: c.name }))],
  };
  const gridCols: Col[] = [...keyCols, { name: COUNT, type: 'long' }, { name: IDX, type: 'long' }, ...boundsCols];
  const grid: Rel = {
    op: 'join', kind: 'inner', left: keys, right: bins, on: [], columns: gridCols,
    outputs: [
      ...keyCols.map((c) => ({ name: c.name, side: 'left' as const, column: c.name })), { name: COUNT, side: 'left', column: COUNT },
      { name: IDX, side: 'right', column: IDX }, ...boundsCols.map((c) => ({ name: c.name, side: 'right' as const, column: c.name })),
    ],
  };
  const valueCols: Col[] = seriesCols.map((c, i) => ({ name: c.name, type: binned.columns.find((x) => x.name === c.name)?.type ?? aggTypes[i]! }));
  const filled: Rel = {
    op: 'join', kind: 'leftouter', left: grid, right: binned, columns: [...gridCols, ...valueCols],
    on: [
      ...keyCols.map((c) => ({ left: call('__series_key', [col(c.name, c.type)], 'string'), right: call('__series_key', [binnedCol(c.name)], 'string') })),
      { left: col(IDX, 'long'), right: col(IDX, 'long') },
    ],
    outputs: [
      ...gridCols.map((c) => ({ name: c.name, side: 'left' as const, column: c.name })),
      ...valueCols.map((c) => ({ name: c.name, side: 'right' as const, column: c.name })),
    ],
  };

  // 4. one JSON array per aggregate, ordered by bin; 5. the axis.
  const defaults = series.map((s) => {
    const clause = firstKid(s, 'DefaultExpressionClause');
    return clause ? lowerScalar(kids(clause)[0]!, constEnv) : lit(0n, 'long');
  });
  const packed: Rel = {
    op: 'aggregate', input: filled,
    keys: [...keyCols.map((c) => ({ name: c.name, expr: col(c.name, c.type) })), ...[{ name: COUNT, type: 'long' as const }, ...boundsCols].map((c) => ({ name: c.name, expr: col(c.name, c.type) }))],
    aggs: valueCols.map((c, i) => ({ name: c.name, fn: '__series_list', args: [col(c.name, c.type), defaults[i]!, col(IDX, 'long')], type: 'dynamic' as const })),
    columns: [...keyCols, { name: COUNT, type: 'long' }, ...boundsCols, ...valueCols.map((c) => ({ name: c.name, type: 'dynamic' as const }))],
  };
  const axisValues = call('__series_axis', [start, step, count], 'dynamic');
  const exprs: NamedScalar[] = [
    ...byCols.map((c) => ({ name: c.name, expr: col(c.name, keyCols.find((k) => k.name === c.name)!.type) })),
    ...seriesCols.map((c) => ({ name: c.name, expr: col(c.name, 'dynamic') })),
    { name: axisCol.name, expr: axisValues },
  ];
  return { op: 'project', input: packed, columns: out, exprs };
}

/** `from`/`to`/`step` or `in range(from, to, step)`; absent bounds are undefined. */
function bounds(op: SNode, sc: ReturnType<typeof scalarCtx>, ctx: LowerContext): { from?: Scalar; to?: Scalar; step: Scalar; inclusive: boolean } {
  const inRange = firstKid(op, 'MakeSeriesInRangeClause');
  if (inRange) {
    const list = firstKid(inRange, 'ExpressionList');
    const [f, t, s] = list ? kids(list) : [];
    if (!f || !t || !s) throw ctx.error('kql/syntax-error', 'make-series … in range(start, stop, step) needs three arguments', inRange);
    // The alternate syntax bins with bin(), not bin_at(start): the series starts at bin(start, step).
    const step = lowerScalar(s, sc);
    const start = lowerScalar(f, sc);
    return { from: call('bin', [start, step], start.type), to: lowerScalar(t, sc), step, inclusive: true };
  }
  const fts = firstKid(op, 'MakeSeriesFromToStepClause');
  const part = (cls: string) => {
    const c = fts ? firstKid(fts, cls) : undefined;
    const e = c ? kids(c)[0] : undefined;
    return e ? lowerScalar(e, sc) : undefined;
  };
  const step = part('MakeSeriesStepClause');
  if (!step) throw ctx.error('kql/syntax-error', 'make-series needs a `step`', op);
  const from = part('MakeSeriesFromClause');
  const to = part('MakeSeriesToClause');
  return { ...(from ? { from } : {}), ...(to ? { to } : {}), step, inclusive: false };
}
