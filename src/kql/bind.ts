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
      functions: asimFunctions(view),
    });
    state = { globals, tables };
    entry.views.set(view, state);
  }
  return state;
}

function toDiagnostic(d: KustoDiagnostic, text: string): Diagnostic {
  const span = spanAt(text, d.start, d.start + d.length);
  const severity = d.severity.toLowerCase() === 'warning' ? 'warning' : d.severity.toLowerCase() === 'error' ? 'error' : 'info';
  return { code: d.code, severity, message: d.message, line: span.line, column: span.column, start: d.start, end: d.start + d.length };
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
  const code = classify(first, text);
  const hints = bound.diagnostics.filter((d) => d.severity === 'error').slice(1, 4).map((d) => `line ${d.line}, column ${d.column}: ${d.message}`);
  throw new QuarryError(code, `${first.message} (${first.code})`, {
    span: { start: first.start, end: first.end, line: first.line, column: first.column },
    ...(hints.length ? { hints } : {}),
    details: { kustoCode: first.code, view: bound.view },
  });
}

function classify(d: Diagnostic, text: string): ErrorCode {
  const m = /The name '([^']+)' does not refer to any known/.exec(d.message);
  if (m) {
    const before = text.slice(0, d.start).replace(/\/\/[^\n]*$/gm, '').trimEnd();
    const after = text.slice(d.end).trimStart();
    const tableLike = (/(^|[;(,=]|\bunion|\bjoin|\blookup|\bkind\s*=\s*\w+|\bisfuzzy\s*=\s*\w+)$/.test(before) || before === '') && (/^(\||\)|;|,|$)/.test(after));
    return tableLike ? 'kql/unknown-table' : 'kql/unknown-column';
  }
  if (/function/i.test(d.message) && /not defined|unknown|does not refer/i.test(d.message)) return 'kql/unknown-function';
  if (d.code === 'KS142') return 'kql/unknown-column';
  const syntaxish = /expected|missing|unexpected|not closed|Unterminated/i.test(d.message);
  return syntaxish ? 'kql/syntax-error' : 'kql/semantic-error';
}
