/** One intel article: markdown body (rendered safely), its indicators, related profiles. */
import { useApi } from '../lib/use-api';
import { Link, navigate } from '../lib/router';
import { fmtDate } from '../lib/format';
import { openInHunting } from '../lib/explorer-meta';
import { Markdown } from '../components/markdown';
import { ErrorView, Loading, Page } from '../components/states';
import { IndicatorTable, huntIndicators, type Indicator } from './intel-indicators';
import type { Article } from './intel-articles';
import type { Profile } from './intel-profiles';

export default function IntelArticle({ params }: { params: Record<string, string> }) {
  const id = params.id!;
  const art = useApi<Article>(`/api/intel/articles/${encodeURIComponent(id)}`);
  const inds = useApi<Indicator[] | { items: Indicator[] }>(`/api/intel/articles/${encodeURIComponent(id)}/indicators`);
  const profiles = useApi<{ items: Profile[] }>('/api/intel/profiles');
  const a = art.data;
  const indicators = Array.isArray(inds.data) ? inds.data : inds.data?.items ?? [];
  // Related profiles: those the article names (the API has no explicit link list yet).
  const related = (profiles.data?.items ?? []).filter((p) => a && [p.title, ...(p.aliases ?? [])].some((n) => n && `${a.title} ${a.body?.content ?? ''}`.includes(n)));
  return (
    <Page title={a?.title ?? 'Article'} subtitle={a ? `Published ${fmtDate(a.createdDateTime)} · updated ${fmtDate(a.lastUpdatedDateTime)}` : null}>
      {art.error ? <ErrorView error={art.error} what="Loading the article" /> : null}
      {art.loading && !a ? <Loading /> : null}
      {a ? (
        <div className="two">
          <div className="card">
            {a.imageUrl ? <img src={a.imageUrl} alt="" style={{ maxWidth: '100%', borderRadius: 6 }} /> : null}
            <Markdown text={a.summary?.content} />
            <Markdown text={a.body?.content} />
          </div>
          <div className="stack">
            <div className="card">
              <h2>Related intel profiles</h2>
              {related.length ? <ul>{related.map((p) => <li key={p.id}><Link to={`/intel/profiles/${encodeURIComponent(p.id)}`}>{p.title}</Link> <span className="muted small">{p.kind}</span></li>)}</ul> : <span className="muted">None named in this article.</span>}
              <div className="chips">{(a.tags ?? []).map((t) => <span key={t} className="chip">{t}</span>)}</div>
            </div>
          </div>
        </div>
      ) : null}
      <div className="card" style={{ marginTop: 14 }}>
        <div className="row"><h2 style={{ margin: 0 }}>Indicators</h2><span className="spacer" />
          <button type="button" disabled={!indicators.length} onClick={() => openInHunting(huntIndicators(indicators), navigate)}>Hunt</button>
        </div>
        {inds.error ? <ErrorView error={inds.error} what="Loading indicators" /> : <IndicatorTable items={indicators} exportName={`article-indicators`} />}
      </div>
    </Page>
  );
}
