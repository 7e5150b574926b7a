/**
 * Lowering context: the scope of `let` names, the CTE list, the frozen "now", and helpers to read
 * the plain syntax tree (`SNode`) the KQL adapter produces.
 */
import type { KqlScalarType, SchemaView, ViewTable } from '../catalog/types.js';
import { QuarryError, spanAt } from '../core/errors.js';
import type { ErrorCode } from '../core/error-codes.js';
import type { BoundScalar, BoundType, SNode } from '../kql/kusto-adapter.js';
import type { Col, Cte, Rel, Scalar, SortKey } from './ir.js';

export type Binding =
  | { readonly kind: 'scalar'; readonly expr: Scalar }
  | { readonly kind: 'table'; readonly rel: Rel };

export class Scope {
  private readonly vars = new Map<string, Binding>();
  constructor(readonly parent?: Scope) {}
  set(name: string, b: Binding): void {
    this.vars.set(name, b);
  }
  get(name: string): Binding | undefined {
    return this.vars.get(name) ?? this.parent?.get(name);
  }
  child(): Scope {
    return new Scope(this);
  }
}

export interface LowerOptions {
  /** The frozen "now" of the query, epoch microseconds. */
  readonly now: bigint;
  readonly view: SchemaView;
  /** Looks up a table as seen through the view. */
  readonly table: (name: string) => ViewTable | undefined;
  /** Restricts every table scan to `[from, to)` on its time column (the portal's time range). */
  readonly timeRange?: { readonly from: bigint; readonly to: bigint };
  /** Source text (for error positions). */
  readonly text: string;
}

/** Columns visible to scalar expressions: name → expression, plus the current row order. */
export interface RowEnv {
  readonly cols: ReadonlyMap<string, Scalar>;
  readonly order: readonly SortKey[];
}

export class LowerContext {
  readonly ctes: Cte[] = [];
  private cteCounter = 0;
  render?: { kind: string; props: Record<string, string> };
  /** Set when an operator's output columns depend on the data (pivot, bag_unpack). */
  dynamicSchema = false;

  constructor(readonly opts: LowerOptions) {}

  addCte(base: string, rel: Rel, materialized: boolean): Rel {
    const name = `_${base.replace(/[^A-Za-z0-9_]/g, '_')}_${++this.cteCounter}`;
    this.ctes.push({ name, rel, materialized });
    return { op: 'ref', name, columns: rel.columns };
  }

  error(code: ErrorCode, message: string, node?: SNode): QuarryError {
    return new QuarryError(code, message, node ? { span: spanAt(this.opts.text, node.start, node.end) } : {});
  }

  unsupported(what: string, node?: SNode): QuarryError {
    return this.error('kql/unsupported', `${what} is not supported by Quarry yet`, node);
  }

  /**
   * The text of a node rebuilt from its tokens (single spaces between tokens). Nodes from function
   * expansions carry offsets into the function body, not the query, so semantics never slice the query.
   */
  nodeText(n: SNode): string {
    return tokenText(n);
  }
}

/* ---------------------------------------------------------------- SNode helpers */

export function isToken(n: SNode): boolean {
  return n.cls === 'Token';
}

/** Non-token children. */
export function kids(n: SNode): SNode[] {
  return n.children.filter((c) => c.cls !== 'Token');
}

export function tokenText(n: SNode): string {
  const out: string[] = [];
  const walk = (x: SNode): void => {
    if (x.cls === 'Token') {
      if (x.text) out.push(x.text);
      return;
    }
    x.children.forEach(walk);
  };
  walk(n);
  return out.join(' ');
}

export function tokens(n: SNode): SNode[] {
  return n.children.filter((c) => c.cls === 'Token');
}

export function firstKid(n: SNode, cls: string): SNode | undefined {
  return n.children.find((c) => c.cls === cls);
}

export function kidsOf(n: SNode, cls: string): SNode[] {
  return n.children.filter((c) => c.cls === cls);
}

/** Text of the first token of a node (keywords such as `where`, `mv-expand`). */
export function keyword(n: SNode): string {
  const t = n.children.find((c) => c.cls === 'Token');
  return t?.text ?? '';
}

/** A declared or referenced name (`NameDeclaration`, `NameReference`, possibly bracketed `['x']`). */
export function nameOf(n: SNode): string {
  if (n.symbol?.name) return n.symbol.name;
  const walk = (x: SNode): string | undefined => {
    if (x.cls === 'Token') {
      if (x.kind === 'IdentifierToken' || x.kind.endsWith('Keyword')) return x.text;
      if (x.kind === 'StringLiteralToken') return unquote(x.text ?? '');
      return undefined;
    }
    for (const c of x.children) {
      const r = walk(c);
      if (r !== undefined) return r;
    }
    return undefined;
  };
  return walk(n) ?? '';
}

function unquote(s: string): string {
  const m = /^@?(["'])(.*)\1$/s.exec(s);
  return m ? m[2]! : s;
}

/** Named query-operator parameters (`kind=inner`, `withsource=S`, `isfuzzy=true`) → lower-case name → value text. */
export function operatorParams(n: SNode, _text?: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of kidsOf(n, 'NamedParameter')) {
    const [nameNode, valueNode] = kids(p);
    if (!nameNode) continue;
    const name = nameOf(nameNode).toLowerCase();
    const value = valueNode ? (valueNode.constString ?? tokenText(valueNode)).trim() : '';
    out.set(name, value.replace(/^["']|["']$/g, ''));
  }
  return out;
}

/* ---------------------------------------------------------------- types */

export function scalarType(t: BoundType | undefined, fallback: KqlScalarType = 'dynamic'): KqlScalarType {
  if (!t || t.kind !== 'scalar') return fallback;
  return toKql(t.name, fallback);
}

export function toKql(n: BoundScalar, fallback: KqlScalarType = 'dynamic'): KqlScalarType {
  switch (n) {
    case 'bool': case 'datetime': case 'decimal': case 'dynamic': case 'guid':
    case 'int': case 'long': case 'real': case 'string': case 'timespan':
      return n;
    default:
      return fallback;
  }
}

/** The table schema the binder computed for a tabular node. */
export function tableCols(n: SNode): Col[] | undefined {
  if (n.type?.kind !== 'table') return undefined;
  return n.type.columns.map((c) => ({ name: c.name, type: toKql(c.type) }));
}

export function envOf(rel: Rel, order: readonly SortKey[] = []): RowEnv {
  const cols = new Map<string, Scalar>();
  for (const c of rel.columns) cols.set(c.name, { k: 'col', name: c.name, type: c.type });
  return { cols, order };
}
