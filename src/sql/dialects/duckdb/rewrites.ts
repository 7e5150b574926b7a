/**
 * DuckDB tree rewrites (the dialect's `rewriteCall`): shapes that hunting queries use constantly and that have a
 * much cheaper DuckDB form with the same Kusto semantics.
 *
 * - `parse_json(s).a.b[0]` (member/index chains over `parse_json`/`todynamic` of a string) → one JSON-path
 *   extraction guarded by `json_valid` (`__json_path`); under `tostring(...)` → `__json_text_path`.
 *   Kusto: `parse_json` of invalid JSON gives a string value, whose members are null — the guard gives the same.
 */
import type { Scalar } from '../../../plan/ir.js';

const PARSE = new Set(['parse_json', 'todynamic', 'parsejson']);

type Call = Extract<Scalar, { k: 'call' }>;

/** `$."a"."b"[0]` for a chain of constant keys over `parse_json(<string>)`, with the string expression. */
function jsonPath(e: Scalar): { source: Scalar; path: string } | undefined {
  const steps: string[] = [];
  let cur: Scalar = e;
  while (cur.k === 'call' && (cur.fn === '__member' || cur.fn === '__index') && cur.args.length === 2) {
    const key = cur.args[1]!;
    if (key.k !== 'lit') return undefined;
    if (typeof key.value === 'string') {
      // Plain identifiers unquoted: DuckDB's JSON path parser is measurably faster on `$.a` than on `$."a"`.
      steps.unshift(/^[A-Za-z_][A-Za-z0-9_]*$/.test(key.value) ? `.${key.value}` : `."${key.value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`);
    }
    else if (typeof key.value === 'bigint' || typeof key.value === 'number') {
      const i = BigInt(key.value);
      steps.unshift(i < 0n ? `[#${i}]` : `[${i}]`);
    } else return undefined;
    cur = cur.args[0]!;
  }
  if (steps.length === 0) return undefined;
  if (cur.k !== 'call' || !PARSE.has(cur.fn) || cur.args.length !== 1 || cur.args[0]!.type !== 'string') return undefined;
  return { source: cur.args[0]!, path: '$' + steps.join('') };
}

export function duckdbRewriteCall(c: Call): Scalar | undefined {
  if (c.fn === 'tostring' && c.args.length === 1) {
    const p = jsonPath(c.args[0]!);
    if (p) return { k: 'call', fn: '__json_text_path', args: [p.source, { k: 'lit', value: p.path, type: 'string' }], type: 'string' };
    return undefined;
  }
  if (c.fn === '__member' || c.fn === '__index') {
    const p = jsonPath(c);
    if (p) return { k: 'call', fn: '__json_path', args: [p.source, { k: 'lit', value: p.path, type: 'string' }], type: 'dynamic' };
  }
  return undefined;
}
