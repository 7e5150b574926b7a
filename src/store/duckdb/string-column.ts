/**
 * Fast fill of a VARCHAR column of a data chunk. DuckDB strings are 16-byte `string_t` slots: up to 12 bytes
 * are stored inline (length + zero-padded bytes), longer ones point into the vector's string heap. Instead
 * of one native call per value (which dominated wide appends):
 * 1. short ASCII strings are laid out inline in a JS buffer, copied into the vector in one call;
 * 2. each distinct longer string is assigned once per chunk by DuckDB (`vector_assign_string_element`);
 * 3. the slots are read back once, repeats copy their first occurrence's slot (same heap bytes — telemetry
 *    repeats device names, hashes, paths, command lines), and the buffer is written back in one call;
 * 4. the validity mask (NULLs) is written in one call.
 *
 * Uses `@duckdb/node-bindings`, the C-API layer `@duckdb/node-api` is built on (installed with it).
 */
import duckdb from '@duckdb/node-bindings';
import type { DuckDBDataChunk } from '@duckdb/node-api';

export function writeStringColumn(chunk: DuckDBDataChunk, column: number, values: readonly (string | null)[], n: number): void {
  const vector = duckdb.data_chunk_get_vector(chunk.chunk, column);
  const slots = new Uint8Array(n * 16);
  const view = new DataView(slots.buffer);
  const validity = new Uint8Array(Math.ceil(n / 64) * 8).fill(0xff);
  let hasNull = false;
  /** Row of the first occurrence of each long string, and the rows repeating one. */
  const firstRow = new Map<string, number>();
  const repeats: number[] = [];
  const repeatOf: number[] = [];
  const assign: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      validity[i >> 3]! &= ~(1 << (i & 7));
      hasNull = true;
      continue;
    }
    const len = v.length;
    if (len <= 12) {
      const base = i * 16;
      let ascii = true;
      for (let k = 0; k < len; k++) {
        const c = v.charCodeAt(k);
        if (c > 127) {
          ascii = false;
          break;
        }
        slots[base + 4 + k] = c;
      }
      if (ascii) {
        view.setUint32(base, len, true);
        continue;
      }
      slots.fill(0, base + 4, base + 16);
    }
    const first = firstRow.get(v);
    if (first === undefined) {
      firstRow.set(v, i);
      assign.push(i);
    } else {
      repeats.push(i);
      repeatOf.push(first);
    }
  }
  duckdb.copy_data_to_vector(vector, 0, slots.buffer, 0, slots.byteLength);
  for (const i of assign) duckdb.vector_assign_string_element(vector, i, values[i]!);
  if (repeats.length > 0) {
    const current = duckdb.vector_get_data(vector, n * 16);
    for (let r = 0; r < repeats.length; r++) {
      const src = repeatOf[r]! * 16;
      current.copyWithin(repeats[r]! * 16, src, src + 16);
    }
    duckdb.copy_data_to_vector(vector, 0, current.buffer as ArrayBuffer, current.byteOffset, n * 16);
  }
  if (hasNull) {
    duckdb.vector_ensure_validity_writable(vector);
    duckdb.copy_data_to_vector_validity(vector, 0, validity.buffer, 0, validity.byteLength);
  }
}
