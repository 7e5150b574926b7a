/** Intel explorer home: search box, featured article banner, recent articles. */
import { useState, type FormEvent } from 'react';
import { Link, navigate } from '../lib/router';
import { useApi } from '../lib/use-api';
import { fmtDate } from '../lib/format';
import { ErrorView, Loading, Page } from '../components/states';
import type { Article } from './intel-articles';

export function SearchBox({ initial = '', autoFocus = false }: { initial?: string; autoFocus?: boolean }) {
  const [q, setQ] = useState(initial);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const v = q.trim();
    if (v) navigate(`/intel/explorer/${encodeURIComponent(v)}`);
  };
  return (
    <form className="searchbox" role="search" onSubmit={submit}>
      <input
        aria-label="Search Intel explorer"
        placeholder="Search a domain, host, IP address, URL, certificate, hash, tracker, e-mail…"
        value={q}
        autoFocus={autoFocus}
        onChange={(e) => setQ(e.target.value)}
        data-testid="explorer-search"
      />
      <button className="primary" type="submit">Search</button>
    </form>
  );
}

export default function ExplorerHome() {
  const articles = useApi<{ items: Article[] }>('/api/intel/articles?top=6');
  const items = articles.data?.items ?? [];
  const featured = items.find((a) => a.isFeatured) ?? items[0];
  return (
    <Page title="Intel explorer" subtitle="Internet infrastructure around an artifact: resolutions, WHOIS, certificates, host pairs and more.">
      <div className="stack">
        <SearchBox autoFocus />
        {articles.loading && !articles.data ? <Loading label="Loading articles…" /> : null}
        {articles.error ? <ErrorView error={articles.error} what="Loading articles" /> : null}
        {featured ? (
          <div className="banner">
            <div>
              <div className="small">Featured article</div>
              <h2 style={{ margin: '4px 0' }}><Link to={`/intel/articles/${encodeURIComponent(featured.id)}`}>{featured.title}</Link></h2>
              <div>{featured.summary?.content}</div>
            </div>
            {featured.imageUrl ? <img src={featured.imageUrl} alt="" /> : null}
          </div>
        ) : null}
        {items.length ? (
          <div className="card">
            <h2>Recent articles</h2>
            <table className="list">
              <thead><tr><th>Title</th><th>Published</th><th>Tags</th></tr></thead>
              <tbody>
                {items.map((a) => (
                  <tr key={a.id}>
                    <td><Link to={`/intel/articles/${encodeURIComponent(a.id)}`}>{a.title}</Link></td>
                    <td>{fmtDate(a.createdDateTime)}</td>
                    <td>{(a.tags ?? []).join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </div>
    </Page>
  );
}
