/**
 * The artifact summary: what the search recognised, reputation, insights, and per data set the row count
 * and the first page — what the Explorer page shows on arrival (and what the host-lookup benchmark times).
 */
import type { Store } from '../store/store.js';
import { datasetNames, type DatasetName } from './datasets.js';
import { datasetPage, type DatasetPage } from './lookup.js';
import { hostInsights, type Insight } from './insights.js';
import { hostReputation, type HostReputation } from './reputation.js';
import { classifyArtifact, hostOfArtifact, type Artifact } from './search.js';

export interface ArtifactSummary {
  readonly artifact: Artifact;
  readonly reputation?: HostReputation;
  readonly insights?: readonly Insight[];
  readonly datasets: Record<string, DatasetPage>;
}

/** Data sets the summary pages through (`tags` and `crawls` are shown in the header, not as tabs). */
export const summaryDatasets: readonly DatasetName[] = datasetNames.filter((d) => d !== 'tags');

export async function artifactSummary(store: Store, text: string, opts: { top?: number; now?: Date; reputation?: boolean } = {}): Promise<ArtifactSummary> {
  const artifact = classifyArtifact(text);
  const host = hostOfArtifact(artifact);
  // One after another: each page is an index lookup of about a millisecond; on two cores running them all at
  // once only adds contention.
  const pages: DatasetPage[] = [];
  for (const d of summaryDatasets) pages.push(await datasetPage(store, d, artifact, { top: opts.top ?? 25 }));
  const datasets = Object.fromEntries(pages.map((p) => [p.dataset, p]));
  if (!host || opts.reputation === false) return { artifact, datasets };
  const [reputation, insights] = await Promise.all([hostReputation(store, host, opts.now ? { now: opts.now } : {}), hostInsights(store, host)]);
  return { artifact, reputation, insights, datasets };
}
