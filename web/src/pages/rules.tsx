/** Custom detection rules: list with kind, schedule, status; import a rule YAML. */
import { useState } from 'react';
import { api } from '../lib/api';
import { Link } from '../lib/router';
import { useApi } from '../lib/use-api';
import { fmtDate } from '../lib/format';
import { Badge, Empty, ErrorView, Loading, Page } from '../components/states';

export interface Rule {
  id: string; name: string; description: string; kind: string; enabled: boolean; severity: string; query: string; frequencyMs: number; periodMs: number;
  tactics: string[]; techniques: string[]; builtIn?: boolean; revision?: number; updatedAt?: string | number; view?: string;
  lastRun?: { startedAt?: string; status?: string } | null; nextRunAt?: string | null;
}

export const dur = (ms: number) => (!ms ? 'continuous' : ms % 86_400_000 === 0 ? `${ms / 86_400_000}d` : ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : `${Math.round(ms / 60_000)}m`);

export default function Rules() {
  const res = useApi<{ rules: Rule[] }>('/api/rules');
  const [q, setQ] = useState('');
  const [importing, setImporting] = useState(false);
  const [yaml, setYaml] = useState('');
  const [error, setError] = useState<unknown>();
  const rules = (res.data?.rules ?? []).filter((r) => !q || `${r.name} ${r.id}`.toLowerCase().includes(q.toLowerCase()));
  const doImport = async () => {
    setError(undefined);
    try {
      await api('/api/rules/import', { body: { yaml } });
      setImporting(false);
      setYaml('');
      res.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Page title="Custom detection rules" subtitle="Scheduled KQL and the built-in threat-intelligence matching rules." actions={<>
      <input placeholder="Search rules" aria-label="Search rules" value={q} onChange={(e) => setQ(e.target.value)} />
      <button type="button" onClick={() => setImporting((v) => !v)}>Import YAML</button>
      <Link className="button primary" to="/hunting">New rule from a query</Link>
    </>}>
      {importing ? (
        <div className="card stack" style={{ marginBottom: 12 }}>
          <label className="field">Sentinel analytic rule (YAML)<textarea rows={10} value={yaml} onChange={(e) => setYaml(e.target.value)} className="mono" /></label>
          {error ? <ErrorView error={error} what="Import" /> : null}
          <div className="row"><button type="button" className="primary" disabled={!yaml.trim()} onClick={() => void doImport()}>Import</button></div>
        </div>
      ) : null}
      {res.error ? <ErrorView error={res.error} what="Loading rules" /> : null}
      {res.loading && !res.data ? <Loading /> : null}
      {res.data && !rules.length ? <Empty>No rules.</Empty> : null}
      {rules.length ? (
        <table className="list" data-testid="rule-list">
          <thead><tr><th>Name</th><th>Kind</th><th>Severity</th><th>Every / look back</th><th>Status</th><th>Last run</th><th>Updated</th></tr></thead>
          <tbody>{rules.map((r) => (
            <tr key={r.id}>
              <td><Link to={`/rules/${encodeURIComponent(r.id)}`}>{r.name}</Link>{r.builtIn ? <span className="muted small"> · built-in</span> : null}</td>
              <td>{r.kind}</td>
              <td><Badge tone={r.severity}>{r.severity}</Badge></td>
              <td>{dur(r.frequencyMs)} / {dur(r.periodMs)}</td>
              <td><Badge tone={r.enabled ? 'enabled' : 'low'}>{r.enabled ? 'Enabled' : 'Disabled'}</Badge></td>
              <td className="small">{r.lastRun ? `${fmtDate(r.lastRun.startedAt)} · ${r.lastRun.status ?? ''}` : <span className="muted">see rule</span>}</td>
              <td className="small">{fmtDate(r.updatedAt)}</td>
            </tr>
          ))}</tbody>
        </table>
      ) : null}
    </Page>
  );
}
