/**
 * `inlineSplitForMvExpand`: `extend parts = split(s, d) | mv-expand p = parts to typeof(string)` — the common
 * way hunters expand a delimited field — expands `split(s, d)` itself, so dialects can unnest the split text
 * directly instead of building a dynamic array first. Applied when the expanded column is defined by `split`
 * over columns the same projection passes through unchanged (so they are visible to the mv-expand too).
 */
import type { Plan, Rel, Scalar } from './ir.js';

function colsIn(e: Scalar, out: Set<string>): void {
  if (e.k === 'col') out.add(e.name);
  else if (e.k === 'call') e.args.forEach((a) => colsIn(a, out));
}

function rewrite(r: Rel): Rel {
  if (r.op !== 'mv-expand' || r.input.op !== 'project') return r;
  const proj = r.input;
  const items = r.items.map((it) => {
    if (it.toType !== 'string' || it.expr.k !== 'col') return it;
    const name = it.expr.name;
    const def = proj.exprs.find((e) => e.name === name)?.expr;
    if (!def || def.k !== 'call' || def.fn !== 'split' || def.args.length !== 2) return it;
    const used = new Set<string>();
    colsIn(def, used);
    const passthrough = [...used].every((c) => proj.exprs.some((e) => e.name === c && e.expr.k === 'col' && e.expr.name === c));
    return passthrough ? { ...it, expr: def } : it;
  });
  return { ...r, items };
}

function walk(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(walk);
  if (!x || typeof x !== 'object') return x;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(x)) out[k] = walk(v);
  return (out as { op?: string }).op === 'mv-expand' ? rewrite(out as unknown as Rel) : out;
}

export function inlineSplitForMvExpand(plan: Plan): Plan {
  return walk(plan) as Plan;
}
