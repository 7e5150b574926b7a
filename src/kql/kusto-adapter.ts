/**
 * The only module that touches `@kusto/language-service-next` (Kusto.Language compiled to JS by Bridge.NET).
 * It parses and binds KQL against Quarry's catalog and turns Kusto's syntax tree into a plain-data tree
 * (`SNode`): class and syntax-kind names, spans, token text, bound types, referenced symbols and constants.
 * Everything downstream works on that plain tree only.
 */
/// <reference path="../../node_modules/@kusto/language-service-next/Kusto.Language.Bridge.d.ts" />
import { createRequire } from 'node:module';
import type { KqlScalarType } from '../catalog/types.js';

const require = createRequire(import.meta.url);

/* ----------------------------------------------------------------------------------------------
 * Plain tree
 * -------------------------------------------------------------------------------------------- */

export interface BoundColumn {
  readonly name: string;
  readonly type: BoundScalar;
}

/** A scalar type name as the binder reports it; `unknown`/`error` when binding failed. */
export type BoundScalar = KqlScalarType | 'unknown' | 'error' | 'void' | 'type' | 'tuple' | 'other';

export type BoundType =
  | { readonly kind: 'scalar'; readonly name: BoundScalar }
  | { readonly kind: 'table'; readonly name: string; readonly columns: readonly BoundColumn[] }
  | { readonly kind: 'other'; readonly name: string };

export interface BoundSymbol {
  /** Kusto SymbolKind name: Column, Table, Function, Variable, Parameter, Operator, Tuple, … */
  readonly kind: string;
  readonly name: string;
  /** For Operator symbols: the OperatorKind name (e.g. `HasCs`). */
  readonly operator?: string;
  /** For Function symbols: true when a built-in aggregate. */
  readonly isAggregate?: boolean;
  /** For Function symbols: true when a user/database function (has a body). */
  readonly isUserFunction?: boolean;
  /** For Column symbols: the column type. */
  readonly columnType?: BoundScalar;
}

export interface SNode {
  /** Kusto syntax class name without namespace, e.g. `FilterOperator`, `BinaryExpression`; `Token` for tokens. */
  readonly cls: string;
  /** Kusto SyntaxKind name, e.g. `AndExpression`, `HasKeyword`, `IdentifierToken`. */
  readonly kind: string;
  readonly start: number;
  readonly end: number;
  /** Token text (tokens only). */
  readonly text?: string;
  readonly type?: BoundType;
  readonly symbol?: BoundSymbol;
  /** Present when the binder computed a constant string value (string literals, after escapes). */
  readonly constString?: string;
  /** Present when the binder computed a constant long value. */
  readonly constLong?: bigint;
  /** Children in order with list wrappers flattened away; tokens are kept. */
  readonly children: readonly SNode[];
  /** For calls of user-defined functions: the bound body as the binder expanded it. */
  readonly expansion?: SNode;
  /** For calls of user-defined functions: parameter names in declaration order, with default-value trees. */
  readonly params?: readonly { readonly name: string; readonly defaultValue?: SNode }[];
  readonly isMissing?: boolean;
}

export interface KustoDiagnostic {
  readonly code: string;
  readonly severity: string;
  readonly message: string;
  readonly start: number;
  readonly length: number;
  readonly isSyntax: boolean;
}

export interface BindResult {
  readonly root: SNode;
  readonly diagnostics: readonly KustoDiagnostic[];
}

/* ----------------------------------------------------------------------------------------------
 * Loading the library (once per process)
 * -------------------------------------------------------------------------------------------- */

interface BridgeRuntime {
  getTypeName(o: unknown): string;
  is(o: unknown, t: unknown): boolean;
}
interface SystemRuntime {
  Enum: { toString(enumType: unknown, v: number): string };
}

let loaded = false;
function load(): void {
  if (loaded) return;
  require('@kusto/language-service-next/bridge.min.js');
  require('@kusto/language-service-next/Kusto.Language.Bridge.min.js');
  loaded = true;
}

function B(): BridgeRuntime {
  return (globalThis as unknown as { Bridge: BridgeRuntime }).Bridge;
}
function Sys(): SystemRuntime {
  return (globalThis as unknown as { System: SystemRuntime }).System;
}

/* ----------------------------------------------------------------------------------------------
 * Schema → GlobalState
 * -------------------------------------------------------------------------------------------- */

export interface SchemaTable {
  readonly name: string;
  readonly columns: readonly { readonly name: string; readonly type: KqlScalarType }[];
}

/** A database function declared for the binder: parameters and body in KQL (e.g. ASIM parsers). */
export interface SchemaFunction {
  readonly name: string;
  /** Parameter list in KQL syntax, e.g. `(starttime:datetime=datetime(null))`. */
  readonly parameters: string;
  /** Body in KQL syntax including braces, e.g. `{ T | where … }`. */
  readonly body: string;
}

export interface Schema {
  readonly database: string;
  readonly tables: readonly SchemaTable[];
  readonly functions?: readonly SchemaFunction[];
}

export type GlobalsHandle = { readonly __brand: 'kusto-globals'; readonly value: unknown };

function quoteName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `['${name.replace(/'/g, "\\'")}']`;
}

/** Builds the binder's global state for a schema (≈ms per table; build once per schema and reuse). */
export function buildGlobals(schema: Schema): GlobalsHandle {
  load();
  const S = Kusto.Language.Symbols;
  const symbols: Kusto.Language.Symbols.Symbol[] = [];
  for (const t of schema.tables) {
    const cols = t.columns.map((c) => `${quoteName(c.name)}:${c.type}`).join(', ');
    symbols.push(new S.TableSymbol.$ctor7(t.name, `(${cols})`, '') as unknown as Kusto.Language.Symbols.Symbol);
  }
  for (const f of schema.functions ?? []) {
    symbols.push(new S.FunctionSymbol.$ctor16(f.name, f.parameters, f.body, '') as unknown as Kusto.Language.Symbols.Symbol);
  }
  const db = new S.DatabaseSymbol.ctor(schema.database, symbols);
  const globals = Kusto.Language.GlobalState.Default!.WithDatabase(db);
  return { __brand: 'kusto-globals', value: globals };
}

/** Runs one parse so that the library's one-time static initialisation (≈1.5 s) is paid up front. */
export function warmUp(): void {
  load();
  Kusto.Language.KustoCode.ParseAndAnalyze('print x = 1 | where x > 0 | summarize count() by x', Kusto.Language.GlobalState.Default);
}

/* ----------------------------------------------------------------------------------------------
 * Parse + bind → plain tree
 * -------------------------------------------------------------------------------------------- */

const scalarNames = new Set<string>(['bool', 'datetime', 'decimal', 'dynamic', 'guid', 'int', 'long', 'real', 'string', 'timespan']);

/** Per-constructor facts, computed once per syntax class (Bridge's `is` walks the inheritance chain). */
interface ClassInfo {
  readonly name: string;
  readonly isList: boolean;
  readonly isExpressionLike: boolean;
  readonly isFunctionCall: boolean;
}
const classInfos = new Map<unknown, ClassInfo>();
/** Table types by symbol identity: many nodes share one TableSymbol, and tables can have ~70 columns. */
const tableTypes = new WeakMap<object, BoundType>();

class Converter {
  private readonly S = Kusto.Language.Symbols;
  private readonly Syn = Kusto.Language.Syntax;

  private classInfo(el: object): ClassInfo {
    const ctor = (el as { constructor: unknown }).constructor;
    let info = classInfos.get(ctor);
    if (!info) {
      const bridge = B();
      const typeName = bridge.getTypeName(el);
      info = {
        name: typeName.replace(/^Kusto\.Language\.Syntax\./, ''),
        isList: typeName.includes('SyntaxList') || typeName.includes('SeparatedElement'),
        isExpressionLike: bridge.is(el, this.Syn.Expression) || bridge.is(el, this.Syn.NameDeclaration),
        isFunctionCall: bridge.is(el, this.Syn.FunctionCallExpression),
      };
      classInfos.set(ctor, info);
    }
    return info;
  }
  private readonly kindNames = new Map<number, string>();
  private readonly symKindNames = new Map<number, string>();
  private readonly opKindNames = new Map<number, string>();
  private expansionDepth = 0;

  private enumName(cache: Map<number, string>, enumType: unknown, v: number): string {
    let s = cache.get(v);
    if (s === undefined) {
      s = Sys().Enum.toString(enumType, v);
      cache.set(v, s);
    }
    return s;
  }

  scalarName(t: Kusto.Language.Symbols.TypeSymbol | null | undefined): BoundScalar {
    if (!t) return 'unknown';
    const n = t.Name ?? 'unknown';
    if (scalarNames.has(n)) return n as KqlScalarType;
    if (n === 'unknown' || n === 'error' || n === 'void' || n === 'type' || n === 'tuple') return n;
    // typed dynamic forms such as dynamic(array) are still dynamic
    if (n.startsWith('dynamic')) return 'dynamic';
    return 'other';
  }

  type(t: Kusto.Language.Symbols.TypeSymbol | null | undefined): BoundType | undefined {
    if (!t) return undefined;
    const cached = tableTypes.get(t);
    if (cached) return cached;
    if (B().is(t, this.S.TableSymbol)) {
      const ts = t as Kusto.Language.Symbols.TableSymbol;
      const cols: BoundColumn[] = [];
      const list = ts.Columns!;
      for (let i = 0; i < list.Count; i++) {
        const c = list.getItem(i)!;
        cols.push({ name: c.Name!, type: this.scalarName(c.Type) });
      }
      const bt: BoundType = { kind: 'table', name: ts.Name ?? '', columns: cols };
      tableTypes.set(t, bt);
      return bt;
    }
    const sn = this.scalarName(t);
    if (sn === 'other') return { kind: 'other', name: t.Name ?? '' };
    return { kind: 'scalar', name: sn };
  }

  symbol(s: Kusto.Language.Symbols.Symbol | null | undefined): BoundSymbol | undefined {
    if (!s) return undefined;
    const kind = this.enumName(this.symKindNames, this.S.SymbolKind, s.Kind);
    const out: { -readonly [K in keyof BoundSymbol]: BoundSymbol[K] } = { kind, name: s.Name ?? '' };
    if (kind === 'Operator') {
      const op = s as unknown as { OperatorKind: number };
      out.operator = this.enumName(this.opKindNames, this.S.OperatorKind, op.OperatorKind);
    } else if (kind === 'Function') {
      const name = s.Name ?? '';
      if (Kusto.Language.GlobalState.Default!.GetAggregate(name) === s) out.isAggregate = true;
      const fs = s as unknown as { Signatures: { Count: number; getItem(i: number): { Body: string | null; Declaration: unknown } } };
      const sig = fs.Signatures && fs.Signatures.Count > 0 ? fs.Signatures.getItem(0) : undefined;
      if (sig && (sig.Body || sig.Declaration)) out.isUserFunction = true;
    } else if (kind === 'Column') {
      out.columnType = this.scalarName((s as Kusto.Language.Symbols.ColumnSymbol).Type);
    }
    return out;
  }

  convert(el: Kusto.Language.Syntax.SyntaxElement, out: SNode[]): void {
    const info = this.classInfo(el);
    // Flatten list wrappers (SyntaxList`1, SeparatedElement`1, SeparatedSyntaxList`1).
    if (info.isList) {
      for (let i = 0; i < el.ChildCount; i++) {
        const c = el.GetChild(i);
        if (c) this.convert(c, out);
      }
      return;
    }
    const kind = this.enumName(this.kindNames, this.Syn.SyntaxKind, el.Kind);
    if (el.IsToken) {
      const tok = el as Kusto.Language.Syntax.SyntaxToken;
      const start = tok.TextStart;
      const text = tok.Text ?? '';
      out.push({ cls: 'Token', kind, start, end: start + text.length, text, children: [] });
      return;
    }
    const node = el as Kusto.Language.Syntax.SyntaxNode;
    const cls = info.name;
    const children: SNode[] = [];
    for (let i = 0; i < node.ChildCount; i++) {
      const c = node.GetChild(i);
      if (c) this.convert(c, children);
    }
    const start = node.TextStart;
    const n: { -readonly [K in keyof SNode]: SNode[K] } = { cls, kind, start, end: start + node.Width, children };
    if (node.IsMissing) n.isMissing = true;
    if (info.isExpressionLike) {
      const expr = node as Kusto.Language.Syntax.Expression;
      const t = this.type(expr.ResultType);
      if (t) n.type = t;
      const sym = this.symbol(expr.ReferencedSymbol);
      if (sym) n.symbol = sym;
      if (expr.IsConstant) {
        const v: unknown = expr.ConstantValue;
        if (typeof v === 'string') n.constString = v;
        else if (v !== null && v !== undefined && B().getTypeName(v) === 'System.Int64') n.constLong = BigInt(String(v));
      }
    }
    if (info.isFunctionCall && n.symbol?.isUserFunction && this.expansionDepth < 16) {
      const expansion = node.GetExpansion();
      if (expansion) {
        this.expansionDepth++;
        const body: SNode[] = [];
        this.convert(expansion, body);
        this.expansionDepth--;
        if (body[0]) n.expansion = body[0];
      }
      const sig = (node as Kusto.Language.Syntax.FunctionCallExpression).ReferencedSignature;
      if (sig) {
        const params: { name: string; defaultValue?: SNode }[] = [];
        const list = sig.Parameters!;
        for (let i = 0; i < list.Count; i++) {
          const p = list.getItem(i)!;
          const entry: { name: string; defaultValue?: SNode } = { name: p.Name! };
          const dv = (p as unknown as { DefaultValue: Kusto.Language.Syntax.SyntaxElement | null }).DefaultValue;
          if (dv) {
            const tmp: SNode[] = [];
            this.convert(dv, tmp);
            if (tmp[0]) entry.defaultValue = tmp[0];
          }
          params.push(entry);
        }
        n.params = params;
      }
    }
    out.push(n);
  }

  diagnostics(code: Kusto.Language.KustoCode): KustoDiagnostic[] {
    const syntaxKeys = new Set<string>();
    const syn = code.GetSyntaxDiagnostics()!;
    for (let i = 0; i < syn.Count; i++) {
      const d = syn.getItem(i)!;
      syntaxKeys.add(`${d.Code}@${d.Start}`);
    }
    const all = code.GetDiagnostics()!;
    const out: KustoDiagnostic[] = [];
    for (let i = 0; i < all.Count; i++) {
      const d = all.getItem(i)!;
      out.push({
        code: d.Code ?? '',
        severity: d.Severity ?? 'Error',
        message: d.Message ?? '',
        start: d.Start,
        length: d.Length,
        isSyntax: syntaxKeys.has(`${d.Code}@${d.Start}`),
      });
    }
    return out;
  }
}

/** Parses and binds `text` against `globals`; returns the plain tree and every diagnostic. */
export function parseAndBind(text: string, globals: GlobalsHandle): BindResult {
  load();
  const code = Kusto.Language.KustoCode.ParseAndAnalyze(text, globals.value as Kusto.Language.GlobalState)!;
  const conv = new Converter();
  const out: SNode[] = [];
  conv.convert(code.Syntax!, out);
  return { root: out[0]!, diagnostics: conv.diagnostics(code) };
}

/** Syntax-only parse (no schema needed): diagnostics of the grammar. */
export function parseSyntax(text: string): KustoDiagnostic[] {
  load();
  const code = Kusto.Language.KustoCode.Parse(text)!;
  const diags = code.GetSyntaxDiagnostics()!;
  const out: KustoDiagnostic[] = [];
  for (let i = 0; i < diags.Count; i++) {
    const d = diags.getItem(i)!;
    out.push({ code: d.Code ?? '', severity: d.Severity ?? 'Error', message: d.Message ?? '', start: d.Start, length: d.Length, isSyntax: true });
  }
  return out;
}
