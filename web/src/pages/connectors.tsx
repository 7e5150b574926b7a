/** Data connectors: per source and table, status, last event, rows, rejects, last error (`GET /api/connectors`). */
import { useApi } from '../lib/use-api';
import { fmtDate, fmtValue } from '../lib/format';
import { Badge, Empty, ErrorView, Loading, Page } from '../components/states';

type Connector = Record<string, unknown> & { source?: string; table?: string; status?: string; lastEventAt?: string; lastEvent?: string; rows?: number; rejects?: number; rejected?: number; lastError?: string | null };

export default function Connectors() {
  const res = useApi<{ connectors: Connector[] }>('/api/connectors');
  const items = res.data?.connectors ?? [];
  return (
    <Page title="Data connectors" subtitle="What flows in: events per source and table, with rejects kept and explained." actions={<button type="button" onClick={res.reload}>Refresh</button>}>
      {res.error ? <ErrorView error={res.error} what="Loading connectors" /> : null}
      {res.loading && !res.data ? <Loading /> : null}
      {res.data && !items.length ? <Empty>No data has been ingested through a connector yet. Send events with <code>quarry ingest</code> or <code>POST /api/ingest/&#123;table&#125;</code>.</Empty> : null}
      {items.length ? (
        <table className="list">
          <thead><tr><th>Source</th><th>Table</th><th>Status</th><th>Last event</th><th>Rows</th><th>Rejects</th><th>Last error</th></tr></thead>
          <tbody>{items.map((c, i) => (
            <tr key={i}>
              <td>{fmtValue(c.source ?? c.name ?? c.id)}</td><td>{fmtValue(c.table)}</td>
              <td>{c.status ? <Badge tone={c.status === 'ok' || c.status === 'healthy' ? 'ok' : c.status}>{c.status}</Badge> : '—'}</td>
              <td className="small">{fmtDate(c.lastEventAt ?? c.lastEvent)}</td>
              <td>{typeof c.rows === 'number' ? c.rows.toLocaleString('en-US') : fmtValue(c.rows)}</td>
              <td>{fmtValue(c.rejects ?? c.rejected ?? 0)}</td>
              <td className="wrap small">{c.lastError ?? ''}</td>
            </tr>
          ))}</tbody>
        </table>
      ) : null}
    </Page>
  );
}
