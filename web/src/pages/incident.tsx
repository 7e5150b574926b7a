/**
 * One incident: alerts, entities, evidence rows, matched indicator → profile/article, timeline,
 * comments, status / owner / classification (PATCH /api/incidents/{id}).
 */
import { useState } from 'react';
import { api } from '../lib/api';
import { Link } from '../lib/router';
import { useApi } from '../lib/use-api';
import { canWrite, useSession } from '../lib/session';
import { fmtDate, fmtValue } from '../lib/format';
import { Badge, ErrorView, Loading, Page } from '../components/states';
import { DataGrid } from '../components/data-grid';
import { Pivot } from '../components/pivot';
import type { Alert, Incident } from './incidents';

interface Detail extends Incident {
  alerts: Alert[];
  comments: { at: string; author: string | null; text: string }[];
  timeline: { at: string; kind: string; actor: string | null; detail: unknown }[];
}

const CLASSIFICATIONS = ['TruePositive', 'BenignPositive', 'FalsePositive', 'Undetermined'];

function entityLabel(e: Alert['entities'][number]): { type: string; value: string } {
  const type = String(e.type ?? e.entityType ?? e.kind ?? 'entity');
  const value = String(e.value ?? e.name ?? e.address ?? e.url ?? e.hostName ?? Object.values(e).find((v) => typeof v === 'string' && v !== type) ?? '');
  return { type, value };
}

export default function IncidentPage({ params }: { params: Record<string, string> }) {
  const { me } = useSession();
  const res = useApi<Detail>(`/api/incidents/${encodeURIComponent(params.id!)}`);
  const [comment, setComment] = useState('');
  const [classification, setClassification] = useState('TruePositive');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const d = res.data;
  const patch = async (body: Record<string, unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await api(`/api/incidents/${encodeURIComponent(params.id!)}`, { method: 'PATCH', body });
      res.reload();
      setComment('');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const entities = new Map<string, { type: string; value: string }>();
  for (const a of d?.alerts ?? []) for (const e of a.entities ?? []) { const l = entityLabel(e); if (l.value) entities.set(`${l.type}:${l.value}`, l); }
  const evidence = (d?.alerts ?? []).flatMap((a) => a.evidence ?? []);
  const indicators = (d?.alerts ?? []).map((a) => a.indicator).filter((x): x is Record<string, unknown> => !!x);
  const write = canWrite(me);
  return (
    <Page
      title={d ? <span data-testid="incident-title">#{d.number} {d.title}</span> : 'Incident'}
      subtitle={d ? <><Badge tone={d.severity}>{d.severity}</Badge> <Badge tone={d.status}>{d.status}</Badge> · created {fmtDate(d.createdAt)} · owner {d.owner ?? 'unassigned'}{d.classification ? ` · ${d.classification}` : ''}</> : null}
      actions={d && write ? (
        <>
          {d.status === 'New' ? <button type="button" disabled={busy} onClick={() => void patch({ status: 'Active' })}>Set active</button> : null}
          {d.owner !== me.username ? <button type="button" disabled={busy} onClick={() => void patch({ owner: me.username })}>Assign to me</button> : null}
          {d.status !== 'Closed' ? (
            <span className="row">
              <select value={classification} onChange={(e) => setClassification(e.target.value)} aria-label="Classification">{CLASSIFICATIONS.map((c) => <option key={c}>{c}</option>)}</select>
              <button type="button" disabled={busy} onClick={() => void patch({ status: 'Closed', classification })}>Close incident</button>
            </span>
          ) : <button type="button" disabled={busy} onClick={() => void patch({ status: 'Active' })}>Reopen</button>}
        </>
      ) : null}
    >
      {res.error ? <ErrorView error={res.error} what="Loading the incident" /> : null}
      {res.loading && !d ? <Loading /> : null}
      {error ? <ErrorView error={error} what="Updating the incident" /> : null}
      {d ? (
        <div className="stack">
          {d.description ? <p>{d.description}</p> : null}
          <div className="two">
            <div className="card">
              <h2>Alerts ({d.alerts.length})</h2>
              <table className="list" data-testid="incident-alerts">
                <thead><tr><th>Alert</th><th>Severity</th><th>Rule</th><th>Time</th></tr></thead>
                <tbody>{d.alerts.map((a) => (
                  <tr key={a.alertId}><td className="wrap">{a.title}</td><td><Badge tone={a.severity}>{a.severity}</Badge></td><td><Link to={`/rules/${encodeURIComponent(a.ruleId)}`}>{a.ruleName}</Link></td><td className="small">{fmtDate(a.eventTime)}</td></tr>
                ))}</tbody>
              </table>
            </div>
            <div className="stack">
              <div className="card">
                <h2>Entities</h2>
                {entities.size ? <ul className="side-list">{[...entities.values()].map((e) => <li key={`${e.type}:${e.value}`}><span className="muted small">{e.type}</span> <Pivot value={e.value} /></li>)}</ul> : <span className="muted">No entities.</span>}
              </div>
              <div className="card">
                <h2>Matched indicator</h2>
                {indicators.length ? (
                  <dl className="kv">{Object.entries(indicators[0]!).filter(([, v]) => v !== null && v !== '' && typeof v !== 'object').slice(0, 10).map(([k, v]) => (
                    <div key={k} style={{ display: 'contents' }}><dt>{k}</dt><dd>{/profile|article/i.test(k) ? <Link to={/article/i.test(k) ? `/intel/articles/${encodeURIComponent(String(v))}` : `/intel/profiles/${encodeURIComponent(String(v))}`}>{fmtValue(v)}</Link> : fmtValue(v)}</dd></div>
                  ))}</dl>
                ) : <span className="muted">Not an indicator match (a custom rule).</span>}
              </div>
            </div>
          </div>
          <div className="card">
            <h2>Evidence rows</h2>
            {evidence.length ? <DataGrid columns={Object.keys(evidence[0]!).map((name) => ({ name }))} rows={evidence} height={Math.min(360, 30 + evidence.length * 28)} exportName={`incident-${d.number}-evidence`} /> : <span className="muted">The API returns no evidence rows for these alerts.</span>}
          </div>
          <div className="two">
            <div className="card">
              <h2>Timeline</h2>
              <ul className="timeline">{d.timeline.map((t, i) => <li key={i}><strong>{t.kind}</strong> <span className="muted small">{fmtDate(t.at)}{t.actor ? ` · ${t.actor}` : ''}</span>{t.detail && t.kind !== 'comment' ? <div className="small muted">{fmtValue(t.detail).slice(0, 200)}</div> : null}</li>)}</ul>
            </div>
            <div className="card">
              <h2>Comments</h2>
              {d.comments.length ? <ul className="side-list">{d.comments.map((c, i) => <li key={i}><div>{c.text}</div><div className="muted small">{c.author ?? 'system'} · {fmtDate(c.at)}</div></li>)}</ul> : <span className="muted">No comments.</span>}
              {write ? (
                <form className="row" style={{ marginTop: 8 }} onSubmit={(e) => { e.preventDefault(); if (comment.trim()) void patch({ comment }); }}>
                  <input style={{ flex: 1 }} placeholder="Add a comment" aria-label="Comment" value={comment} onChange={(e) => setComment(e.target.value)} />
                  <button type="submit" disabled={busy || !comment.trim()}>Add</button>
                </form>
              ) : null}
            </div>
          </div>
        </div>
      ) : null}
    </Page>
  );
}
