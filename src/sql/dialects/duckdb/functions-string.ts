/**
 * INITIAL VERSION by the lead so the compiler can run end to end; part A of the function catalog owns this
 * file and replaces it with the full, tested implementation.
 */
import type { FnArg, ScalarFnImpl } from '../../dialect.js';

const s = (a: FnArg) => (a.type === 'string' ? `coalesce(${a.sql}, '')` : a.type === 'dynamic' ? `kql_json_to_string(${a.sql})` : `CAST(${a.sql} AS VARCHAR)`);

export const stringFunctions: Record<string, ScalarFnImpl> = {
  tolower: (a) => `lower(${s(a[0]!)})`,
  toupper: (a) => `upper(${s(a[0]!)})`,
  strlen: (a) => `CAST(length(${s(a[0]!)}) AS BIGINT)`,
  isempty: (a) => (a[0]!.type === 'string' ? `(coalesce(${a[0]!.sql}, '') = '')` : a[0]!.type === 'dynamic' ? `(${a[0]!.sql} IS NULL OR kql_json_to_string(${a[0]!.sql}) = '')` : `(${a[0]!.sql} IS NULL)`),
  isnotempty: (a) => (a[0]!.type === 'string' ? `(coalesce(${a[0]!.sql}, '') <> '')` : a[0]!.type === 'dynamic' ? `(${a[0]!.sql} IS NOT NULL AND kql_json_to_string(${a[0]!.sql}) <> '')` : `(${a[0]!.sql} IS NOT NULL)`),
  isnull: (a) => (a[0]!.type === 'string' ? 'FALSE' : `(${a[0]!.sql} IS NULL)`),
  isnotnull: (a) => (a[0]!.type === 'string' ? 'TRUE' : `(${a[0]!.sql} IS NOT NULL)`),
  split: (a) => (a.length > 2 ? `to_json([string_split(${s(a[0]!)}, ${s(a[1]!)})[${a[2]!.sql} + 1]])` : `to_json(string_split(${s(a[0]!)}, ${s(a[1]!)}))`),
  strcat: (a) => `concat(${a.map(s).join(', ')})`,
  strcat_array: (a) => `array_to_string(__kql_json_elements_text(${a[0]!.sql}), ${s(a[1]!)})`,
  extract: (a) => `nullif(regexp_extract(${s(a[2]!)}, ${a[0]!.sql}, ${a[1]!.sql}), '')`,
  substring: (a) => (a.length > 2 ? `substr(${s(a[0]!)}, ${a[1]!.sql} + 1, ${a[2]!.sql})` : `substr(${s(a[0]!)}, ${a[1]!.sql} + 1)`),
  trim: (a) => `regexp_replace(regexp_replace(${s(a[1]!)}, '^(' || ${a[0]!.sql} || ')+', ''), '(' || ${a[0]!.sql} || ')+$', '')`,
  replace_string: (a) => `replace(${s(a[0]!)}, ${s(a[1]!)}, ${s(a[2]!)})`,
  indexof: (a) => `(strpos(${s(a[0]!)}, ${s(a[1]!)}) - 1)`,
};
