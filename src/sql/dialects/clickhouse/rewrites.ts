/**
 * ClickHouse tree rewrites (the dialect's `rewriteCall`): `parse_json(s).a.b[0]` — a chain of constant
 * member/index steps over `parse_json`/`todynamic` of a string or over a dynamic value (JSON text in this
 * dialect), the most common shape in hunting queries — becomes one `JSONExtract*(s, 'a', 'b', 1)` call (`__json_path`, or `__json_text_path` under `tostring`)
 * instead of validating, re-serialising and re-parsing the JSON at every step. Same Kusto semantics:
 * members of invalid JSON (which `parse_json` keeps as a string value) are null, JSON null reads as null.
 */
import type { Scalar } from '../../../plan/ir.js';

const PARSE = new Set(['parse_json', 'todynamic', 'parsejson']);
type Call = Extract<Scalar, { k: 'call' }>;

/** The string under `parse_json` and the JSONExtract keys (strings, or 1-based / negative indexes). */
function jsonKeys(e: Scalar): { source: Scalar; keys: Scalar[] } | undefined {
  const keys: Scalar[] = [];
  let cur: Scalar = e;
  while (cur.k === 'call' && (cur.fn === '__member' || cur.fn === '__index') && cur.args.length === 2) {
    const key = cur.args[1]!;
    if (key.k !== 'lit') return undefined;
    if (typeof key.value === 'string') keys.unshift({ k: 'lit', value: key.value, type: 'string' });
    else if (typeof key.value === 'bigint' || typeof key.value === 'number') {
      const i = BigInt(key.value);
      keys.unshift({ k: 'lit', value: i >= 0n ? i + 1n : i, type: 'long' });
    } else return undefined;
    cur = cur.args[0]!;
  }
  if (keys.length === 0) return undefined;
  // parse_json of a string or of a dynamic (JSON text already), or any dynamic expression: its text.
  if (cur.k === 'call' && PARSE.has(cur.fn) && cur.args.length === 1 && (cur.args[0]!.type === 'string' || cur.args[0]!.type === 'dynamic')) {
    return { source: cur.args[0]!, keys };
  }
  return cur.type === 'dynamic' ? { source: cur, keys } : undefined;
}

export function clickhouseRewriteCall(c: Call): Scalar | undefined {
  if (c.fn === 'tostring' && c.args.length === 1) {
    const p = jsonKeys(c.args[0]!);
    if (p) return { k: 'call', fn: '__json_text_path', args: [p.source, ...p.keys], type: 'string' };
    return undefined;
  }
  if (c.fn === '__member' || c.fn === '__index') {
    const p = jsonKeys(c);
    if (p) return { k: 'call', fn: '__json_path', args: [p.source, ...p.keys], type: 'dynamic' };
  }
  return undefined;
}
