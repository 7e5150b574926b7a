/**
 * Bulk append through DuckDB's Appender, fed whole data chunks (column vectors of up to 2048 rows) rather
 * than value by value. The caller owns the transaction: the rows become visible only when it commits, and a
 * bad value (→ `store/bad-row`, naming row index and column) aborts before the caller's COMMIT.
 */
import { DuckDBDataChunk, DuckDBTypeId, type DuckDBAppender, type DuckDBConnection, type DuckDBType } from '@duckdb/node-api';
import { QuarryError } from '../../core/errors.js';
import type { AppendRows } from '../store.js';
import { writeStringColumn } from './string-column.js';
import { BadValue, coercerFor, type ColumnCoercer } from './values-in.js';

/** Collects a text column's values, written in one pass by `writeStringColumn` on flush. */
function textColumn(chunk: DuckDBDataChunk, column: number, n: number) {
  const values: (string | null)[] = new Array(n);
  return {
    setItem(i: number, v: unknown) {
      values[i] = v as string | null;
    },
    flush() {
      writeStringColumn(chunk, column, values, n);
    },
  };
}

const CHUNK_ROWS = 2048;

interface TableShape {
  readonly isText: readonly boolean[];
  readonly names: readonly string[];
  readonly types: readonly DuckDBType[];
  readonly coercers: readonly ColumnCoercer[];
}

async function tableColumnNames(conn: DuckDBConnection, table: string): Promise<string[]> {
  const r = await conn.runAndReadAll(
    "SELECT column_name FROM duckdb_columns() WHERE table_name = $1 AND schema_name = 'main' AND database_name = current_database() ORDER BY column_index",
    [table],
  );
  return r.getRows().map((row) => String(row[0]));
}

async function shapeOf(conn: DuckDBConnection, appender: DuckDBAppender, table: string): Promise<TableShape> {
  const names = await tableColumnNames(conn, table);
  if (names.length !== appender.columnCount) {
    throw new QuarryError('store/query-failed', `table '${table}' changed while appending; retry`);
  }
  const types: DuckDBType[] = [];
  const coercers: ColumnCoercer[] = [];
  for (let i = 0; i < names.length; i++) {
    const type = appender.columnType(i);
    const coercer = coercerFor(type);
    if (!coercer) {
      throw new QuarryError('store/bad-row', `column '${names[i]}' of '${table}' has type ${type.toString()}, which append does not support`, {
        details: { table, column: names[i] },
      });
    }
    types.push(type);
    coercers.push(coercer);
  }
  return { names, types, coercers, isText: types.map((t) => t.typeId === DuckDBTypeId.VARCHAR) };
}

async function openAppender(conn: DuckDBConnection, table: string): Promise<DuckDBAppender> {
  try {
    return await conn.createAppender(table);
  } catch (e) {
    throw new QuarryError('catalog/unknown-table', `table '${table}' does not exist in the store`, {
      cause: e,
      hints: ['check the table name (case-sensitive) with `quarry tables`'],
      details: { table },
    });
  }
}

function unknownKeyError(row: Record<string, unknown>, r: number, shape: TableShape, table: string): QuarryError {
  const known = new Set(shape.names);
  const key = Object.keys(row).find((k) => !known.has(k)) ?? '?';
  const near = shape.names.find((n) => n.toLowerCase() === key.toLowerCase());
  return new QuarryError('store/bad-row', `row ${r}: '${table}' has no column '${key}'`, {
    hints: near ? [`did you mean '${near}'? column names are case-sensitive`] : undefined,
    details: { table, row: r, column: key },
  });
}

/**
 * Refuses rows that are not objects or carry keys that are not columns. Counting keys with for-in (no array
 * allocated per row) and comparing with the number of known columns present keeps this cheap for wide rows.
 */
function checkKeys(rows: AppendRows, shape: TableShape, table: string): void {
  const names = shape.names;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as Record<string, unknown>;
    if (row === null || typeof row !== 'object' || Array.isArray(row)) {
      throw new QuarryError('store/bad-row', `row ${r}: expected an object keyed by column name`, { details: { table, row: r } });
    }
    let keys = 0;
    for (const _k in row) keys++;
    let present = 0;
    for (let c = 0; c < names.length; c++) if (row[names[c]!] !== undefined) present++;
    // Keys holding `undefined` explain a difference too: only then look at the keys one by one.
    if (keys !== present && Object.keys(row).some((k) => !shape.names.includes(k))) throw unknownKeyError(row, r, shape, table);
  }
}

/** Appends `rows` to `table` on `conn` (inside the caller's transaction); returns the count appended. */
export async function appendRows(conn: DuckDBConnection, table: string, rows: AppendRows): Promise<number> {
  if (rows.length === 0) return 0;
  const appender = await openAppender(conn, table);
  try {
    const shape = await shapeOf(conn, appender, table);
    checkKeys(rows, shape, table);
    const ncol = shape.names.length;
    for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
      const n = Math.min(CHUNK_ROWS, rows.length - start);
      const chunk = DuckDBDataChunk.create(shape.types, n);
      for (let c = 0; c < ncol; c++) {
        const name = shape.names[c]!;
        const coerce = shape.coercers[c]!;
        // VARCHAR (incl. JSON) columns go straight into vector memory; other types through the vector API.
        const vec = shape.isText[c]
          ? textColumn(chunk, c, n)
          : (chunk.getColumnVector(c) as { setItem(i: number, v: unknown): void; flush(): void });
        for (let i = 0; i < n; i++) {
          const raw = rows[start + i]![name];
          let v: unknown;
          try {
            v = raw === undefined || raw === null ? null : coerce(raw);
          } catch (e) {
            if (!(e instanceof BadValue)) throw e;
            throw new QuarryError('store/bad-row', `row ${start + i}, column '${name}': ${e.message}`, {
              details: { table, row: start + i, column: name },
            });
          }
          vec.setItem(i, v);
        }
        vec.flush();
      }
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
    return rows.length;
  } finally {
    try {
      appender.closeSync();
    } catch {
      // closing a failed appender can throw again; the transaction rollback cleans up
    }
  }
}
