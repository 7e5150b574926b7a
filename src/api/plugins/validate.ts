/**
 * Request validation with zod: `parseWith(schema, value, 'body')` returns the typed value or throws
 * `api/bad-request` naming every problem with its path (`{details: {issues: [{path, message}]}}`).
 */
import type { z } from 'zod';
import { QuarryError } from '../../core/errors.js';

export function parseWith<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues.slice(0, 20).map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
  const first = issues[0]!;
  throw new QuarryError('api/bad-request', `invalid ${what}: ${first.path === '(root)' ? '' : first.path + ': '}${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`, {
    details: { issues },
  });
}
