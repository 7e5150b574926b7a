/**
 * Retro-hunt: new or changed indicators searched in stored history (default 30 days). For every event
 * table with entity columns that can carry the indicators' kinds, one SQL query per chunk of indicators
 * pre-filters rows by substring (`lower(col) LIKE '%value%'`, an IPv4 prefix for a CIDR), and the NRT
 * matcher then decides exactly — so both paths agree on entities and dedup keys.
 */
import type { Catalog } from '../catalog/catalog.js';
import { formatKustoDatetime } from '../core/time.js';
import type { Store } from '../store/store.js';
import { sqlText } from './alert-commit.js';
import type { IndicatorIndex } from './indicator-index.js';
import type { Observable } from './indicators.js';
import { type EntityMatch, matchColumns, matchRow, probesFor } from './matcher.js';
import { parseCidr, intToIpv4 } from './normalize.js';

export interface RetroMatch {
  readonly table: string;
  readonly row: Record<string, unknown>;
  readonly match: EntityMatch;
}

function likePattern(o: Observable): string | null {
  if (o.kind === 'cidr') {
    const c = parseCidr(o.value);
    if (!c) return null;
    const octets = Math.floor(c.bits / 8);
    if (octets === 0) return null;
    return `${intToIpv4(c.network).split('.').slice(0, octets).join('.')}.%`;
  }
  return `%${o.value.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
}

/** Rows (as objects; times as Kusto datetime text) of `table` in `[from, to)` that match one of `observables`. */
export async function retroHuntTable(
  store: Pick<Store, 'query'>, catalog: Catalog, index: IndicatorIndex, table: string, observables: readonly Observable[],
  range: { from: number; to: number }, nowMs: number,
): Promise<RetroMatch[]> {
  const def = catalog.tryGetTable(table);
  if (!def?.timeColumn) return [];
  const columns = matchColumns(catalog, table);
  const wanted = new Set(observables.map((o) => o.key));
  const out: RetroMatch[] = [];
  for (let i = 0; i < observables.length; i += 200) {
    const chunk = observables.slice(i, i + 200);
    const conds: string[] = [];
    let scanAll = false;
    for (const o of chunk) {
      const probes = new Set(probesFor(o.kind));
      const pattern = likePattern(o);
      for (const [col, ps] of columns) {
        if (![...ps].some((p) => probes.has(p) || (p === 'url' && probes.has('domain')))) continue;
        if (pattern === null) scanAll = true;
        else conds.push(`lower(CAST("${col}" AS VARCHAR)) LIKE ${sqlText(pattern)} ESCAPE '\\'`);
      }
    }
    if (!scanAll && conds.length === 0) continue;
    const sql = `SELECT * FROM "${table}" WHERE "${def.timeColumn}" >= $1 AND "${def.timeColumn}" < $2${scanAll ? '' : ` AND (${conds.join(' OR ')})`}`;
    const res = await store.query(sql, { params: [new Date(range.from), new Date(range.to)] });
    const names = res.columns.map((c) => c.name);
    const timeCols = res.columns.map((c) => c.sqlType.startsWith('TIMESTAMP'));
    for (const raw of res.rows) {
      const row: Record<string, unknown> = {};
      names.forEach((n, k) => {
        const v = raw[k];
        row[n] = timeCols[k] && typeof v === 'bigint' ? formatKustoDatetime(v) : v;
      });
      for (const m of matchRow(index, columns, row, nowMs)) if (wanted.has(m.hit.observable.key)) out.push({ table, row, match: m });
    }
  }
  return out;
}

/** Event tables that have entity columns NRT / retro-hunt match on. */
export function huntableTables(catalog: Catalog): string[] {
  return catalog.listTables().filter((t) => t.category === 'event' && t.timeColumn && matchColumns(catalog, t.name).size > 0).map((t) => t.name);
}
