/**
 * Import reports and the write path shared by every importer: candidates that carry their own versions
 * (STIX, MISP) are written as they are; candidates from sources without versions (galaxy clusters, CSV, free
 * text) are "import-time versioned": unchanged content keeps the stored version, changed content gets a new
 * version stamped now. Every import is logged in `intel_imports`.
 */
import type { Store } from '../../store/store.js';
import { writeObjects, type ImportIssue } from '../object-store.js';
import { canonicalJson, type StixObject } from '../stix.js';

export type IntelFormat = 'stix' | 'misp-event' | 'misp-galaxy' | 'csv' | 'text';

export interface ImportReport {
  readonly source: string;
  readonly format: IntelFormat;
  /** Candidate objects produced from the input (after skipping non-indicator records). */
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** Input records that carry no intel Quarry keeps (MISP comments, free-text lines without an IOC). */
  skipped: number;
  /** Reasons for rejected and skipped records (first 500). */
  issues: ImportIssue[];
}

export interface ImportOptions {
  /** Provider name (Source / IndicatorProvider); default: the file name. */
  readonly source?: string;
  /** Treat MISP `to_ids=false` attributes as active for detection too. */
  readonly detectAll?: boolean;
  readonly now?: Date;
}

export interface Conversion {
  readonly objects: StixObject[];
  readonly skipped: ImportIssue[];
  readonly rejected: ImportIssue[];
  /** Objects without source versions: stamp them at import time. */
  readonly importTimeVersioned?: boolean;
}

const MAX_ISSUES = 500;

function withoutVersion(o: Record<string, unknown>): string {
  // a local revocation sticks: a feed that still lists the value does not silently un-revoke it
  const { modified: _m, created: _c, valid_from: _v, revoked: _r, ...rest } = o;
  return canonicalJson(rest);
}

async function stampImportTime(store: Pick<Store, 'query'>, objects: StixObject[], now: Date): Promise<StixObject[]> {
  const iso = now.toISOString();
  const current = new Map<string, Record<string, unknown>>();
  const ids = objects.map((o) => o.id);
  for (let i = 0; i < ids.length; i += 5000) {
    const chunk = ids.slice(i, i + 5000);
    const r = await store.query(
      `SELECT json FROM intel_objects WHERE is_current AND id IN (${chunk.map((_, k) => `$${k + 1}`).join(',')})`,
      { params: chunk },
    );
    for (const [json] of r.rows as [string][]) {
      const o = JSON.parse(json) as Record<string, unknown>;
      current.set(o.id as string, o);
    }
  }
  return objects.map((o) => {
    const cur = current.get(o.id);
    if (cur && withoutVersion(cur) === withoutVersion(o)) return cur as StixObject;
    const stamped: Record<string, unknown> = { ...o, created: (cur?.created as string | undefined) ?? iso, modified: iso };
    if (o.type === 'indicator' && o.valid_from === undefined) stamped.valid_from = (cur?.valid_from as string | undefined) ?? iso;
    return stamped as StixObject;
  });
}

export async function writeConversion(
  store: Pick<Store, 'query' | 'transaction' | 'exec'>,
  conv: Conversion,
  format: IntelFormat,
  source: string,
  now: Date = new Date(),
): Promise<ImportReport> {
  const objects = conv.importTimeVersioned ? await stampImportTime(store, conv.objects, now) : conv.objects;
  const w = await writeObjects(store, objects, { source, method: `import:${format}`, now });
  const report: ImportReport = {
    source,
    format,
    total: conv.objects.length + conv.rejected.length,
    created: w.created,
    updated: w.updated,
    unchanged: w.unchanged,
    rejected: w.rejected + conv.rejected.length,
    skipped: conv.skipped.length,
    issues: [...conv.rejected, ...w.issues, ...conv.skipped].slice(0, MAX_ISSUES),
  };
  const { issues: _i, ...summary } = report;
  await store.exec('INSERT INTO intel_imports VALUES ($1, $2, $3, $4)', [now, source, format, JSON.stringify(summary)]);
  return report;
}
