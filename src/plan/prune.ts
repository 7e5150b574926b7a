/**
 * `pruneColumns`: a plan pass that drops columns nobody downstream reads — unused aggregates and
 * `arg_max(…, *)` tuple members, unused projections, unused join outputs, unused scan columns — so the engine
 * never computes them. Semantics are kept: group keys, `distinct` inputs, sort keys and join keys stay.
 * CTE bodies are pruned to the union of what their references need.
 */
import type { Col, Plan, Rel, Scalar } from './ir.js';

type Need = ReadonlySet<string> | 'all';

function colsIn(e: Scalar, out: Set<string>): void {
  switch (e.k) {
    case 'col':
      out.add(e.name);
      return;
    case 'lit':
    case 'param':
      return;
    case 'call':
      for (const a of e.args) colsIn(a, out);
      return;
    case 'window':
      for (const a of e.args) colsIn(a, out);
      for (const k of e.order) colsIn(k.expr, out);
      for (const p of e.partition ?? []) colsIn(p, out);
      return;
    case 'scalar-subquery':
    case 'list-subquery':
      return; // the sub-query reads its own input
  }
}

function needs(...exprs: readonly Scalar[]): Set<string> {
  const s = new Set<string>();
  for (const e of exprs) colsIn(e, s);
  return s;
}

function keep(cols: readonly Col[], need: Need): Col[] {
  return need === 'all' ? [...cols] : cols.filter((c) => need.has(c.name));
}

function union(a: Need, b: Iterable<string>): Need {
  if (a === 'all') return 'all';
  const s = new Set(a);
  for (const x of b) s.add(x);
  return s;
}

class Pruner {
  /** Columns needed of each CTE, gathered from its references. */
  readonly cteNeeds = new Map<string, Need>();

  /** Second pass: the columns each pruned CTE now has (references take them). */
  constructor(private readonly cteColumns?: ReadonlyMap<string, readonly Col[]>) {}

  scalar(e: Scalar): Scalar {
    switch (e.k) {
      case 'call':
        return { ...e, args: e.args.map((a) => this.scalar(a)) };
      case 'window':
        return { ...e, args: e.args.map((a) => this.scalar(a)) };
      case 'scalar-subquery':
      case 'list-subquery': {
        const first = e.rel.columns[0];
        return { ...e, rel: this.rel(e.rel, first ? new Set([first.name]) : 'all') };
      }
      default:
        return e;
    }
  }

  rel(r: Rel, need: Need): Rel {
    switch (r.op) {
      case 'scan': {
        if (need === 'all') return r;
        const idx = r.columns.map((c, i) => (need.has(c.name) ? i : -1)).filter((i) => i >= 0);
        if (idx.length === 0 && r.columns.length > 0) idx.push(0); // keep one column so row counts survive
        return { ...r, columns: idx.map((i) => r.columns[i]!), sources: idx.map((i) => r.sources[i]!) };
      }
      case 'filter': {
        const input = this.rel(r.input, union(need, needs(r.predicate)));
        return { ...r, input, predicate: this.scalar(r.predicate), columns: input.columns };
      }
      case 'project': {
        const kept = r.exprs.filter((e) => need === 'all' || need.has(e.name));
        const exprs = kept.length > 0 ? kept : r.exprs.slice(0, 1);
        const input = this.rel(r.input, needs(...exprs.map((e) => e.expr)));
        const names = new Set(exprs.map((e) => e.name));
        return { ...r, input, exprs: exprs.map((e) => ({ name: e.name, expr: this.scalar(e.expr) })), columns: r.columns.filter((c) => names.has(c.name)) };
      }
      case 'aggregate': {
        const keyNames = new Set(r.keys.map((k) => k.name));
        const tuplesNeeded = new Set<number>();
        const aggs = r.aggs.filter((a) => {
          const used = need === 'all' || need.has(a.name);
          if (used && a.tuple !== undefined) tuplesNeeded.add(a.tuple);
          return used;
        });
        const input = this.rel(r.input, needs(...r.keys.map((k) => k.expr), ...aggs.flatMap((a) => a.args)));
        const aggNames = new Set(aggs.map((a) => a.name));
        return {
          ...r, input,
          keys: r.keys.map((k) => ({ name: k.name, expr: this.scalar(k.expr) })),
          aggs: aggs.map((a) => ({ ...a, args: a.args.map((x) => this.scalar(x)) })),
          columns: r.columns.filter((c) => keyNames.has(c.name) || aggNames.has(c.name)),
        };
      }
      case 'join': {
        const wanted = r.outputs.filter((o) => need === 'all' || need.has(o.name));
        const outputs = wanted.length > 0 ? wanted : r.outputs.slice(0, 1); // a SELECT needs one column
        const leftNeed = needs(...r.on.map((o) => o.left));
        const rightNeed = needs(...r.on.map((o) => o.right));
        for (const o of outputs) (o.side === 'left' ? leftNeed : rightNeed).add(o.column);
        const left = this.rel(r.left, leftNeed);
        const right = this.rel(r.right, rightNeed);
        const names = new Set(outputs.map((o) => o.name));
        return { ...r, left, right, outputs, columns: r.columns.filter((c) => names.has(c.name)) };
      }
      case 'union': {
        const idx = r.columns.map((c, i) => (need === 'all' || need.has(c.name) ? i : -1)).filter((i) => i >= 0);
        if (idx.length === 0) idx.push(0);
        const inputs = r.inputs.map((inp) => {
          const map = idx.map((i) => inp.map[i] ?? null);
          const rel = this.rel(inp.rel, new Set(map.filter((m): m is string => m !== null)));
          return { ...inp, rel, map };
        });
        return { ...r, inputs, columns: idx.map((i) => r.columns[i]!) };
      }
      case 'sort': {
        const input = this.rel(r.input, union(need, needs(...r.keys.map((k) => k.expr))));
        return { ...r, input, keys: r.keys.map((k) => ({ ...k, expr: this.scalar(k.expr) })), columns: input.columns };
      }
      case 'limit': {
        const input = this.rel(r.input, need);
        return { ...r, input, columns: input.columns };
      }
      case 'distinct': {
        // every column takes part in distinctness
        const input = this.rel(r.input, 'all');
        return { ...r, input, columns: input.columns };
      }
      case 'mv-expand': {
        const itemNames = new Set(r.items.map((i) => i.name));
        const passNeed = need === 'all' ? 'all' : new Set([...need].filter((n) => !itemNames.has(n) && n !== r.withItemIndex));
        const input = this.rel(r.input, union(passNeed, needs(...r.items.map((i) => i.expr))));
        const inputNames = new Set(input.columns.map((c) => c.name));
        const columns = r.columns.filter((c) => itemNames.has(c.name) || c.name === r.withItemIndex || inputNames.has(c.name));
        return { ...r, input, items: r.items.map((i) => ({ ...i, expr: this.scalar(i.expr) })), columns };
      }
      case 'ref': {
        const prev = this.cteNeeds.get(r.name);
        this.cteNeeds.set(r.name, prev === undefined || need === 'all' ? (need === 'all' ? 'all' : new Set(need)) : union(prev, need));
        const cols = this.cteColumns?.get(r.name);
        return cols ? { ...r, columns: cols } : r;
      }
      case 'pivot':
      case 'bag-unpack':
        return { ...r, input: this.rel(r.input, 'all') };
      case 'range':
        return { ...r, from: this.scalar(r.from), to: this.scalar(r.to), step: this.scalar(r.step) };
      case 'values':
      case 'external':
      case 'arg-extreme':
        return r;
    }
  }
}

export function pruneColumns(plan: Plan): Plan {
  // Pass 1: what each CTE must provide (references in the body and in later CTEs), and its pruned columns.
  const first = new Pruner();
  first.rel(plan.body, 'all');
  const cteColumns = new Map<string, readonly Col[]>();
  for (let i = plan.ctes.length - 1; i >= 0; i--) {
    const c = plan.ctes[i]!;
    const need = first.cteNeeds.get(c.name) ?? 'all';
    cteColumns.set(c.name, first.rel(c.rel, need).columns);
  }
  // Pass 2: prune everything again with references typed by the pruned CTEs.
  const second = new Pruner(cteColumns);
  const ctes = plan.ctes.map((c) => {
    const cols = cteColumns.get(c.name)!;
    return { ...c, rel: second.rel(c.rel, new Set(cols.map((x) => x.name))) };
  });
  const body = second.rel(plan.body, 'all');
  return { ...plan, ctes, body };
}
