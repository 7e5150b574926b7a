/**
 * CSV download per data set with MDTI's exact headers and column order (shared/reference/mdti.md §1.2), so
 * the MDTI sample queries' `externaldata(...) with (format='csv', ignorefirstrecord=true)` read Quarry's
 * files unchanged: columns bind by position, tags are `|`-joined in one cell, dates ISO 8601 by default or
 * `mm/dd/yyyy hh:mm` (MDTI's own export form) on request. RFC 4180 quoting.
 */
import { QuarryError } from '../core/errors.js';
import type { Store } from '../store/store.js';
import { datasetByName } from './datasets.js';
import { datasetPage, MAX_PAGE, type PageOptions } from './lookup.js';
import type { Artifact } from './search.js';

export type CsvDateFormat = 'iso' | 'mdy';

interface CsvLayout {
  readonly headers: readonly string[];
  /** Row → cells in header order (dates as epoch-µs bigint, formatted by the writer). */
  readonly cells: (r: Record<string, unknown>) => unknown[];
}

const asn = (r: Record<string, unknown>) => (r['Asn'] === null || r['Asn'] === undefined ? '' : String(r['Asn']));
const resolutionLike: CsvLayout = {
  headers: ['Resolve', 'Location', 'Network', 'autonomousSystemNumber', 'firstSeen', 'lastSeen', 'Source', 'Tags'],
  cells: (r) => [r['Resolve'] ?? r['Value'] ?? r['Host'], r['Location'] ?? '', r['Network'] ?? '', asn(r), r['FirstSeen'], r['LastSeen'], r['Source'], r['Tags']],
};

export const csvLayouts: Record<string, CsvLayout> = {
  resolutions: resolutionLike,
  // DNS / Reverse DNS share the Resolutions header in MDTI's export; Value goes in the Resolve column.
  dns: { ...resolutionLike, cells: (r) => [r['Value'], '', '', '', r['FirstSeen'], r['LastSeen'], r['Source'], r['Tags']] },
  reverseDns: { ...resolutionLike, cells: (r) => [r['Value'], '', '', '', r['FirstSeen'], r['LastSeen'], r['Source'], r['Tags']] },
  subdomains: { headers: ['hostname', 'tags'], cells: (r) => [r['Hostname'], r['Tags']] },
  trackers: { headers: ['hostname', 'firstSeen', 'lastSeen', 'attributeType', 'attributeValue', 'Tags'], cells: (r) => [r['Host'], r['FirstSeen'], r['LastSeen'], r['TrackerType'], r['Value'], r['Tags']] },
  components: { headers: ['hostname', 'firstSeen', 'lastSeen', 'category', 'name', 'version', 'Tags'], cells: (r) => [r['Host'], r['FirstSeen'], r['LastSeen'], r['Category'], r['Name'], r['Version'], r['Tags']] },
  hostPairs: { headers: ['parentHostname', 'childHostname', 'firstSeen', 'lastSeen', 'attributeCause', 'Tags'], cells: (r) => [r['ParentHost'], r['ChildHost'], r['FirstSeen'], r['LastSeen'], r['Cause'], r['Tags']] },
  cookies: { headers: ['hostname', 'firstSeen', 'lastSeen', 'cookieName', 'cookieDomain', 'Tags'], cells: (r) => [r['Host'], r['FirstSeen'], r['LastSeen'], r['CookieName'], r['CookieDomain'], r['Tags']] },
};

const pad = (n: number) => String(n).padStart(2, '0');

export function formatCsvDate(micros: bigint, format: CsvDateFormat): string {
  const d = new Date(Number(micros / 1000n));
  if (format === 'iso') return d.toISOString().replace('.000Z', 'Z');
  return `${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

function cell(v: unknown, format: CsvDateFormat): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'bigint' ? formatCsvDate(v, format) : v instanceof Date ? formatCsvDate(BigInt(v.getTime()) * 1000n, format) : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Writes rows of one data set as MDTI's CSV (header line included, CRLF line ends as RFC 4180). */
export function toMdtiCsv(dataset: string, rows: readonly Record<string, unknown>[], format: CsvDateFormat = 'iso'): string {
  const spec = datasetByName(dataset);
  const layout = csvLayouts[spec.name];
  if (!layout) {
    throw new QuarryError('explorer/unknown-dataset', `MDTI has no CSV download for '${spec.name}'`, { hints: [`CSV data sets: ${Object.keys(csvLayouts).join(', ')}`] });
  }
  const lines = [layout.headers.join(',')];
  for (const r of rows) {
    // Timestamp columns arrive as epoch microseconds (bigint); the Asn column is a bigint too but is not a date.
    const cells = layout.cells(r).map((v, i) => (typeof v === 'bigint' && !/date|seen/i.test(layout.headers[i]!) ? String(v) : v));
    lines.push(cells.map((v) => cell(v, format)).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

/** Every row of a data set for an artifact (paged through), as MDTI's CSV. */
export async function exportDatasetCsv(store: Store, dataset: string, a: Artifact, opts: PageOptions & { dateFormat?: CsvDateFormat } = {}): Promise<string> {
  const all: Record<string, unknown>[] = [];
  for (let skip = 0; ; skip += MAX_PAGE) {
    const page = await datasetPage(store, dataset, a, { ...opts, top: MAX_PAGE, skip });
    all.push(...page.rows);
    if (page.rows.length < MAX_PAGE) break;
  }
  return toMdtiCsv(dataset, all, opts.dateFormat ?? 'iso');
}
