/**
 * Loads the DuckDB dialect prelude (temporary macros giving Kusto semantics) that every connection runs.
 * The prelude module belongs to `sql/dialects/duckdb/`; it is imported dynamically so the store works
 * (without macros) in builds where that module is not present yet.
 */
import type { Logger } from '../../core/log.js';

const PRELUDE_MODULE = '../../sql/dialects/duckdb/prelude.js';

function statementsOf(value: unknown): string[] | undefined {
  if (typeof value === 'function') return statementsOf((value as () => unknown)());
  if (typeof value === 'string') return value.trim() ? [value] : [];
  if (Array.isArray(value) && value.every((s) => typeof s === 'string')) return value as string[];
  return undefined;
}

/** A JavaScript scalar function of the dialect (`sql/dialects/duckdb/udf-*.ts`): text arguments, text result. */
export interface JsUdf {
  readonly name: string;
  readonly parameterTypes: readonly string[];
  readonly returnType: string;
  readonly fn: (...args: string[]) => string | null;
}

/** The dialect's JavaScript scalar functions (none when the prelude module is absent). */
export async function loadDuckdbUdfs(): Promise<JsUdf[]> {
  try {
    const mod = (await import(PRELUDE_MODULE)) as Record<string, unknown>;
    return Array.isArray(mod.duckdbJsUdfs) ? (mod.duckdbJsUdfs as JsUdf[]) : [];
  } catch {
    return [];
  }
}

export async function loadDuckdbPrelude(logger?: Logger): Promise<string[]> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(PRELUDE_MODULE)) as Record<string, unknown>;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || /Cannot find module|Failed to load url|Does the file exist/i.test(String(e))) {
      logger?.warn('DuckDB dialect prelude (sql/dialects/duckdb/prelude) not found: connections run without Kusto macros');
      return [];
    }
    throw e;
  }
  const stmts = statementsOf(mod.duckdbPrelude);
  if (!stmts) {
    logger?.warn('sql/dialects/duckdb/prelude does not export duckdbPrelude as SQL text: ignored');
    return [];
  }
  return stmts;
}
