/**
 * Explorer rows as JSON for people and the portal: datetimes as ISO 8601 text, counts as numbers, dynamic
 * columns parsed. Column types come from the catalog definition of the data set's table.
 */
import { processCatalog } from '../catalog/catalog.js';
import { datasetByName } from './datasets.js';
import type { ArtifactSummary } from './summary.js';

export function presentRow(dataset: string, row: Record<string, unknown>): Record<string, unknown> {
  const def = processCatalog().getTable(datasetByName(dataset).table);
  const out: Record<string, unknown> = {};
  for (const c of def.columns) {
    const v = row[c.name];
    if (v === undefined) continue;
    if (v === null) out[c.name] = null;
    else if (c.type === 'datetime' && typeof v === 'bigint') out[c.name] = new Date(Number(v / 1000n)).toISOString();
    else if (typeof v === 'bigint') out[c.name] = Number(v);
    else if (c.type === 'dynamic' && typeof v === 'string') {
      try {
        out[c.name] = JSON.parse(v);
      } catch {
        out[c.name] = v;
      }
    } else out[c.name] = v;
  }
  return out;
}

export function presentSummary(s: ArtifactSummary): Record<string, unknown> {
  return {
    artifact: s.artifact,
    ...(s.reputation ? { reputation: s.reputation } : {}),
    ...(s.insights ? { insights: s.insights } : {}),
    datasets: Object.fromEntries(Object.entries(s.datasets).map(([k, p]) => [k, { total: p.total, rows: p.rows.map((r) => presentRow(k, r)) }])),
  };
}
