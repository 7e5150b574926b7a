/**
 * Alert title/description templates with `{{Column}}` placeholders (Sentinel's alertDetailsOverride).
 * A placeholder takes the column's value in the result row; an unknown or empty column renders as ''.
 */
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export function placeholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

export function valueText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString();
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
}

export function renderTemplate(template: string, row: Readonly<Record<string, unknown>>): string {
  return template.replace(PLACEHOLDER, (_m, col: string) => valueText(row[col]));
}
