/**
 * Internal helpers the plan renderer relies on (not KQL functions): parse-operator captures,
 * mv-expand item lists and the flattening of dynamic arrays for `in (T)`.
 */
import type { FnArg, ScalarFnImpl } from '../../dialect.js';
import { sqlString } from './literals.js';

export const corePrelude: string[] = [
  // Items of a dynamic value for mv-expand: array elements (an empty array drops the row); a property
  // bag's entries as {key: value}; a scalar as itself; null keeps the row with a null value.
  `CREATE OR REPLACE TEMP MACRO __kql_mv_list(j) AS CASE
     WHEN j IS NULL THEN [CAST(NULL AS JSON)]
     WHEN json_type(j) = 'ARRAY' THEN CAST(j AS JSON[])
     WHEN json_type(j) = 'OBJECT' THEN list_transform(json_keys(j), k -> json_object(k, json_extract(j, '$."' || replace(k, '"', '\\"') || '"')))
     ELSE [j] END`,
  `CREATE OR REPLACE TEMP MACRO __kql_mv_list_array(j) AS CASE
     WHEN j IS NULL THEN [CAST(NULL AS JSON)]
     WHEN json_type(j) = 'ARRAY' THEN CAST(j AS JSON[])
     WHEN json_type(j) = 'OBJECT' THEN list_transform(json_keys(j), k -> json_array(k, json_extract(j, '$."' || replace(k, '"', '\\"') || '"')))
     ELSE [j] END`,
  // Element texts of a dynamic array (strings unquoted), for `x in (T)` where T's column holds arrays.
  `CREATE OR REPLACE TEMP MACRO __kql_json_elements_text(j) AS CASE
     WHEN j IS NULL THEN CAST([] AS VARCHAR[])
     WHEN json_type(j) = 'ARRAY' THEN list_transform(CAST(j AS JSON[]), x -> CASE WHEN json_type(x) = 'VARCHAR' THEN json_extract_string(x, '$') ELSE CAST(x AS VARCHAR) END)
     WHEN json_type(j) = 'VARCHAR' THEN [json_extract_string(j, '$')]
     ELSE [CAST(j AS VARCHAR)] END`,
];

/** A constant for comparison with a column: integers that fit INTEGER stay untyped so an INTEGER column is not cast. */
function comparable(col: FnArg, c: FnArg): string {
  const v = c.constant?.value;
  if ((col.type === 'int' || col.type === 'long') && (typeof v === 'bigint' || typeof v === 'number')) {
    const b = BigInt(v);
    if (b >= -2147483648n && b <= 2147483647n) return b.toString();
  }
  return c.sql;
}

export const coreFunctions: Record<string, ScalarFnImpl> = {
  // Equality with a non-null constant inside a WHERE condition (see render.ts `predicate`): null may read as
  // false there, so the plain comparison is exact. args: [expression, constant].
  __pred_eq: (a) => `(${a[0]!.sql} = ${comparable(a[0]!, a[1]!)})`,
  __pred_eq_ci: (a) => {
    const c = a[1]!.constant?.value;
    const rhs = typeof c === 'string' ? sqlString(c.toLowerCase()) : `lower(${a[1]!.sql})`;
    const lhs = a[0]!.type === 'string' ? a[0]!.sql : `CAST(${a[0]!.sql} AS VARCHAR)`;
    return `(lower(${lhs}) = ${rhs})`;
  },
  __parse_group: (a) => `regexp_extract(${a[0]!.sql}, ${a[1]!.sql}, ${String(a[2]!.constant?.value ?? a[2]!.sql)})`,
  __parse_matches: (a) => `coalesce(regexp_matches(${a[0]!.sql}, ${a[1]!.sql}), FALSE)`,
  __mv_list: (a, ctx) => (ctx.name === 'array' ? `__kql_mv_list_array(${a[0]!.sql})` : `__kql_mv_list(${a[0]!.sql})`),
  // split(s, d) as a VARCHAR[] for mv-expand … to typeof(string); Kusto's split of "" is [""], like string_split.
  __split_list: (a) => `string_split(coalesce(${a[0]!.sql}, ''), coalesce(${a[1]!.sql}, ''))`,
  __json_elements_text: (a) => `__kql_json_elements_text(${a[0]!.sql})`,
  // `tostring(parse_json(s).a.b)`: strings unquoted, other JSON values as JSON text, missing/invalid → "".
  // (The validity test outside the extraction lets DuckDB skip the extraction for invalid rows: ~15 % faster.)
  __json_text_path: (a) => `coalesce(CASE WHEN json_valid(${a[0]!.sql}) THEN json_extract_string(${a[0]!.sql}, ${a[1]!.sql}) END, '')`,
  // `parse_json(s).a.b` as dynamic; JSON null reads as null.
  __json_path: (a) => `nullif(CASE WHEN json_valid(${a[0]!.sql}) THEN json_extract(${a[0]!.sql}, ${a[1]!.sql}) END, 'null')`,
};
