/**
 * SQL for the DuckDB-native NDJSON path: one statement over the staged lines of a group that parses each line
 * with `json_transform` into a struct of per-column texts (strings unescaped, other values as JSON text) and,
 * per catalog column, yields the stored value and a condition saying the value is one SQL converts *exactly*
 * as the JS validator (`coerce.ts`, `validate.ts`) would. A line is taken in SQL (`fast`) only when it is a
 * JSON object, every key is a column (no duplicates, no nulls), and every value has a plain form (ISO `…Z`
 * date-times, integers, booleans, strings, GUID text). Anything else — bad JSON, unknown keys, odd forms,
 * wrong types, missing time — goes back to the JS reader and validator, so reject reasons and edge-case
 * coercions stay the JS path's own, byte for byte.
 *
 * Measured on 2 KB, 48-column events: per-value string surgery (slicing quotes, unescaping), `json_type` over
 * all columns and JSON re-serialisation each cost about as much as the parse itself, and string functions
 * over whole lines (counting backslashes, regexes, trimming) several times more, so values are taken as
 * DuckDB's transform hands them out, only `dynamic` columns ask for their JSON type, and regexes run only on
 * the few values that need them (CASE evaluates lazily; OR/AND do not).
 *
 * Unknown and duplicate keys: `json_keys` of each line whose values passed — as many keys as columns found
 * with a value means no unknown key, no duplicate and no null. (A byte-length shortcut that proves the same
 * for lines adding up to exactly their members was measured not to pay: most real events carry escaped
 * backslashes in paths, so nearly every line needed `json_keys` anyway.) DuckDB's JSON reader accepts trailing
 * commas and NaN, JSON.parse does not: NaN never passes a column check, a top-level trailing comma is caught
 * by looking at the line's last bytes.
 *
 * Integers are cast from their JSON token text, never through a double, so values beyond 2^53 stay exact; a
 * token beyond 64 bits fails the cast and the JS validator words the reason.
 */
import type { ColumnDef, TableDef } from '../../catalog/types.js';
import { physicalColumns } from '../../catalog/views.js';
import { quoteIdentifier as q, sqlString as lit } from '../../sql/dialects/duckdb/literals.js';
import { duckdbTypeOf } from '../../sql/dialects/duckdb/types.js';

export interface ColumnSql {
  readonly column: ColumnDef;
  /** SQL type of the stored column. */
  readonly sqlType: string;
  /** Value expression over `x<i>` (the value as text: strings unescaped, other values as JSON text). */
  readonly value: string;
  /** True when the value is absent/null or converted exactly; false sends the line to the JS validator. */
  readonly ok: string;
  /** Needs its JSON type (`t<i>`): the text alone cannot tell a string from a token. */
  readonly typed: boolean;
  /** Needs its first character's code (`a<i>`). */
  readonly firstChar?: boolean;
}

const ISO_Z = "'[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?Z'";
const GUID = "'[{(]?[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}[)}]?'";
/** Printable ASCII without `"` and `\`: JSON.stringify of such text is the text in quotes. */
const PLAIN_ASCII = "'[ !#-\\[\\]-~]*'";
const INT = "'-?[0-9]{1,20}'";
const NUMBER = "'-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?'";

/**
 * Per column: value and exactness condition from the value's text alone. The text of a JSON
 * string and of a token can coincide (`443` / `"443"`, `true` / `"true"`); the JS validator then gives the same
 * result for both (String(443), toLong("443"), toBool("true")), so only forms it treats differently need
 * telling apart: a double, NaN/Infinity, an object or an array in a string column print as text that a
 * string could also hold, so text that looks like one of them goes to JS.
 */
function columnSql(c: ColumnDef, i: number): ColumnSql {
  const x = `x${i}`;
  const v = `v${i}`;
  const sqlType = duckdbTypeOf[c.type];
  const intLike = `regexp_full_match(${x}, ${INT})`;
  // Lines are never inserted from SQL unless `fast`, so values need no CASE guards; casts of '' give NULL,
  // which is what empty text means for every non-string type (coerce.ts).
  switch (c.type) {
    case 'string': {
      // The first character's code, computed once a level below (\`a<i>\`).
      const first = `a${i}`;
      // Only text starting like a number, NaN/Infinity, an object or an array needs a closer look; there the
      // cast runs before the regex (most such text — addresses, hashes, versions — fails the cast at once).
      const ok = `(${x} IS NULL OR CASE WHEN ${first} > 57 AND ${first} <> 73 AND ${first} <> 78 AND ${first} <> 91 AND ${first} <> 105 AND ${first} <> 110 AND ${first} <> 123 THEN true
        WHEN ${first} = 123 OR ${first} = 91 THEN false ELSE TRY_CAST(${x} AS DOUBLE) IS NULL OR ${intLike} END)`;
      return { column: c, sqlType, value: x, ok, typed: false, firstChar: true };
    }
    case 'long':
    case 'int':
    case 'timespan':
      return {
        column: c,
        sqlType,
        value: `TRY_CAST(${x} AS ${c.type === 'int' ? 'INTEGER' : 'BIGINT'})`,
        ok: `(${x} IS NULL OR ${x} = '' OR (${intLike} AND ${v} IS NOT NULL))`,
        typed: false,
      };
    case 'real':
    case 'decimal':
      return {
        column: c,
        sqlType,
        value: `TRY_CAST(${x} AS DOUBLE)`,
        ok: `(${x} IS NULL OR ${x} = '' OR (regexp_full_match(${x}, ${NUMBER}) AND isfinite(${v})))`,
        typed: false,
      };
    case 'bool':
      return {
        column: c,
        sqlType,
        value: `CASE WHEN ${x} IN ('true', '1') THEN true WHEN ${x} IN ('false', '0') THEN false END`,
        ok: `(${x} IS NULL OR ${x} IN ('', 'true', 'false', '0', '1'))`,
        typed: false,
      };
    case 'datetime':
      // Only a JSON string prints as an ISO date-time. DuckDB cuts fractions beyond microseconds, as the JS
      // path does (not rounded). Offsets and other forms go to JS.
      return {
        column: c,
        sqlType,
        value: `TRY_CAST(${x} AS TIMESTAMP)`,
        ok: `(${x} IS NULL OR ${x} = '' OR (regexp_full_match(${x}, ${ISO_Z}) AND ${v} IS NOT NULL))`,
        typed: false,
      };
    case 'guid':
      return {
        column: c,
        sqlType,
        value: `nullif(${x}, '')`,
        ok: `(${x} IS NULL OR ${x} = '' OR regexp_full_match(${x}, ${GUID}))`,
        typed: false,
      };
    case 'dynamic': {
      // The stored JSON differs for "true" and true: this type needs the JSON type. Plain strings (not JSON text
      // themselves) and booleans only; objects, arrays and numbers go to JS, whose JSON text the store keeps.
      const t = `t${i}`;
      return {
        column: c,
        sqlType,
        value: `CASE WHEN ${t} = 'BOOLEAN' THEN ${x} WHEN ${t} = 'VARCHAR' THEN '"' || ${x} || '"' END`,
        ok: `(${x} IS NULL OR ${t} = 'BOOLEAN' OR (${t} = 'VARCHAR' AND regexp_full_match(${x}, ${PLAIN_ASCII}) AND NOT regexp_matches(${x}, '^\\s*[\\[{]')))`,
        typed: true,
      };
    }
  }
}

export interface TablePlan {
  readonly table: string;
  readonly columns: readonly ColumnSql[];
  /**
   * A SELECT over `{source}` (a relation with `rk`, the record's index, and `line`): `rk`, `line` (kept only
   * for lines SQL did not take), `fast`, and every column's stored value (meaningless when not fast). Rows
   * may come out in any order (DuckDB does not keep order through every plan): `rk` says which is which.
   */
  parseSelect(source: string): string;
  readonly timeColumn: string | undefined;
}

export function tablePlan(def: TableDef, opts: { tenantId: string | undefined; defaultTenant: string }): TablePlan {
  const cols = physicalColumns(def);
  const plans = cols.map(columnSql);
  const names = cols.map((c) => c.name);
  const structure = lit(JSON.stringify(Object.fromEntries(names.map((n) => [n, 'VARCHAR']))));
  const typedIdx = plans.flatMap((p, i) => (p.typed ? [i] : []));
  const timeColumn = def.timeColumn;
  const timeIdx = timeColumn === undefined ? -1 : names.indexOf(timeColumn);
  const hasTenant = names.includes('TenantId');
  const tenant = opts.tenantId ?? opts.defaultTenant;
  const defenderTg = def.origin === 'defender' && names.includes('TimeGenerated') && timeIdx >= 0;
  const idx = [...names.keys()];
  const finals = plans.map((p, i) => {
    let v = `v${i}::${p.sqlType}`;
    if (p.column.name === 'TenantId' && hasTenant) v = `coalesce(${v}, ${lit(tenant)})`;
    if (p.column.name === 'TimeGenerated' && defenderTg) v = `coalesce(${v}, v${timeIdx}::TIMESTAMP)`;
    return `${v} AS ${q(p.column.name)}`;
  });
  const present = idx.map((i) => `(x${i} IS NOT NULL)::INTEGER`).join(' + ');
  const okAll = plans.map((p) => p.ok).join('\n        AND ');
  const timeOk = timeIdx >= 0 ? ` AND v${timeIdx} IS NOT NULL` : '';
  // JSON.parse refuses a trailing comma that DuckDB's reader accepts; at the top level it can only sit just
  // before the closing brace (nested ones are in objects/arrays, which never pass a column check). A line
  // ending otherwise (trailing blanks) goes to JS.
  const tailOk = `ends_with(line, '}') AND NOT ends_with(line, ',}') AND NOT ends_with(line, ' }') AND NOT ends_with(line, '\t}')`;
  const types =
    typedIdx.length === 0
      ? ''
      : `, CASE WHEN obj THEN json_type(line, [${typedIdx.map((i) => lit(`$.${JSON.stringify(names[i]!)}`)).join(', ')}]) END AS t`;
  const typeCols = typedIdx.map((i, n) => `, t[${n + 1}] AS t${i}`).join('');
  const parseSelect = (source: string) => `SELECT rk, CASE WHEN fast THEN NULL ELSE line END AS line, fast,
    ${finals.join(',\n    ')}
  FROM (
    SELECT *, CASE WHEN coalesce(valuesOk, false) THEN len(json_keys(line)) = ${present} ELSE false END AS fast
    FROM (
      SELECT *, obj AND ${tailOk} AND ${okAll}${timeOk} AS valuesOk
      FROM (
        SELECT rk, line, obj, ${idx.map((i) => `${plans[i]!.value} AS v${i}`).join(', ')}, ${idx.map((i) => `x${i}`).join(', ')}${typedIdx.map((i) => `, t${i}`).join('')}${idx.filter((i) => plans[i]!.firstChar).map((i) => `, ascii(x${i}) AS a${i}`).join('')}
        FROM (
          SELECT rk, line, obj, ${idx.map((i) => `j[${lit(names[i]!)}] AS x${i}`).join(', ')}${typeCols}
          FROM (
            SELECT rk, line, obj, CASE WHEN obj THEN json_transform(line, ${structure}) END AS j${types}
            FROM (SELECT rk, line, left(line, 1) = '{' AND json_valid(line) AS obj FROM ${source})
          )
        )
      )
    )
  )`;
  return { table: def.name, columns: plans, parseSelect, timeColumn };
}
