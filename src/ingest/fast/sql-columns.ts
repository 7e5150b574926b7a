/**
 * SQL for the DuckDB-native NDJSON path: per catalog column, an expression that yields the stored value and
 * a condition saying the value is one the SQL path converts *exactly* as the JS validator (`coerce.ts`,
 * `validate.ts`) would. The SQL path is deliberately narrow: a line is taken in SQL only when it is a JSON
 * object, every key is a column (no duplicates), and every value has the plain form events nearly always
 * carry (ISO `…Z` date-times, integers as JSON numbers, booleans, plain strings, GUID text). Anything else —
 * bad JSON, unknown keys, odd forms, wrong types, missing time — goes back to the JS validator, so reject
 * reasons and edge-case coercions stay the JS path's own, byte for byte.
 *
 * Integers are read from their JSON token text (`->>'$'`) and cast to BIGINT/INTEGER in SQL, never through a
 * double, so values beyond 2^53 stay exact.
 */
import type { ColumnDef, TableDef } from '../../catalog/types.js';
import { physicalColumns } from '../../catalog/views.js';
import { quoteIdentifier as q, sqlString as lit } from '../../sql/dialects/duckdb/literals.js';
import { duckdbTypeOf } from '../../sql/dialects/duckdb/types.js';

export interface ColumnSql {
  readonly column: ColumnDef;
  /** SQL type of the stored column. */
  readonly sqlType: string;
  /** Value expression over the staged row (`e` = list of extracted JSON values). */
  readonly value: string;
  /** True when the value is absent/null or converted exactly; false sends the line to the JS validator. */
  readonly ok: string;
}

const ISO_Z = "'[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?Z'";
const GUID = "'[{(]?[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}[)}]?'";
/** Printable ASCII without `"` and `\`: JSON.stringify of such text is the text in quotes. */
const PLAIN_ASCII = "'[ !#-\\[\\]-~]*'";

/**
 * Per column, over layered subqueries so each piece is computed once per row: `e` = JSON text list and
 * `s` = unescaped text list (one parse of the line each), then per column `x<i>` (JSON text), `s<i>` (text),
 * `c<i>` (first character of the JSON text: its JSON type), then `v<i>` (converted value), then `ok`.
 */
function columnSql(c: ColumnDef, i: number): ColumnSql {
  const ch = `c${i}`;
  const s = `s${i}`;
  const v = `v${i}`;
  const isStr = `${ch} = '"'`;
  const isInt = `regexp_full_match(x${i}, '-?[0-9]+')`;
  const absent = `(${ch} IS NULL OR x${i} = 'null')`;
  const emptyText = `(${isStr} AND ${s} = '')`;
  const sqlType = duckdbTypeOf[c.type];
  let value: string;
  let ok: string;
  switch (c.type) {
    case 'string':
      value = `CASE WHEN ${isStr} OR x${i} IN ('true','false') THEN ${s} END`;
      ok = `(${absent} OR ${v} IS NOT NULL)`;
      break;
    case 'long':
    case 'int':
      value = `CASE WHEN ${isInt} OR (${isStr} AND regexp_full_match(${s}, '[-+]?[0-9]+')) THEN TRY_CAST(${s} AS ${c.type === 'long' ? 'BIGINT' : 'INTEGER'}) END`;
      ok = `(${absent} OR ${emptyText} OR ${v} IS NOT NULL)`;
      break;
    case 'timespan':
      value = `CASE WHEN ${isInt} THEN TRY_CAST(${s} AS BIGINT) END`;
      ok = `(${absent} OR ${emptyText} OR ${v} IS NOT NULL)`;
      break;
    case 'real':
    case 'decimal':
      value = `CASE WHEN regexp_full_match(x${i}, '-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?') AND isfinite(TRY_CAST(${s} AS DOUBLE)) THEN TRY_CAST(${s} AS DOUBLE) END`;
      ok = `(${absent} OR ${emptyText} OR ${v} IS NOT NULL)`;
      break;
    case 'bool':
      value = `CASE WHEN x${i} IN ('true','false') THEN x${i} = 'true' WHEN x${i} IN ('0','1') THEN x${i} = '1' END`;
      ok = `(${absent} OR ${emptyText} OR ${v} IS NOT NULL)`;
      break;
    case 'datetime': {
      // Fractions beyond microseconds are cut, as the JS path does (not rounded).
      const text = `substr(${s}, 1, 19) || CASE WHEN strlen(${s}) > 20 THEN '.' || substr(${s}, 21, least(6, strlen(${s}) - 21)) ELSE '' END`;
      value = `CASE WHEN ${isStr} AND regexp_full_match(${s}, ${ISO_Z}) THEN TRY_CAST(${text} AS TIMESTAMP) END`;
      ok = `(${absent} OR ${emptyText} OR ${v} IS NOT NULL)`;
      break;
    }
    case 'guid':
      value = `CASE WHEN ${isStr} AND regexp_full_match(${s}, ${GUID}) THEN ${s} END`;
      ok = `(${absent} OR ${emptyText} OR ${v} IS NOT NULL)`;
      break;
    case 'dynamic':
      // Plain strings (not JSON text themselves) and booleans only; objects, arrays and numbers go to JS,
      // whose JSON text (key order, number forms, escapes) the store keeps.
      value = `CASE WHEN x${i} IN ('true','false') THEN x${i} WHEN ${isStr} AND regexp_full_match(${s}, ${PLAIN_ASCII}) AND NOT regexp_matches(${s}, '^\\s*[\\[{]') THEN '"' || ${s} || '"' END`;
      ok = `(${absent} OR ${v} IS NOT NULL)`;
      break;
  }
  return { column: c, sqlType, value, ok };
}

export interface TablePlan {
  readonly table: string;
  readonly columns: readonly ColumnSql[];
  /** `CREATE TEMP TABLE <name> AS …` over `stage(b, k, raw)`: `fast` flag, the batch, the line and every column. */
  readonly parseSelect: string;
  readonly timeColumn: string | undefined;
}

/**
 * The SELECT that classifies and converts staged lines. Guards against what DuckDB's JSON reader accepts but
 * `JSON.parse` refuses (trailing commas, NaN/Infinity): such lines, and any line merely looking like it, go
 * to the JS path.
 */
export function tablePlan(def: TableDef, opts: { tenantId: string | undefined; defaultTenant: string }): TablePlan {
  const cols = physicalColumns(def);
  const plans = cols.map(columnSql);
  const names = cols.map((c) => c.name);
  const paths = `[${names.map((n) => lit(`$."${n.replace(/["\\]/g, (m) => `\\${m}`)}"`)).join(', ')}]`;
  const known = `[${names.map(lit).join(', ')}]`;
  const timeColumn = def.timeColumn;
  const timeIdx = timeColumn === undefined ? -1 : names.indexOf(timeColumn);
  const hasTenant = names.includes('TenantId');
  const tenant = opts.tenantId ?? opts.defaultTenant;
  const defenderTg = def.origin === 'defender' && names.includes('TimeGenerated') && timeIdx >= 0;
  const n = plans.length;
  const idx = [...Array(n).keys()];
  const finals = plans.map((p, i) => {
    let v = `v${i}::${p.sqlType}`;
    if (p.column.name === 'TenantId' && hasTenant) v = `coalesce(${v}, ${lit(tenant)})`;
    if (p.column.name === 'TimeGenerated' && defenderTg) v = `coalesce(${v}, v${timeIdx}::TIMESTAMP)`;
    return `CASE WHEN fast THEN ${v} END AS ${q(p.column.name)}`;
  });
  const okAll = plans.map((p) => p.ok).join('\n      AND ');
  const timeOk = timeIdx >= 0 ? ` AND v${timeIdx} IS NOT NULL` : '';
  const parseSelect = `SELECT b, k, fast,
    ${finals.join(',\n    ')}
  FROM (
    SELECT *, coalesce(keys IS NOT NULL
      AND list_has_all(${known}, keys) AND len(keys) = len(list_distinct(keys))
      AND ${okAll}${timeOk}, false) AS fast
    FROM (
      SELECT b, k, keys, ${idx.map((i) => `${plans[i]!.value} AS v${i}`).join(', ')}, ${idx.map((i) => `x${i}, c${i}, s${i}`).join(', ')}
      FROM (
        SELECT b, k, keys, ${idx.map((i) => `x${i}, left(x${i}, 1) AS c${i}, s[${i + 1}] AS s${i}`).join(', ')}
        FROM (
          SELECT b, k, keys, s, ${idx.map((i) => `e[${i + 1}]::VARCHAR AS x${i}`).join(', ')}
          FROM (
            SELECT b, k,
              CASE WHEN obj THEN json_keys(raw) END AS keys,
              CASE WHEN obj THEN json_extract(raw, ${paths}) END AS e,
              CASE WHEN obj THEN json_extract_string(raw, ${paths}) END AS s
            FROM (
              SELECT b, k, raw, CASE WHEN json_valid(raw) THEN json_type(raw) = 'OBJECT' AND NOT regexp_matches(raw, ',\\s*[}\\]]') ELSE false END
                AS obj
              FROM _ingest_fast_stage
            )
          )
        )
      )
    )
  )`;
  return { table: def.name, columns: plans, parseSelect, timeColumn };
}
