/**
 * An Intel explorer artifact: summary (reputation score and category with the rules that fired,
 * insights) and a tab per data set with MDTI's filters, sort, paging, Download CSV, Hunt (a ready
 * query on the Explorer tables) and Upload & get SAS URL (the seed scenario's flow).
 */
import { useEffect, useState } from 'react';
import { api, apiText, qs } from '../lib/api';
import { navigate } from '../lib/router';
import { useApi } from '../lib/use-api';
import { copyText, download, fmtValue } from '../lib/format';
import { DATASETS, PIVOT_COLUMNS, huntQueryFor, openInHunting, type DatasetMeta } from '../lib/explorer-meta';
import { Badge, Empty, ErrorView, Loading, Page } from '../components/states';
import { DataGrid } from '../components/data-grid';
import { Pivot } from '../components/pivot';
import { SearchBox } from './explorer-home';

interface Reputation { classification: string; score: number; rules: { name: string; description: string; severity: string; weight?: number }[] }
interface Summary { artifact: { kind: string; value: string; input: string }; reputation?: Reputation; insights?: { name: string; triggered: boolean; detail: string }[] }
interface DatasetPage { dataset: string; total: number; rows: Record<string, unknown>[] }
interface SasResult { url: string; expiry?: string; kql?: string; externaldata?: string; blob?: { container: string; name: string; size: number } }

const PAGE_SIZES = [25, 50, 100];

function ReputationCard({ rep }: { rep: Reputation }) {
  return (
    <div className="card" data-testid="reputation">
      <h2>Reputation</h2>
      <div className="row" style={{ marginBottom: 8 }}>
        <span style={{ fontSize: 28, fontWeight: 700 }}>{rep.score}</span>
        <span className="muted">/ 100</span>
        <Badge tone={rep.classification}>{rep.classification}</Badge>
      </div>
      {rep.rules.length ? (
        <table className="list">
          <thead><tr><th>Rule</th><th>Severity</th><th>Why</th></tr></thead>
          <tbody>{rep.rules.map((r) => <tr key={r.name}><td>{r.name}</td><td><Badge tone={r.severity}>{r.severity}</Badge></td><td className="wrap">{r.description}</td></tr>)}</tbody>
        </table>
      ) : <div className="muted">No reputation rule fired.</div>}
    </div>
  );
}

function SasPanel({ result, onClose, artifact }: { result: SasResult; onClose(): void; artifact: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="card" data-testid="sas-result" style={{ borderColor: 'var(--accent)' }}>
      <div className="row"><h2 style={{ margin: 0 }}>Signed URL ready</h2><span className="spacer" /><button type="button" className="link" onClick={onClose}>Close</button></div>
      <p className="muted small">
        Uploaded to storage {result.blob ? <code>{result.blob.container}/{result.blob.name}</code> : null}; the URL reads it until {result.expiry ?? 'it expires'}.
        Paste it into MDTI's hunting queries in place of <code>Replace-with-your-Storage-Generated-SAS-URL-Token</code>.
      </p>
      <div className="sas" data-testid="sas-url">{result.url}</div>
      <div className="row" style={{ marginTop: 8 }}>
        <button type="button" onClick={() => void copyText(result.url).then(() => setCopied(true))}>{copied ? 'Copied' : 'Copy URL'}</button>
        {result.kql ? <button type="button" onClick={() => openInHunting(result.kql!, navigate)}>Open in Advanced hunting</button> : null}
        <span className="muted small">for {artifact}</span>
      </div>
    </div>
  );
}

function DatasetTab({ meta, artifact }: { meta: DatasetMeta; artifact: string }) {
  const [filters, setFilters] = useState<Record<string, string>>({});
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [sortBy, setSortBy] = useState('lastSeen');
  const [sortDir, setSortDir] = useState('desc');
  const [top, setTop] = useState(25);
  const [skip, setSkip] = useState(0);
  const [busy, setBusy] = useState<string>('');
  const [actionError, setActionError] = useState<unknown>();
  const [sas, setSas] = useState<SasResult | null>(null);
  const params = { q: artifact, top, skip, ...(meta.seen ? { sortBy, sortDir } : {}), ...filters };
  const page = useApi<DatasetPage>(`/api/explorer/datasets/${meta.name}${qs(params)}`);
  useEffect(() => setSkip(0), [filters, sortBy, sortDir, top]);

  const csvName = `${artifact}-${meta.name}.csv`;
  const fetchCsv = () => apiText(`/api/explorer/datasets/${meta.name}${qs({ q: artifact, format: 'csv', top: 10000, ...filters })}`);
  const run = async (what: string, fn: () => Promise<void>) => {
    setBusy(what);
    setActionError(undefined);
    try {
      await fn();
    } catch (e) {
      setActionError(e);
    } finally {
      setBusy('');
    }
  };
  const downloadCsv = () => run('csv', async () => download(csvName, await fetchCsv()));
  const uploadSas = () => run('sas', async () => {
    const csv = await fetchCsv();
    const r = await api<SasResult>(`/api/storage/externaldata${qs({ name: csvName, container: 'mdti', validFor: 'PT8H' })}`, { raw: csv, contentType: 'text/csv' });
    setSas(r);
  });

  const rows = page.data?.rows ?? [];
  const columns = rows.length ? Object.keys(rows[0]!).map((name) => ({ name, type: /Seen$|At$|Created|Updated|Expires/.test(name) ? 'datetime' : undefined })) : [];
  const total = page.data?.total ?? 0;
  return (
    <div className="stack" data-testid={`dataset-${meta.name}`}>
      <div className="row">
        {meta.filters.map((f) => (
          <label key={f} className="field">{f}
            {f === 'direction' ? (
              <select value={draft[f] ?? ''} onChange={(e) => { const v = { ...draft, [f]: e.target.value }; setDraft(v); setFilters(v); }}>
                <option value="">both</option><option value="parent">parent</option><option value="child">child</option>
              </select>
            ) : (
              <input value={draft[f] ?? ''} size={12} onChange={(e) => setDraft({ ...draft, [f]: e.target.value })} onKeyDown={(e) => e.key === 'Enter' && setFilters(draft)} />
            )}
          </label>
        ))}
        {meta.filters.length ? <button type="button" onClick={() => setFilters(draft)} style={{ alignSelf: 'flex-end' }}>Apply filters</button> : null}
        {meta.seen ? (
          <label className="field">Sort
            <select value={`${sortBy}:${sortDir}`} onChange={(e) => { const [b, d] = e.target.value.split(':'); setSortBy(b!); setSortDir(d!); }}>
              <option value="lastSeen:desc">Last seen, newest</option><option value="lastSeen:asc">Last seen, oldest</option>
              <option value="firstSeen:desc">First seen, newest</option><option value="firstSeen:asc">First seen, oldest</option>
            </select>
          </label>
        ) : null}
        <span className="spacer" />
        <div className="row" style={{ alignSelf: 'flex-end' }}>
          <button type="button" onClick={() => void downloadCsv()} disabled={!!busy} data-testid="download-csv">{busy === 'csv' ? 'Preparing…' : 'Download CSV'}</button>
          <button type="button" onClick={() => openInHunting(huntQueryFor(meta, artifact), navigate)} data-testid="hunt">Hunt</button>
          <button type="button" className="primary" onClick={() => void uploadSas()} disabled={!!busy} data-testid="upload-sas">{busy === 'sas' ? 'Uploading…' : 'Upload & get SAS URL'}</button>
        </div>
      </div>
      {actionError ? <ErrorView error={actionError} what={busy === 'csv' ? 'Download' : 'Upload'} /> : null}
      {sas ? <SasPanel result={sas} onClose={() => setSas(null)} artifact={artifact} /> : null}
      {page.error ? <ErrorView error={page.error} what={`Loading ${meta.label}`} /> : null}
      {page.loading && !page.data ? <Loading label={`Loading ${meta.label}…`} /> : null}
      {page.data && !rows.length ? <Empty>No {meta.label.toLowerCase()} for {artifact}{Object.values(filters).some(Boolean) ? ' with these filters' : ''}.</Empty> : null}
      {rows.length ? (
        <>
          <DataGrid
            columns={columns}
            rows={rows}
            height={Math.min(420, 30 + rows.length * 28)}
            exportName={`${artifact}-${meta.name}-page`}
            renderCell={(c, v) => (PIVOT_COLUMNS.has(c) && fmtValue(v) ? <Pivot value={v} /> : fmtValue(v))}
          />
          <div className="row">
            <span className="muted">{skip + 1}–{skip + rows.length} of {total.toLocaleString('en-US')}</span>
            <button type="button" disabled={skip === 0} onClick={() => setSkip(Math.max(0, skip - top))}>Previous</button>
            <button type="button" disabled={skip + rows.length >= total} onClick={() => setSkip(skip + top)}>Next</button>
            <label className="row small">Rows per page
              <select value={top} onChange={(e) => setTop(Number(e.target.value))}>{PAGE_SIZES.map((n) => <option key={n}>{n}</option>)}</select>
            </label>
          </div>
        </>
      ) : null}
    </div>
  );
}

export default function ExplorerArtifact({ params, query }: { params: Record<string, string>; query: URLSearchParams }) {
  const artifact = params.artifact ?? '';
  const summary = useApi<Summary>(`/api/explorer/summary${qs({ q: artifact })}`);
  const tabName = query.get('tab') ?? 'resolutions';
  const tab = DATASETS.find((d) => d.name === tabName) ?? DATASETS[0]!;
  const setTab = (name: string) => navigate(`/intel/explorer/${encodeURIComponent(artifact)}?tab=${name}`, { replace: true });
  const s = summary.data;
  return (
    <Page
      title={<span data-testid="artifact-title">{s?.artifact.value ?? artifact}</span>}
      subtitle={s ? <>Artifact kind: <strong>{s.artifact.kind}</strong></> : null}
      actions={<div style={{ width: 420 }}><SearchBox initial={artifact} /></div>}
    >
      {summary.error ? <ErrorView error={summary.error} what="Loading the summary" /> : null}
      {summary.loading && !s ? <Loading label="Loading summary…" /> : null}
      {s ? (
        <div className="two">
          {s.reputation ? <ReputationCard rep={s.reputation} /> : <div className="card">No reputation.</div>}
          <div className="card" data-testid="insights">
            <h2>Insights</h2>
            <ul className="side-list" style={{ maxHeight: 320 }}>
              {(s.insights ?? []).map((i) => (
                <li key={i.name}><span aria-hidden="true">{i.triggered ? '● ' : '○ '}</span><strong style={{ opacity: i.triggered ? 1 : 0.6 }}>{i.name}</strong> <span className="muted small">{i.detail}</span></li>
              ))}
            </ul>
          </div>
        </div>
      ) : null}
      <div className="tabs" role="tablist" aria-label="Data sets">
        {DATASETS.map((d) => (
          <button key={d.name} type="button" role="tab" aria-selected={d.name === tab.name} onClick={() => setTab(d.name)}>{d.label}</button>
        ))}
      </div>
      <DatasetTab key={`${artifact}/${tab.name}`} meta={tab} artifact={artifact} />
    </Page>
  );
}
