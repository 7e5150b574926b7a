/**
 * Text renderings of a hunting result: CSV (RFC 4180, header row) and an aligned plain-text table.
 * Values appear as Kusto shows them (datetimes ISO 8601 with 7 digits, dynamic as compact JSON).
 */
import { stringifyExact } from '../core/json.js';
import type { HuntResult } from './run.js';

export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  return stringifyExact(v);
}

function csvCell(s: string): string {
  return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function formatCsv(r: Pick<HuntResult, 'schema' | 'results'>): string {
  const lines = [r.schema.map((c) => csvCell(c.name)).join(',')];
  for (const row of r.results) lines.push(r.schema.map((c) => csvCell(cellText(row[c.name]))).join(','));
  return lines.join('\r\n') + '\r\n';
}

export function formatTable(r: Pick<HuntResult, 'schema' | 'results'>, maxWidth = 60): string {
  const clip = (s: string) => (s.length > maxWidth ? s.slice(0, maxWidth - 1) + '…' : s).replace(/[\r\n\t]/g, ' ');
  const rows = [r.schema.map((c) => c.name), ...r.results.map((row) => r.schema.map((c) => clip(cellText(row[c.name]))))];
  const widths = r.schema.map((_, i) => Math.max(...rows.map((x) => x[i]!.length)));
  const out = rows.map((x) => x.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
  out.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  return out.join('\n') + `\n(${r.results.length} row${r.results.length === 1 ? '' : 's'})\n`;
}
