/** Intel articles: featured research with its indicators. */
import { useState } from 'react';
import { Link } from '../lib/router';
import { useApi } from '../lib/use-api';
import { fmtDate } from '../lib/format';
import { Empty, ErrorView, Loading, Page } from '../components/states';

export interface Article {
  id: string;
  title: string;
  summary?: { content: string; format?: string };
  body?: { content: string; format?: string };
  imageUrl?: string;
  isFeatured?: boolean;
  tags?: string[];
  createdDateTime?: string;
  lastUpdatedDateTime?: string;
}

export default function IntelArticles() {
  const [q, setQ] = useState('');
  const res = useApi<{ items: Article[]; total?: number }>('/api/intel/articles');
  const items = (res.data?.items ?? []).filter((a) => !q || `${a.title} ${a.summary?.content ?? ''} ${(a.tags ?? []).join(' ')}`.toLowerCase().includes(q.toLowerCase()));
  return (
    <Page title="Intel articles" actions={<input placeholder="Filter by keyword" aria-label="Filter articles" value={q} onChange={(e) => setQ(e.target.value)} />}>
      {res.error ? <ErrorView error={res.error} what="Loading articles" /> : null}
      {res.loading && !res.data ? <Loading /> : null}
      {res.data && !items.length ? <Empty>No articles{q ? ' match this filter' : ' yet: import intel with `quarry intel import`'}.</Empty> : null}
      <div className="cards">
        {items.map((a) => (
          <article key={a.id} className="card">
            <div className="row small muted">{fmtDate(a.createdDateTime)}{a.isFeatured ? ' · Featured' : ''}</div>
            <h2 style={{ margin: '4px 0' }}><Link to={`/intel/articles/${encodeURIComponent(a.id)}`}>{a.title}</Link></h2>
            <p className="muted">{a.summary?.content}</p>
            <div className="chips">{(a.tags ?? []).map((t) => <span key={t} className="chip">{t}</span>)}</div>
          </article>
        ))}
      </div>
    </Page>
  );
}
