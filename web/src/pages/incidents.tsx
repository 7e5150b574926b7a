/** Incidents & alerts: lists with filters. */
import { useState } from 'react';
import { Link } from '../lib/router';
import { qs } from '../lib/api';
import { useApi } from '../lib/use-api';
import { fmtDate } from '../lib/format';
import { Badge, Empty, ErrorView, Loading, Page } from '../components/states';

export interface Alert {
  alertId: string; ruleId: string; ruleName: string; source: string; severity: string; title: string; eventTime: string | null;
  indicatorKey: string | null; entity: string | null; incidentId: string | null; entities: { type?: string; entityType?: string; value?: string; [k: string]: unknown }[];
  indicator: Record<string, unknown> | null; evidence?: Record<string, unknown>[];
}
export interface Incident {
  incidentId: string; number: number; title: string; description: string; severity: string; status: string; owner: string | null;
  classification: string | null; classificationReason?: string | null; createdAt: number; modifiedAt: number; firstActivity: number | null; lastActivity: number | null;
  ruleIds: string[]; alertIds: string[];
}

export default function Incidents({ query }: { query: URLSearchParams }) {
  const [tab, setTab] = useState(query.get('tab') === 'alerts' ? 'alerts' : 'incidents');
  const [status, setStatus] = useState('');
  const [severity, setSeverity] = useState('');
  const [q, setQ] = useState('');
  const inc = useApi<{ incidents: Incident[] }>(tab === 'incidents' ? `/api/incidents${qs({ status, limit: 500 })}` : null);
  const al = useApi<{ alerts: Alert[] }>(tab === 'alerts' ? '/api/alerts?limit=1000' : null);
  const text = (s: string) => !q || s.toLowerCase().includes(q.toLowerCase());
  const incidents = (inc.data?.incidents ?? []).filter((i) => (!severity || i.severity === severity) && text(`${i.title} ${i.description}`));
  const alerts = (al.data?.alerts ?? []).filter((a) => (!severity || a.severity === severity) && text(`${a.title} ${a.entity ?? ''} ${a.ruleName}`));
  return (
    <Page title="Incidents & alerts">
      <div className="tabs" role="tablist">
        <button type="button" role="tab" aria-selected={tab === 'incidents'} onClick={() => setTab('incidents')}>Incidents</button>
        <button type="button" role="tab" aria-selected={tab === 'alerts'} onClick={() => setTab('alerts')}>Alerts</button>
      </div>
      <div className="row" style={{ marginBottom: 10 }}>
        <input placeholder="Search" aria-label="Search" value={q} onChange={(e) => setQ(e.target.value)} />
        {tab === 'incidents' ? (
          <label className="row small">Status<select value={status} onChange={(e) => setStatus(e.target.value)}><option value="">All</option>{['New', 'Active', 'Closed'].map((s) => <option key={s}>{s}</option>)}</select></label>
        ) : null}
        <label className="row small">Severity<select value={severity} onChange={(e) => setSeverity(e.target.value)}><option value="">All</option>{['High', 'Medium', 'Low', 'Informational'].map((s) => <option key={s}>{s}</option>)}</select></label>
        <button type="button" onClick={() => (tab === 'incidents' ? inc.reload() : al.reload())}>Refresh</button>
      </div>
      {tab === 'incidents' ? (
        inc.error ? <ErrorView error={inc.error} what="Loading incidents" /> : inc.loading && !inc.data ? <Loading /> : !incidents.length ? <Empty>No incidents{status || severity || q ? ' match these filters' : ''}.</Empty> : (
          <table className="list" data-testid="incident-list">
            <thead><tr><th>#</th><th>Incident</th><th>Severity</th><th>Status</th><th>Alerts</th><th>Last activity</th><th>Owner</th></tr></thead>
            <tbody>{incidents.map((i) => (
              <tr key={i.incidentId}>
                <td>{i.number}</td>
                <td><Link to={`/incidents/${encodeURIComponent(i.incidentId)}`}>{i.title}</Link></td>
                <td><Badge tone={i.severity}>{i.severity}</Badge></td>
                <td><Badge tone={i.status}>{i.status}</Badge></td>
                <td>{i.alertIds?.length ?? '—'}</td>
                <td className="small">{fmtDate(i.lastActivity ?? i.modifiedAt)}</td>
                <td>{i.owner ?? '—'}</td>
              </tr>
            ))}</tbody>
          </table>
        )
      ) : al.error ? <ErrorView error={al.error} what="Loading alerts" /> : al.loading && !al.data ? <Loading /> : !alerts.length ? <Empty>No alerts.</Empty> : (
        <table className="list">
          <thead><tr><th>Alert</th><th>Severity</th><th>Rule</th><th>Entity</th><th>Time</th><th>Incident</th></tr></thead>
          <tbody>{alerts.map((a) => (
            <tr key={a.alertId}>
              <td className="wrap">{a.title}</td><td><Badge tone={a.severity}>{a.severity}</Badge></td>
              <td><Link to={`/rules/${encodeURIComponent(a.ruleId)}`}>{a.ruleName}</Link></td>
              <td className="wrap">{a.entity}</td><td className="small">{fmtDate(a.eventTime)}</td>
              <td>{a.incidentId ? <Link to={`/incidents/${encodeURIComponent(a.incidentId)}`}>open</Link> : '—'}</td>
            </tr>
          ))}</tbody>
        </table>
      )}
    </Page>
  );
}
