/**
 * `/api/explorer/...` for the portal: search recognition, artifact summary, one data set page (filters, sort,
 * paging), CSV download in MDTI's layout, reputation, insights, tags. Logic lives in `src/explorer/`.
 */
import type { FastifyInstance } from 'fastify';
import { QuarryError } from '../../core/errors.js';
import { exportDatasetCsv, type CsvDateFormat } from '../../explorer/csv-export.js';
import { datasets } from '../../explorer/datasets.js';
import { mergeObservations } from '../../explorer/merge.js';
import { hostInsights } from '../../explorer/insights.js';
import { datasetPage } from '../../explorer/lookup.js';
import { presentRow, presentSummary } from '../../explorer/present.js';
import { hostReputation } from '../../explorer/reputation.js';
import { classifyArtifact, hostOfArtifact } from '../../explorer/search.js';
import { artifactSummary } from '../../explorer/summary.js';
import type { Store } from '../../store/store.js';

type Q = Record<string, string | undefined>;

const reserved = new Set(['q', 'top', 'skip', 'sortBy', 'sortDir', 'format', 'dates']);

function num(v: string | undefined, name: string): number | undefined {
  if (v === undefined || v === '') return undefined;
  if (!/^\d+$/.test(v)) throw new QuarryError('api/bad-request', `${name} must be a whole number, got '${v}'`);
  return Number(v);
}

function need(q: Q): string {
  if (!q['q']) throw new QuarryError('api/bad-request', "the query parameter 'q' (the artifact to look up) is required");
  return q['q'];
}

function pageOpts(q: Q) {
  const filters = Object.fromEntries(Object.entries(q).filter(([k, v]) => !reserved.has(k) && v !== undefined)) as Record<string, string>;
  const sortDir = q['sortDir'] as 'asc' | 'desc' | undefined;
  if (sortDir !== undefined && sortDir !== 'asc' && sortDir !== 'desc') throw new QuarryError('api/bad-request', `sortDir must be asc or desc, got '${sortDir}'`);
  const top = num(q['top'], 'top');
  const skip = num(q['skip'], 'skip');
  return { ...(top !== undefined ? { top } : {}), ...(skip !== undefined ? { skip } : {}), ...(q['sortBy'] ? { sortBy: q['sortBy'] } : {}), ...(sortDir ? { sortDir } : {}), filters };
}

export function registerExplorerRoutes(app: FastifyInstance, store: Store): void {
  app.get<{ Querystring: Q }>('/api/explorer/search', async (req) => ({ artifact: classifyArtifact(need(req.query)) }));

  app.get<{ Querystring: Q }>('/api/explorer/summary', async (req) => {
    const top = num(req.query['top'], 'top');
    return presentSummary(await artifactSummary(store, need(req.query), top !== undefined ? { top } : {}));
  });

  app.get<{ Params: { dataset: string }; Querystring: Q }>('/api/explorer/datasets/:dataset', async (req, reply) => {
    const artifact = classifyArtifact(need(req.query));
    const opts = pageOpts(req.query);
    if (req.query['format'] === 'csv') {
      const dates = (req.query['dates'] ?? 'iso') as CsvDateFormat;
      if (dates !== 'iso' && dates !== 'mdy') throw new QuarryError('api/bad-request', `dates must be iso or mdy, got '${dates}'`);
      const csv = await exportDatasetCsv(store, req.params.dataset, artifact, { ...opts, dateFormat: dates });
      const file = `${artifact.value.replace(/[^A-Za-z0-9.-]/g, '_')}-${req.params.dataset}.csv`;
      return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${file}"`).send(csv);
    }
    const page = await datasetPage(store, req.params.dataset, artifact, opts);
    return { dataset: page.dataset, total: page.total, rows: page.rows.map((r) => presentRow(page.dataset, r)) };
  });

  app.get<{ Querystring: Q }>('/api/explorer/reputation', async (req) => {
    const host = hostOfArtifact(classifyArtifact(need(req.query)));
    if (!host) throw new QuarryError('api/bad-request', 'reputation is scored for hosts, domains and IP addresses');
    return hostReputation(store, host);
  });

  app.get<{ Querystring: Q }>('/api/explorer/insights', async (req) => {
    const host = hostOfArtifact(classifyArtifact(need(req.query)));
    if (!host) throw new QuarryError('api/bad-request', 'insights exist for hosts, domains and IP addresses');
    return { insights: await hostInsights(store, host) };
  });

  app.post<{ Body: { artifact?: string; tag?: string; createdBy?: string } }>('/api/explorer/tags', async (req, reply) => {
    const { artifact, tag, createdBy } = req.body ?? {};
    if (!artifact || !tag) throw new QuarryError('api/bad-request', "a tag needs 'artifact' and 'tag'");
    const a = classifyArtifact(artifact);
    await mergeObservations(store, datasets.tags, [{ Artifact: a.value, ArtifactKind: a.kind, Tag: tag, CreatedBy: createdBy ?? 'api', CreatedAt: new Date() }], {
      batchId: `tag:${a.value}:${tag}:${Date.now()}`,
    });
    return reply.code(201).send({ artifact: a.value, tag });
  });
}
