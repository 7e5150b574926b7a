/**
 * `parse_csv(s)`: the first comma-separated record of `s` as a string array (`""` escapes, quoted commas and line
 * breaks; only the first record is taken), as a JavaScript scalar function the store registers on every DuckDB
 * connection (`kql_parse_csv`, JSON text out). Unbalanced quotes → null.
 */
import { firstCsvRecord } from '../../../core/csv-record.js';

export function parseCsvToJson(text: string): string | null {
  const fields = firstCsvRecord(text);
  return fields === null ? null : JSON.stringify(fields);
}
