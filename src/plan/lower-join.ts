/**
 * `join` and `lookup`. Kusto's default join kind is `innerunique` (the left side is deduplicated on the
 * join keys first); `lookup` defaults to `leftouter` and drops the right side's key columns.
 * Output names come from the binder (`Id1`, `Timestamp1` on clashes).
 */
import type { SNode } from '../kql/kusto-adapter.js';
import { kids, type LowerContext, nameOf, operatorParams, type Scope } from './context.js';
import type { Col, JoinKind, Rel, Scalar } from './ir.js';
import { lowerTabular, scalarCtx } from './lower.js';
import { lowerScalar } from './lower-scalar.js';
import { rowEnv } from './lower-operators.js';

const KIND_ALIASES: Record<string, JoinKind> = {
  inner: 'inner', innerunique: 'innerunique', leftouter: 'leftouter', rightouter: 'rightouter', fullouter: 'fullouter',
  outer: 'fullouter', leftanti: 'leftanti', anti: 'leftanti', leftantisemi: 'leftanti', rightanti: 'rightanti',
  rightantisemi: 'rightanti', leftsemi: 'leftsemi', semi: 'leftsemi', rightsemi: 'rightsemi',
};

interface Keys {
  readonly on: { left: Scalar; right: Scalar }[];
  /** Right-side column names used as plain keys (`on A` or `$right.B`). */
  readonly rightKeyNames: string[];
}

function joinKeys(clause: SNode, left: Rel, right: Rel, scope: Scope, ctx: LowerContext): Keys {
  const sides = { left: rowEnv(left), right: rowEnv(right) };
  const sc = scalarCtx(ctx, scope, { cols: new Map(), order: [] }, sides);
  const on: Keys['on'] = [];
  const rightKeyNames: string[] = [];
  const visit = (item: SNode): void => {
    if (item.cls === 'NameReference') {
      const name = nameOf(item);
      const l = sides.left.cols.get(name);
      const r = sides.right.cols.get(name);
      if (!l || !r) throw ctx.error('kql/unknown-column', `join key '${name}' must exist on both sides`, item);
      on.push({ left: l, right: r });
      rightKeyNames.push(name);
      return;
    }
    if (item.cls === 'BinaryExpression') {
      const text = ctx.nodeText(item);
      const [a, b] = kids(item);
      if (/\band\b/.test(item.children.find((c) => c.cls === 'Token')?.text ?? '')) {
        visit(a!);
        visit(b!);
        return;
      }
      const sideOf = (x: SNode) => (/^\s*\$left\b/i.test(ctx.nodeText(x)) ? 'left' : /^\s*\$right\b/i.test(ctx.nodeText(x)) ? 'right' : undefined);
      const sa = sideOf(a!);
      const sb = sideOf(b!);
      if (!sa || !sb || sa === sb) throw ctx.error('kql/semantic-error', `join condition '${text}' must compare $left.x with $right.y`, item);
      const ea = lowerScalar(a!, sc);
      const eb = lowerScalar(b!, sc);
      const l = sa === 'left' ? ea : eb;
      const r = sa === 'left' ? eb : ea;
      on.push({ left: l, right: r });
      if (r.k === 'col') rightKeyNames.push(r.name);
      return;
    }
    if (item.cls === 'ParenthesizedExpression') {
      visit(kids(item)[0]!);
      return;
    }
    throw ctx.unsupported(`the join condition '${ctx.nodeText(item)}'`, item);
  };
  for (const item of kids(clause)) visit(item);
  return { on, rightKeyNames };
}

export function lowerJoin(op: SNode, left: Rel, scope: Scope, ctx: LowerContext, out: Col[]): Rel {
  const params = operatorParams(op, ctx.opts.text);
  const kindText = (params.get('kind') ?? 'innerunique').toLowerCase();
  const kind = KIND_ALIASES[kindText];
  if (!kind) throw ctx.error('kql/semantic-error', `unknown join kind '${kindText}'`, op);
  const parts = kids(op).filter((k) => k.cls !== 'NamedParameter');
  const rightNode = parts[0]!;
  const clause = parts.find((p) => p.cls === 'JoinOnClause' || p.cls === 'JoinWhereClause');
  if (!clause) throw ctx.error('kql/semantic-error', 'join needs an `on` clause', op);
  const right = lowerTabular(rightNode, scope, ctx);
  const { on } = joinKeys(clause, left, right, scope, ctx);
  const outputs = joinOutputs(kind, left, right, out, [], ctx, op);
  return { op: 'join', kind, left, right, on, outputs, columns: out };
}

export function lowerLookup(op: SNode, left: Rel, scope: Scope, ctx: LowerContext, out: Col[]): Rel {
  const params = operatorParams(op, ctx.opts.text);
  const kindText = (params.get('kind') ?? 'leftouter').toLowerCase();
  const kind: JoinKind = kindText === 'inner' ? 'inner' : 'leftouter';
  const parts = kids(op).filter((k) => k.cls !== 'NamedParameter');
  const right = lowerTabular(parts[0]!, scope, ctx);
  const clause = parts.find((p) => p.cls === 'JoinOnClause')!;
  const { on, rightKeyNames } = joinKeys(clause, left, right, scope, ctx);
  const drop = out.length === left.columns.length + right.columns.length ? [] : rightKeyNames;
  const outputs = joinOutputs(kind, left, right, out, drop, ctx, op);
  return { op: 'join', kind, left, right, on, outputs, columns: out };
}

function joinOutputs(kind: JoinKind, left: Rel, right: Rel, out: Col[], dropRight: string[], ctx: LowerContext, op: SNode) {
  let sources: { side: 'left' | 'right'; column: string }[];
  if (kind === 'leftsemi' || kind === 'leftanti') sources = left.columns.map((c) => ({ side: 'left', column: c.name }));
  else if (kind === 'rightsemi' || kind === 'rightanti') sources = right.columns.map((c) => ({ side: 'right', column: c.name }));
  else {
    sources = [
      ...left.columns.map((c) => ({ side: 'left' as const, column: c.name })),
      ...right.columns.filter((c) => !dropRight.includes(c.name)).map((c) => ({ side: 'right' as const, column: c.name })),
    ];
  }
  if (sources.length !== out.length) {
    throw ctx.error('kql/unsupported', `internal: join output has ${out.length} columns but the inputs give ${sources.length}`, op);
  }
  return sources.map((s, i) => ({ name: out[i]!.name, side: s.side, column: s.column }));
}
