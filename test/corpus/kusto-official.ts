/**
 * Syntax-only check through the official parser (`@kusto/language-service-next`), loaded directly
 * as in `kql-engine-notes.md` §1.3. Used by the parse-only corpus gate, which must not depend on
 * Quarry's compiler.
 */
import { createRequire } from 'node:module';

interface BridgeDiagnostic {
  readonly Code: string;
  readonly Severity: string;
  readonly Start: number;
  readonly Length: number;
  readonly Message: string;
}
interface BridgeList<T> {
  readonly Count: number;
  getItem(i: number): T;
}
interface KustoGlobal {
  Language: { KustoCode: { Parse(text: string): { GetSyntaxDiagnostics(): BridgeList<BridgeDiagnostic> | null } } };
}

let kusto: KustoGlobal | undefined;

function load(): KustoGlobal {
  if (!kusto) {
    const require = createRequire(import.meta.url);
    require('@kusto/language-service-next/bridge.min.js');
    require('@kusto/language-service-next/Kusto.Language.Bridge.min.js');
    kusto = (globalThis as unknown as { Kusto: KustoGlobal }).Kusto;
  }
  return kusto;
}

export interface SyntaxError {
  readonly code: string;
  readonly message: string;
  readonly line: number;
  readonly column: number;
}

/** Syntax errors (severity Error) of `text`; empty when it parses cleanly. */
export function syntaxErrors(text: string): SyntaxError[] {
  const diags = load().Language.KustoCode.Parse(text).GetSyntaxDiagnostics();
  const out: SyntaxError[] = [];
  for (let i = 0; i < (diags?.Count ?? 0); i++) {
    const d = diags!.getItem(i);
    if (d.Severity !== 'Error') continue;
    const before = text.slice(0, d.Start).split('\n');
    out.push({ code: d.Code, message: d.Message, line: before.length, column: before[before.length - 1]!.length + 1 });
  }
  return out;
}

interface BridgeColumn {
  readonly Name: string;
  readonly Type: { readonly Name: string } | null;
}
interface BridgeCode {
  readonly ResultType: { readonly Columns?: BridgeList<BridgeColumn> } | null;
  GetDiagnostics(): BridgeList<BridgeDiagnostic> | null;
}

/**
 * The result schema the official binder gives `text` (default globals, no tables), plus its error
 * diagnostics. An oracle for column names and types of self-contained queries (datatable/print/range).
 */
export function officialResultSchema(text: string): { columns: { name: string; type: string }[]; errors: string[] } {
  const k = load() as unknown as { Language: { KustoCode: { ParseAndAnalyze(text: string): BridgeCode } } };
  const code = k.Language.KustoCode.ParseAndAnalyze(text);
  const errors: string[] = [];
  const diags = code.GetDiagnostics();
  for (let i = 0; i < (diags?.Count ?? 0); i++) {
    const d = diags!.getItem(i);
    if (d.Severity === 'Error') errors.push(`${d.Code} @${d.Start}: ${d.Message}`);
  }
  const cols = code.ResultType?.Columns;
  const columns: { name: string; type: string }[] = [];
  for (let i = 0; i < (cols?.Count ?? 0); i++) {
    const c = cols!.getItem(i);
    columns.push({ name: c.Name, type: c.Type?.Name ?? '?' });
  }
  return { columns, errors };
}
