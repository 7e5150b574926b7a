/** JSON helpers for ingest; exact 64-bit parsing lives in core. */
export { parseJsonExact } from '../core/json.js';

/** True for a plain object (not an array, not null). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
