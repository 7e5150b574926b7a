/**
 * `bindKql`: parses and binds KQL against the catalog in the Defender or Sentinel view (or picks the
 * view that binds, in `auto` mode), and turns Kusto's diagnostics into Quarry errors with line/column.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { KqlScalarType, SchemaView, ViewTable } from '../catalog/types.js';
import { viewTable } from '../catalog/views.js';
import { QuarryError, spanAt } from '../core/errors.js';
import type { ErrorCode } from '../core/error-codes.js';
import { asimFunctions } from './asim.js';
import { defenderFunctions } from './defender-functions.js';
import { buildGlobals, type GlobalsHandle, type KustoDiagnostic, parseAndBind, type SNode } from './kusto-adapter.js';

export type ViewChoice = SchemaView | 'auto';

export interface Diagnostic {
  readonly code: string;
  readonly severity: 'error' | 'warning' | 'info';
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly start: number;
  readonly end: number;
  /** True for grammar errors (as opposed to binding errors). */
  readonly syntax: boolean;
}

export interface Bound {
  readonly root: SNode;
  readonly view: SchemaView;
  readonly diagnostics: readonly Diagnostic[];
  readonly table: (name: string) => ViewTable | undefined;
}

interface ViewState {
  readonly globals: GlobalsHandle;
  readonly tables: Map<string, ViewTable>;
}

const cache = new WeakMap<Catalog, { version: number; views: Map<SchemaView, ViewState> }>();

function viewState(catalog: Catalog, view: SchemaView): ViewState {
  const version = catalog.listTables().length;
  let entry = cache.get(catalog);
  if (!entry || entry.version !== version) {
    entry = { version, views: new Map() };
    cache.set(catalog, entry);
  }
  let state = entry.views.get(view);
  if (!state) {
    const tables = new Map<string, ViewTable>();
    for (const def of catalog.listTables()) tables.set(def.name, viewTable(def, view));
    const globals = buildGlobals({
      database: 'quarry',
      tables: [...tables.values()].map((t) => ({ name: t.name, columns: t.columns.map((c) => ({ name: c.name, type: c.type as KqlScalarType })) })),
      functions: [...asimFunctions(view), ...defenderFunctions()],
    });
    state = { globals, tables };
    entry.views.set(view, state);
  }
  return state;
}

function toDiagnostic(d: KustoDiagnostic, text: string): Diagnostic {
  const span = spanAt(text, d.start, d.start + d.length);
  const severity = d.severity.toLowerCase() === 'warning' ? 'warning' : d.severity.toLowerCase() === 'error' ? 'error' : 'info';
  return { code: d.code, severity, message: d.message, line: span.line, column: span.column, start: d.start, end: d.start + d.length, syntax: d.isSyntax };
}

export function bindKql(text: string, catalog: Catalog, view: ViewChoice = 'auto'): Bound {
  const attempt = (v: SchemaView) => {
    const state = viewState(catalog, v);
    const r = parseAndBind(text, state.globals);
    const diagnostics = r.diagnostics.map((d) => toDiagnostic(d, text));
    return { root: r.root, view: v, diagnostics, table: (n: string) => state.tables.get(n), raw: r.diagnostics };
  };
  const errorsOf = (b: { diagnostics: readonly Diagnostic[] }) => b.diagnostics.filter((d) => d.severity === 'error').length;
  if (view !== 'auto') return attempt(view);
  const defender = attempt('defender');
  if (errorsOf(defender) === 0 || defender.raw.some((d) => d.isSyntax)) return defender;
  const sentinel = attempt('sentinel');
  return errorsOf(sentinel) < errorsOf(defender) ? sentinel : defender;
}

/** Throws the first error diagnostic as a `QuarryError` with a precise code and position. */
export function throwOnErrors(bound: Bound, text: string): void {
  const first = bound.diagnostics.find((d) => d.severity === 'error');
  if (!first) return;
  const code = classify(first, bound.root);
  const hints = bound.diagnostics.filter((d) => d.severity === 'error').slice(1, 4).map((d) => `line ${d.line}, column ${d.column}: ${d.message}`);
  throw new QuarryError(code, `${first.message} (${first.code})`, {
    span: { start: first.start, end: first.end, line: first.line, column: first.column },
    ...(hints.length ? { hints } : {}),
    details: { kustoCode: first.code, view: bound.view },
  });
}

/** Finds the node that starts at `start` (deepest NameReference first) and its parent. */
function nameAt(root: SNode, start: number): { node: SNode; parent?: SNode; grand?: SNode } | undefined {
  let found: { node: SNode; parent?: SNode; grand?: SNode } | undefined;
  const walk = (n: SNode, parent?: SNode, grand?: SNode): void => {
    if (n.cls === 'NameReference' && n.start === start) found = { node: n, ...(parent ? { parent } : {}), ...(grand ? { grand } : {}) };
    for (const c of n.children) if (c.start <= start && start <= c.end) walk(c, n, parent);
  };
  walk(root);
  return found;
}

const TABLE_PARENTS = new Set(['ExpressionStatement', 'UnionOperator', 'JoinOperator', 'LookupOperator', 'LetStatement', 'MaterializeExpression', 'ToScalarExpression', 'InvokeOperator']);

function classify(d: Diagnostic, root: SNode): ErrorCode {
  if (d.syntax) return 'kql/syntax-error';
  if (d.code === 'KS211' || /known function/.test(d.message)) return 'kql/unknown-function';
  if (/does not refer to any known/.test(d.message)) {
    const at = nameAt(root, d.start);
    if (at?.parent) {
      let { parent, node } = at;
      let grand = at.grand;
      if (parent.cls === 'ParenthesizedExpression' && grand) {
        node = parent;
        parent = grand;
        grand = undefined;
      }
      const first = parent.children.find((c) => c.cls !== 'Token');
      if (TABLE_PARENTS.has(parent.cls) || (parent.cls === 'PipeExpression' && first === node)) return 'kql/unknown-table';
    }
    return 'kql/unknown-column';
  }
  return 'kql/semantic-error';
}

/**
 * Pays the parser's one-time start-up (≈1.5 s: loading Kusto.Language and its static tables) and builds the
 * binder state of both views, so the first real query is fast. Servers call it once after they start.
 */
export function warmBinder(catalog: Catalog): void {
  for (const v of ['defender', 'sentinel'] as const) bindKql('print x = 1 | where x > 0 | summarize count() by x', catalog, v);
}
