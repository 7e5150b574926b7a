/**
 * `planQuery`: lowers a bound KQL tree (plain `SNode`s from the adapter) to the relational plan.
 * Output column names and types always follow the binder's result schema, so Kusto's naming rules
 * (`count_`, `Column1`, `x1` on join clashes, `X_long` on union clashes) hold by construction.
 */
import { kids, LowerContext, type LowerOptions, nameOf, Scope, tableCols, type RowEnv, envOf } from './context.js';
import type { SNode } from '../kql/kusto-adapter.js';
import type { Col, Plan, Rel, Scalar } from './ir.js';
import { lowerScalar, type ScalarCtx } from './lower-scalar.js';
import { lowerOperator } from './lower-operators.js';
import { lowerSource } from './lower-sources.js';

export type { LowerOptions };

export function planQuery(root: SNode, opts: LowerOptions): Plan {
  const ctx = new LowerContext(opts);
  const statements = root.cls === 'QueryBlock' ? kids(root) : [root];
  let scope = new Scope();
  let result: Rel | undefined;
  for (const st of statements) {
    if (st.cls === 'LetStatement') {
      scope = lowerLet(st, scope, ctx);
    } else if (st.cls === 'ExpressionStatement') {
      const expr = kids(st)[0];
      if (!expr) continue;
      if (expr.type?.kind !== 'table') {
        // A bare scalar expression statement: Kusto prints it as one row, one column.
        result = printScalar(expr, scope, ctx);
      } else {
        result = lowerTabular(expr, scope, ctx);
      }
    } else if (st.cls === 'QueryParametersStatement' || st.cls === 'SetOptionStatement' || st.cls === 'AliasStatement') {
      continue;
    } else {
      throw ctx.unsupported(`the statement '${ctx.nodeText(st).slice(0, 40)}'`, st);
    }
  }
  if (!result) throw ctx.error('kql/empty-query', 'the query has no tabular expression to run');
  const plan: Plan = {
    ctes: ctx.ctes, body: result, ...(ctx.render ? { render: ctx.render } : {}), ...(ctx.dynamicSchema ? { dynamicSchema: true } : {}),
  };
  return plan;
}

function printScalar(expr: SNode, scope: Scope, ctx: LowerContext): Rel {
  const sc = scalarCtx(ctx, scope, { cols: new Map(), order: [] });
  const e = lowerScalar(expr, sc);
  const one: Rel = { op: 'values', columns: [], rows: [[]] };
  return { op: 'project', input: one, columns: [{ name: 'print_0', type: e.type }], exprs: [{ name: 'print_0', expr: e }] };
}

export function lowerLet(st: SNode, scope: Scope, ctx: LowerContext): Scope {
  const [decl, value] = kids(st);
  const name = nameOf(decl!);
  const next = scope.child();
  if (!value) return next;
  if (value.cls === 'FunctionDeclaration') {
    // let functions are expanded by the binder at each call site (SNode.expansion).
    return next;
  }
  if (value.type?.kind === 'table') {
    let rel = lowerTabular(value, scope, ctx);
    if (rel.op !== 'ref') rel = ctx.addCte(name, rel, false);
    next.set(name, { kind: 'table', rel });
  } else {
    next.set(name, { kind: 'scalar', expr: lowerScalar(value, scalarCtx(ctx, scope, { cols: new Map(), order: [] })) });
  }
  return next;
}

export function scalarCtx(ctx: LowerContext, scope: Scope, env: RowEnv, sides?: ScalarCtx['sides']): ScalarCtx {
  return { ctx, scope, env, tabular: (n, s, input) => lowerTabular(n, s, ctx, input), ...(sides ? { sides } : {}) };
}

/** Lowers a tabular expression. `input` is the piped-in relation for operators used as sources (e.g. `invoke`). */
export function lowerTabular(n: SNode, scope: Scope, ctx: LowerContext, input?: Rel): Rel {
  if (n.cls === 'PipeExpression') {
    const [left, op] = kids(n);
    const inRel = lowerTabular(left!, scope, ctx, input);
    return lowerOperator(op!, inRel, scope, ctx, tableCols(n));
  }
  return lowerSource(n, scope, ctx, input);
}

/** Output schema for a node: the binder's, or the given fallback. */
export function outCols(n: SNode, fallback: readonly Col[]): Col[] {
  return tableCols(n) ?? [...fallback];
}

export { envOf };
export type { Scalar };
