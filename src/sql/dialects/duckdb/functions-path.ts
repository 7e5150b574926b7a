/**
 * `parse_path` and `base64_encode_fromguid` as DuckDB SQL.
 * - parse_path(p) → {Scheme, RootPath, DirectoryPath, DirectoryName, Filename, Extension, AlternateDataStreamName}
 *   for Windows paths (`C:\dir\f.txt`, `\\server\share\f`), POSIX paths and URLs (`https://host/dir/f`).
 * - base64_encode_fromguid(g): base64 of the GUID's 16 bytes in .NET order (first three groups little-endian).
 */
import type { ScalarFnImpl } from '../../dialect.js';

export const pathPrelude: string[] = [
  `CREATE OR REPLACE TEMP MACRO __kql_pp_scheme(p) AS regexp_extract(p, '^([A-Za-z][A-Za-z0-9+.-]*)://', 1)`,
  `CREATE OR REPLACE TEMP MACRO __kql_pp_rest(p) AS regexp_replace(p, '^[A-Za-z][A-Za-z0-9+.-]*://', '')`,
  `CREATE OR REPLACE TEMP MACRO __kql_pp_last(p) AS regexp_extract(p, '([^/\\\\]*)$', 1)`,
  `CREATE OR REPLACE TEMP MACRO __kql_pp_dir(p) AS regexp_extract(p, '^(.*)[/\\\\][^/\\\\]*$', 1)`,
  `CREATE OR REPLACE TEMP MACRO __kql_pp_file(last) AS regexp_replace(last, ':[^:]*$', '')`,
  `CREATE OR REPLACE TEMP MACRO __kql_parse_path(p) AS CASE WHEN p IS NULL THEN NULL ELSE json_object(
     'Scheme', __kql_pp_scheme(p),
     'RootPath', CASE
        WHEN __kql_pp_scheme(p) <> '' THEN regexp_extract(__kql_pp_rest(p), '^([^/\\\\]*)', 1)
        WHEN regexp_matches(p, '^[A-Za-z]:') THEN substr(p, 1, 2)
        WHEN starts_with(p, '\\\\\\\\') THEN regexp_extract(p, '^(\\\\\\\\[^\\\\]+\\\\[^\\\\]+)', 1)
        ELSE '' END,
     'DirectoryPath', __kql_pp_dir(p),
     'DirectoryName', __kql_pp_last(__kql_pp_dir(p)),
     'Filename', __kql_pp_file(__kql_pp_last(p)),
     'Extension', regexp_extract(__kql_pp_file(__kql_pp_last(p)), '\\.([^.]*)$', 1),
     'AlternateDataStreamName', CASE WHEN regexp_matches(__kql_pp_last(p), ':') THEN regexp_extract(__kql_pp_last(p), ':([^:]*)$', 1) ELSE '' END
   ) END`,
  `CREATE OR REPLACE TEMP MACRO __kql_guid_b64(g) AS CASE WHEN g IS NULL OR NOT regexp_full_match(lower(g), '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}') THEN NULL ELSE to_base64(unhex(
     substr(g, 7, 2) || substr(g, 5, 2) || substr(g, 3, 2) || substr(g, 1, 2) ||
     substr(g, 12, 2) || substr(g, 10, 2) || substr(g, 17, 2) || substr(g, 15, 2) ||
     substr(g, 20, 4) || substr(g, 25, 12))) END`,
];

export const pathFunctions: Record<string, ScalarFnImpl> = {
  parse_path: (a) => `__kql_parse_path(coalesce(${a[0]!.sql}, ''))`,
  base64_encode_fromguid: (a) => `__kql_guid_b64(CAST(${a[0]!.sql} AS VARCHAR))`,
};
