/**
 * INITIAL VERSION by the lead so the compiler can run end to end; part A of the function catalog owns this
 * file and replaces it with the full, tested implementation.
 */
import type { FnArg, ScalarFnImpl } from '../../dialect.js';

function tostring(a: FnArg): string {
  switch (a.type) {
    case 'string': case 'guid': return `coalesce(${a.sql}, '')`;
    case 'dynamic': return `coalesce(kql_json_to_string(${a.sql}), '')`;
    case 'datetime': return `coalesce(kql_datetime_text(${a.sql}), '')`;
    case 'timespan': return `coalesce(kql_timespan_text(${a.sql}), '')`;
    case 'bool': return `coalesce(CASE WHEN ${a.sql} THEN 'true' ELSE 'false' END, '')`;
    default: return `coalesce(CAST(${a.sql} AS VARCHAR), '')`;
  }
}
const num = (t: string) => (a: readonly FnArg[]) => (a[0]!.type === 'dynamic' ? `TRY_CAST(kql_json_to_string(${a[0]!.sql}) AS ${t})` : `TRY_CAST(${a[0]!.sql} AS ${t})`);

export const convertFunctions: Record<string, ScalarFnImpl> = {
  tostring: (a) => tostring(a[0]!),
  tolong: num('BIGINT'), toint: num('INTEGER'), todouble: num('DOUBLE'), toreal: num('DOUBLE'), todecimal: num('DOUBLE'),
  tobool: (a) => `TRY_CAST(${a[0]!.type === 'dynamic' ? `kql_json_to_string(${a[0]!.sql})` : a[0]!.sql} AS BOOLEAN)`,
  todatetime: (a) => (a[0]!.type === 'datetime' ? a[0]!.sql : `TRY_CAST(${a[0]!.type === 'dynamic' ? `kql_json_to_string(${a[0]!.sql})` : a[0]!.sql} AS TIMESTAMP)`),
  iff: (a) => `(CASE WHEN ${a[0]!.sql} THEN ${a[1]!.sql} ELSE ${a[2]!.sql} END)`,
  coalesce: (a) => (a[0]!.type === 'string' ? `coalesce(${a.map((x) => `nullif(${x.sql}, '')`).join(', ')}, '')` : `coalesce(${a.map((x) => x.sql).join(', ')})`),
  case: (a) => {
    const parts: string[] = [];
    for (let i = 0; i + 1 < a.length; i += 2) parts.push(`WHEN ${a[i]!.sql} THEN ${a[i + 1]!.sql}`);
    return `(CASE ${parts.join(' ')} ELSE ${a[a.length - 1]!.sql} END)`;
  },
};
