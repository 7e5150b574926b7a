/**
 * `summarize aggs by keys`: group keys first, then aggregates, named as the binder names them.
 * Expressions over aggregates (`round(avg(x), 2)`, `count() * 2`) compute hidden aggregates and a
 * projection on top. `arg_max`/`arg_min` (incl. `*`) and `percentiles` expand to several columns.
 */
import type { SNode } from '../kql/kusto-adapter.js';
import { kids, type LowerContext, nameOf, type Scope, scalarType } from './context.js';
import type { Aggregate, Col, NamedScalar, Rel, Scalar } from './ir.js';
import { scalarCtx } from './lower.js';
import { callArgs, lowerScalar, type ScalarCtx } from './lower-scalar.js';
import { rowEnv } from './lower-operators.js';

let tupleCounter = 0;

export function lowerSummarize(op: SNode, input: Rel, scope: Scope, ctx: LowerContext, out: Col[]): Rel {
  const items = kids(op).filter((k) => k.cls !== 'NamedParameter' && k.cls !== 'SummarizeByClause');
  const byClause = op.children.find((c) => c.cls === 'SummarizeByClause');
  const byItems = byClause ? kids(byClause) : [];
  const sc = scalarCtx(ctx, scope, rowEnv(input));

  const keys: NamedScalar[] = byItems.map((item, i) => {
    const expr = item.cls === 'SimpleNamedExpression' ? kids(item)[1]! : item;
    return { name: out[i]?.name ?? `Column${i + 1}`, expr: lowerScalar(expr, sc) };
  });
  const keyInputNames = new Set(byItems.filter((b) => b.cls === 'NameReference').map((b) => nameOf(b)));

  const aggs: Aggregate[] = [];
  const post: NamedScalar[] = [];
  let needsPost = false;
  let pos = keys.length;
  let hidden = 0;

  for (const item of items) {
    // `x = agg(...)` and `(a, b) = arg_max(...)`: names come from the binder's schema, the value is last.
    const value = item.cls === 'SimpleNamedExpression' || item.cls === 'CompoundNamedExpression' ? kids(item)[kids(item).length - 1]! : item;
    const fname = value.cls === 'FunctionCallExpression' ? (value.symbol?.name ?? '').toLowerCase() : '';
    if (value.symbol?.isAggregate && (fname === 'arg_max' || fname === 'arg_min' || fname === 'argmax' || fname === 'argmin')) {
      const args = callArgs(value);
      const byNode = args[0]!;
      const by = lowerScalar(byNode, sc);
      const byName = byNode.cls === 'NameReference' ? nameOf(byNode) : undefined;
      const cols: Scalar[] = [by];
      for (const a of args.slice(1)) {
        if (a.cls === 'StarExpression') {
          for (const c of input.columns) {
            if (keyInputNames.has(c.name) || c.name === byName) continue;
            cols.push({ k: 'col', name: c.name, type: c.type });
          }
        } else {
          cols.push(lowerScalar(a.cls === 'SimpleNamedExpression' ? kids(a)[1]! : a, sc));
        }
      }
      const tuple = ++tupleCounter;
      const fn = fname.startsWith('argmax') || fname === 'arg_max' ? 'arg_max' : 'arg_min';
      for (const c of cols) {
        const o = out[pos++];
        if (!o) throw ctx.unsupported('this arg_max/arg_min column list', value);
        aggs.push({ name: o.name, fn, args: [c, by], type: o.type, tuple });
        post.push({ name: o.name, expr: { k: 'col', name: o.name, type: o.type } });
      }
      continue;
    }
    if (value.symbol?.isAggregate && (fname === 'take_any' || fname === 'any')) {
      const args = callArgs(value);
      if (args.length > 1 || args[0]?.cls === 'StarExpression') {
        // Several columns (or `*`: every column but the group keys) from one and the same row: a tuple of
        // arg_max over a constant, which takes every member from the same (arbitrary) row.
        const cols: Scalar[] = [];
        for (const a of args) {
          if (a.cls === 'StarExpression') {
            for (const c of input.columns) if (!keyInputNames.has(c.name)) cols.push({ k: 'col', name: c.name, type: c.type });
          } else {
            cols.push(lowerScalar(a.cls === 'SimpleNamedExpression' ? kids(a)[1]! : a, sc));
          }
        }
        const tuple = ++tupleCounter;
        const one: Scalar = { k: 'lit', value: 1, type: 'long' };
        for (const c of cols) {
          const o = out[pos++];
          if (!o) throw ctx.unsupported('this take_any column list', value);
          aggs.push({ name: o.name, fn: 'arg_max', args: [c, one], type: o.type, tuple });
          post.push({ name: o.name, expr: { k: 'col', name: o.name, type: o.type } });
        }
        continue;
      }
    }
    if (value.symbol?.isAggregate && fname === 'percentiles') {
      const args = callArgs(value);
      const x = lowerScalar(args[0]!, sc);
      for (const p of args.slice(1)) {
        const o = out[pos++]!;
        aggs.push({ name: o.name, fn: 'percentile', args: [x, lowerScalar(p, sc)], type: o.type });
        post.push({ name: o.name, expr: { k: 'col', name: o.name, type: o.type } });
      }
      continue;
    }
    const o = out[pos++];
    if (!o) throw ctx.unsupported('this summarize column list', value);
    if (value.cls === 'FunctionCallExpression' && value.symbol?.isAggregate) {
      aggs.push(lowerAggCall(value, o.name, o.type, sc, input));
      post.push({ name: o.name, expr: { k: 'col', name: o.name, type: o.type } });
    } else {
      // An expression over aggregates: compute each aggregate under a hidden name, then the expression.
      needsPost = true;
      const replaced = replaceAggregates(value, sc, input, (agg) => {
        const name = `__agg${++hidden}`;
        aggs.push({ ...agg, name });
        return { k: 'col', name, type: agg.type };
      });
      post.push({ name: o.name, expr: replaced });
    }
  }

  const aggCols: Col[] = aggs.map((a) => ({ name: a.name, type: a.type }));
  const keyCols: Col[] = keys.map((k, i) => ({ name: k.name, type: out[i]?.type ?? k.expr.type }));
  const agg: Rel = { op: 'aggregate', columns: [...keyCols, ...aggCols], input, keys, aggs };
  if (!needsPost) {
    return agg;
  }
  const exprs: NamedScalar[] = [...keyCols.map((c) => ({ name: c.name, expr: { k: 'col' as const, name: c.name, type: c.type } })), ...post];
  return { op: 'project', columns: out, input: agg, exprs };
}

function lowerAggCall(n: SNode, name: string, type: Col['type'], sc: ScalarCtx, input: Rel): Aggregate {
  const fn = canonicalAggregate((n.symbol?.name ?? '').toLowerCase());
  const args = callArgs(n).map((a) => {
    if (a.cls === 'StarExpression') return { k: 'lit' as const, value: '*', type: 'string' as const };
    return lowerScalar(a, sc);
  });
  return { name, fn, args, type };
}

const AGG_ALIASES: Record<string, string> = {
  makeset: 'make_set', makelist: 'make_list', make_list_with_nulls: 'make_list_with_nulls', any: 'take_any',
  argmax: 'arg_max', argmin: 'arg_min', count_distinct: 'dcount', makebag: 'make_bag',
};

function canonicalAggregate(name: string): string {
  return AGG_ALIASES[name] ?? name;
}

function replaceAggregates(n: SNode, sc: ScalarCtx, input: Rel, emit: (a: Aggregate) => Scalar): Scalar {
  // Lower the expression with a scope in which each aggregate call is pre-computed: walk the tree,
  // and substitute aggregate calls by hidden columns before lowering the rest.
  const substitutes = new Map<SNode, Scalar>();
  const visit = (x: SNode): void => {
    if (x.cls === 'FunctionCallExpression' && x.symbol?.isAggregate) {
      const agg = lowerAggCall(x, '', scalarType(x.type, 'long'), sc, input);
      substitutes.set(x, emit(agg));
      return;
    }
    for (const c of x.children) visit(c);
  };
  visit(n);
  return lowerWithSubstitutes(n, sc, substitutes);
}

function lowerWithSubstitutes(n: SNode, sc: ScalarCtx, subs: Map<SNode, Scalar>): Scalar {
  if (subs.size === 0) return lowerScalar(n, sc);
  // Rebuild the node tree replacing substituted calls by synthetic name references bound in a child scope.
  const scope = sc.scope.child();
  let i = 0;
  const rewrite = (x: SNode): SNode => {
    const s = subs.get(x);
    if (s) {
      const name = `__sub${++i}`;
      scope.set(name, { kind: 'scalar', expr: s });
      return { cls: 'NameReference', kind: 'NameReference', start: x.start, end: x.end, children: [], symbol: { kind: 'Variable', name }, ...(x.type ? { type: x.type } : {}) };
    }
    if (x.children.length === 0) return x;
    return { ...x, children: x.children.map(rewrite) };
  };
  return lowerScalar(rewrite(n), { ...sc, scope });
}
