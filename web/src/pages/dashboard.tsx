/** Threat analytics: newest articles, active profiles, indicators matched in your data this week. */
import { Link } from '../lib/router';
import { useApi } from '../lib/use-api';
import { fmtDate } from '../lib/format';
import { Badge, Empty, ErrorView, Loading, Page } from '../components/states';
import type { Article } from './intel-articles';
import type { Profile } from './intel-profiles';
import type { Alert } from './incidents';

const WEEK = 7 * 86_400_000;

export default function Dashboard() {
  const articles = useApi<{ items: Article[] }>('/api/intel/articles');
  const profiles = useApi<{ items: Profile[] }>('/api/intel/profiles');
  const alerts = useApi<{ alerts: Alert[] }>('/api/alerts?limit=500');
  const recent = (alerts.data?.alerts ?? []).filter((a) => a.indicatorKey && a.eventTime && Date.now() - new Date(a.eventTime).getTime() < WEEK);
  const matched = new Map<string, { key: string; count: number; last: string; severity: string; incidentId?: string | null }>();
  for (const a of recent) {
    const m = matched.get(a.indicatorKey!) ?? { key: a.indicatorKey!, count: 0, last: a.eventTime!, severity: a.severity, incidentId: a.incidentId };
    m.count++;
    if (a.eventTime! > m.last) m.last = a.eventTime!;
    matched.set(a.indicatorKey!, m);
  }
  return (
    <Page title="Threat analytics" subtitle="What is new in threat intelligence, and what of it is in your data.">
      <div className="cards">
        <div className="card">
          <h2>Newest articles</h2>
          {articles.error ? <ErrorView error={articles.error} what="Articles" /> : !articles.data ? <Loading /> : !articles.data.items.length ? <Empty>No articles yet.</Empty> : (
            <ul className="side-list">{articles.data.items.slice(0, 8).map((a) => (
              <li key={a.id}><Link to={`/intel/articles/${encodeURIComponent(a.id)}`}>{a.title}</Link><div className="muted small">{fmtDate(a.createdDateTime)}</div></li>
            ))}</ul>
          )}
        </div>
        <div className="card">
          <h2>Active profiles</h2>
          {profiles.error ? <ErrorView error={profiles.error} what="Profiles" /> : !profiles.data ? <Loading /> : !profiles.data.items.length ? <Empty>No profiles yet.</Empty> : (
            <ul className="side-list">{profiles.data.items.slice(0, 8).map((p) => (
              <li key={p.id}><Link to={`/intel/profiles/${encodeURIComponent(p.id)}`}>{p.title}</Link> <span className="muted small">{p.kind} · {(p.targets ?? []).join(', ')}</span></li>
            ))}</ul>
          )}
        </div>
        <div className="card" data-testid="matched-indicators">
          <h2>Indicators matched in your data this week</h2>
          {alerts.error ? <ErrorView error={alerts.error} what="Alerts" /> : !alerts.data ? <Loading /> : !matched.size ? <Empty>No indicator matched your events in the last 7 days.</Empty> : (
            <table className="list">
              <thead><tr><th>Indicator</th><th>Alerts</th><th>Last</th></tr></thead>
              <tbody>{[...matched.values()].sort((a, b) => b.count - a.count).slice(0, 10).map((m) => {
                const value = m.key.replace(/^[a-z0-9-]+:/i, '');
                return (
                  <tr key={m.key}>
                    <td><Link to={`/intel/explorer/${encodeURIComponent(value)}`}>{value}</Link> <Badge tone={m.severity}>{m.severity}</Badge></td>
                    <td>{m.incidentId ? <Link to={`/incidents/${encodeURIComponent(m.incidentId)}`}>{m.count}</Link> : m.count}</td>
                    <td className="small">{fmtDate(m.last)}</td>
                  </tr>
                );
              })}</tbody>
            </table>
          )}
        </div>
      </div>
    </Page>
  );
}
