/** One rule: details, query, run now, enable/disable, run history, revisions, export YAML. */
import { useState } from 'react';
import { api, apiText } from '../lib/api';
import { Link, navigate } from '../lib/router';
import { useApi } from '../lib/use-api';
import { canWrite, useSession } from '../lib/session';
import { download, fmtDate } from '../lib/format';
import { openInHunting } from '../lib/explorer-meta';
import { Badge, ErrorView, Loading, Page } from '../components/states';
import { dur, type Rule } from './rules';

interface Run { runId: string; trigger?: string; from?: string; to?: string; startedAt?: string; endedAt?: string; status: string; rows?: number | null; alerts?: number | null; error?: string | null }
interface RuleDetail { rule: Rule; versions: { revision: number; savedAt: string; savedBy: string }[]; runs: Run[]; watermark?: string | number | null }

export default function RulePage({ params }: { params: Record<string, string> }) {
  const { me } = useSession();
  const id = params.id!;
  const res = useApi<RuleDetail>(`/api/rules/${encodeURIComponent(id)}`);
  const [busy, setBusy] = useState('');
  const [error, setError] = useState<unknown>();
  const [lastRun, setLastRun] = useState<Run | null>(null);
  const act = async (what: string, fn: () => Promise<void>) => {
    setBusy(what);
    setError(undefined);
    try {
      await fn();
      res.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy('');
    }
  };
  const d = res.data;
  const r = d?.rule;
  const write = canWrite(me);
  return (
    <Page
      title={r?.name ?? id}
      subtitle={r ? <>{r.kind} · <Badge tone={r.severity}>{r.severity}</Badge> · every {dur(r.frequencyMs)}, looking back {dur(r.periodMs)} · revision {r.revision ?? 1}</> : null}
      actions={r ? (
        <>
          {write ? <button type="button" className="primary" disabled={!!busy} data-testid="run-rule" onClick={() => void act('run', async () => setLastRun((await api<{ run: Run }>(`/api/rules/${encodeURIComponent(id)}/run`, { body: {} })).run))}>{busy === 'run' ? 'Running…' : 'Run now'}</button> : null}
          {write ? <button type="button" disabled={!!busy} onClick={() => void act('toggle', async () => void (await api(`/api/rules/${encodeURIComponent(id)}/${r.enabled ? 'disable' : 'enable'}`, { body: {} })))}>{r.enabled ? 'Disable' : 'Enable'}</button> : null}
          <button type="button" onClick={() => openInHunting(r.query, navigate)}>Open in hunting</button>
          <button type="button" onClick={() => void act('export', async () => download(`${id}.yaml`, await apiText(`/api/rules/${encodeURIComponent(id)}/export`), 'application/yaml'))}>Export YAML</button>
        </>
      ) : null}
    >
      {res.error ? <ErrorView error={res.error} what="Loading the rule" /> : null}
      {res.loading && !d ? <Loading /> : null}
      {error ? <ErrorView error={error} what="The action" /> : null}
      {lastRun ? (
        <div className={`state ${lastRun.status === 'failed' ? 'error' : ''}`} role="status" data-testid="run-result">
          Run {lastRun.status}: {lastRun.rows ?? 0} rows, {lastRun.alerts ?? 0} alerts{lastRun.error ? ` — ${lastRun.error}` : ''}.{' '}
          {lastRun.alerts ? <Link to="/incidents">Open incidents</Link> : null}
        </div>
      ) : null}
      {r ? (
        <div className="stack" style={{ marginTop: 10 }}>
          <div className="two">
            <div className="card"><h2>Query</h2><pre style={{ maxHeight: 360 }}>{r.query}</pre></div>
            <div className="card">
              <dl className="kv">
                <dt>Id</dt><dd className="mono small">{r.id}</dd>
                <dt>Status</dt><dd><Badge tone={r.enabled ? 'enabled' : 'low'}>{r.enabled ? 'Enabled' : 'Disabled'}</Badge></dd>
                <dt>Description</dt><dd>{r.description}</dd>
                <dt>Tactics</dt><dd>{r.tactics.join(', ') || '—'}</dd>
                <dt>Techniques</dt><dd>{r.techniques.join(', ') || '—'}</dd>
                <dt>Data up to</dt><dd>{d?.watermark ? fmtDate(d.watermark) : 'not run yet'}</dd>
                <dt>Last run</dt><dd>{d?.runs[0] ? `${fmtDate(d.runs[0].startedAt)} · ${d.runs[0].status}` : '—'}</dd>
              </dl>
            </div>
          </div>
          <div className="card">
            <h2>Run history</h2>
            {d!.runs.length ? (
              <table className="list" data-testid="rule-runs">
                <thead><tr><th>Started</th><th>Trigger</th><th>Window</th><th>Status</th><th>Rows</th><th>Alerts</th><th>Error</th></tr></thead>
                <tbody>{d!.runs.map((x) => (
                  <tr key={x.runId}><td className="small">{fmtDate(x.startedAt)}</td><td>{x.trigger}</td><td className="small">{fmtDate(x.from)} → {fmtDate(x.to)}</td><td><Badge tone={x.status}>{x.status}</Badge></td><td>{x.rows ?? '—'}</td><td>{x.alerts ?? '—'}</td><td className="wrap small">{x.error}</td></tr>
                ))}</tbody>
              </table>
            ) : <span className="muted">Not run yet.</span>}
          </div>
          <div className="card">
            <h2>Revisions</h2>
            <ul>{d!.versions.map((v) => <li key={v.revision}>#{v.revision} · {fmtDate(v.savedAt)} by {v.savedBy}</li>)}</ul>
          </div>
        </div>
      ) : null}
    </Page>
  );
}
