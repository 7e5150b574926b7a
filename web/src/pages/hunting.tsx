/**
 * Advanced hunting: Monaco + monaco-kusto (schema from `/api/hunt/schema`), schema browser, time range,
 * run / cancel (client-request-id + `/api/hunt/running/{id}/cancel`, and the fetch is aborted), the
 * virtualised results grid, charts for `render`, errors at line/column, saved queries, history and
 * "Create detection rule".
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError } from '../lib/api';
import { useApi } from '../lib/use-api';
import { useSession } from '../lib/session';
import { ago } from '../lib/format';
import { KqlEditor, type KqlEditorHandle } from '../components/kql-editor';
import { DataGrid } from '../components/data-grid';
import { Chart } from '../components/chart';
import { ErrorView, Page } from '../components/states';
import { CreateRuleDialog } from './hunting-rule-dialog';
import type { SchemaTable } from '../lib/monaco';

interface RunResult {
  queryId: string;
  schema: { name: string; type: string }[];
  render?: { kind: string; props: Record<string, unknown> };
  results: Record<string, unknown>[];
  stats?: { compileMs?: number; executeMs?: number; rows?: number; truncated?: boolean };
}
interface Saved { id: string; name: string; query: string; shared?: boolean; owner?: string; updatedAt?: string }
interface HistoryItem { id?: string; query: string; at?: string; startedAt?: string; status?: string; rows?: number; durationMs?: number }

const RANGES: { value: string; label: string }[] = [
  { value: '', label: 'Set in query' },
  { value: 'PT1H', label: 'Last hour' },
  { value: 'P1D', label: 'Last 24 hours' },
  { value: 'P7D', label: 'Last 7 days' },
  { value: 'P30D', label: 'Last 30 days' },
];

const DEFAULT_QUERY = 'DeviceNetworkEvents\n| summarize Connections = count() by bin(Timestamp, 1h)\n| render timechart';

function takePending(): string | null {
  const q = sessionStorage.getItem('quarry.hunt.pending');
  if (q !== null) sessionStorage.removeItem('quarry.hunt.pending');
  return q;
}

export default function Hunting() {
  const { theme } = useSession();
  const editor = useRef<KqlEditorHandle>(null);
  const [initial] = useState(() => takePending() ?? localStorage.getItem('quarry.hunt.last') ?? DEFAULT_QUERY);
  const schema = useApi<{ tables: SchemaTable[] }>('/api/hunt/schema');
  const saved = useApi<{ queries: Saved[] }>('/api/hunt/saved');
  const history = useApi<{ history: HistoryItem[] }>('/api/hunt/history');
  const [range, setRange] = useState('P30D');
  const [running, setRunning] = useState<{ id: string; ctrl: AbortController; started: number } | null>(null);
  const [elapsed, setElapsed] = useState(0);
  const [result, setResult] = useState<RunResult | null>(null);
  const [error, setError] = useState<unknown>();
  const [view, setView] = useState<'table' | 'chart'>('table');
  const [filter, setFilter] = useState('');
  const [ruleOpen, setRuleOpen] = useState(false);
  const [panel, setPanel] = useState<'schema' | 'saved' | 'history'>('schema');
  const [notice, setNotice] = useState('');

  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => setElapsed(Date.now() - running.started), 200);
    return () => clearInterval(t);
  }, [running]);

  const run = useCallback(async () => {
    const query = editor.current?.getValue() ?? '';
    if (!query.trim() || running) return;
    localStorage.setItem('quarry.hunt.last', query);
    const id = crypto.randomUUID();
    const ctrl = new AbortController();
    setRunning({ id, ctrl, started: Date.now() });
    setElapsed(0);
    setError(undefined);
    editor.current?.setError(null);
    try {
      const r = await api<RunResult>('/api/hunt/run', { body: { query, ...(range ? { timespan: range } : {}) }, signal: ctrl.signal, headers: { 'client-request-id': id } });
      setResult(r);
      setView(r.render ? 'chart' : 'table');
      history.reload();
    } catch (e) {
      if ((e as Error).name === 'AbortError' || (e instanceof ApiError && e.code === 'hunt/cancelled')) setNotice('Query cancelled.');
      else {
        setError(e);
        if (e instanceof ApiError && e.body.line) editor.current?.setError({ line: e.body.line, column: e.body.column ?? 1, message: e.message });
      }
    } finally {
      setRunning(null);
    }
  }, [range, running, history]);

  const cancel = async () => {
    if (!running) return;
    await api(`/api/hunt/running/${encodeURIComponent(running.id)}/cancel`, { method: 'POST', body: {} }).catch(() => undefined);
    running.ctrl.abort();
  };

  const saveQuery = async () => {
    const name = window.prompt('Name of the saved query');
    if (!name) return;
    const shared = window.confirm('Share it with everyone on this server? (Cancel keeps it private)');
    try {
      await api('/api/hunt/saved', { body: { name, query: editor.current?.getValue() ?? '', shared } });
      saved.reload();
      setPanel('saved');
      setNotice(`Saved “${name}”.`);
    } catch (e) {
      setError(e);
    }
  };

  const load = (q: string) => {
    editor.current?.setValue(q);
    editor.current?.focus();
  };

  const cols = result?.schema ?? [];
  const needle = filter.trim().toLowerCase();
  const rows = !result ? [] : needle ? result.results.filter((r) => cols.some((c) => String(r[c.name] ?? '').toLowerCase().includes(needle))) : result.results;
  const renderKind = result?.render?.kind;
  const chartable = renderKind && ['timechart', 'linechart', 'areachart', 'columnchart', 'barchart', 'piechart'].includes(renderKind);

  return (
    <Page title="Advanced hunting" subtitle="Query your events, intel and Explorer tables with KQL. Ctrl+Enter runs.">
      <div className="hunt">
        <aside className="card schema" aria-label="Schema, saved queries and history">
          <div className="tabs" role="tablist" style={{ marginTop: 0 }}>
            {(['schema', 'saved', 'history'] as const).map((p) => (
              <button key={p} type="button" role="tab" aria-selected={panel === p} onClick={() => setPanel(p)}>{p === 'schema' ? 'Schema' : p === 'saved' ? 'Queries' : 'History'}</button>
            ))}
          </div>
          {panel === 'schema' ? (
            schema.error ? <ErrorView error={schema.error} what="Loading the schema" /> : !schema.data ? <span className="muted">Loading…</span> : (
              schema.data.tables.map((t) => (
                <details key={t.name}>
                  <summary title={t.description}>{t.name}</summary>
                  <ul>{t.columns.map((c) => <li key={c.name}><button type="button" title={`Insert ${c.name}`} onClick={() => editor.current?.insert(c.name)}>{c.name}</button> <span className="muted">{c.type}</span></li>)}</ul>
                </details>
              ))
            )
          ) : null}
          {panel === 'saved' ? (
            saved.error ? <ErrorView error={saved.error} what="Saved queries" /> : (
              <ul className="side-list">
                {(saved.data?.queries ?? []).map((s) => (
                  <li key={s.id}><button type="button" onClick={() => load(s.query)} title={s.query}>{s.name}{s.shared ? ' · shared' : ''}</button></li>
                ))}
                {saved.data && !saved.data.queries.length ? <li className="muted">No saved queries yet.</li> : null}
              </ul>
            )
          ) : null}
          {panel === 'history' ? (
            history.error ? <ErrorView error={history.error} what="History" /> : (
              <ul className="side-list">
                {(history.data?.history ?? []).map((h, i) => (
                  <li key={h.id ?? i}><button type="button" onClick={() => load(h.query)} title={h.query}>{h.query.split('\n')[0]}</button><span className="muted small">{ago(h.at ?? h.startedAt)}{h.rows !== undefined ? ` · ${h.rows} rows` : ''}{h.status && h.status !== 'succeeded' && h.status !== 'ok' ? ` · ${h.status}` : ''}</span></li>
                ))}
                {history.data && !history.data.history.length ? <li className="muted">No queries run yet.</li> : null}
              </ul>
            )
          ) : null}
        </aside>
        <div style={{ minWidth: 0 }}>
          <KqlEditor ref={editor} initial={initial} theme={theme} schema={schema.data?.tables} onRun={() => void run()} />
          <div className="hunt-bar">
            {running ? (
              <button type="button" onClick={() => void cancel()} data-testid="cancel-query">Cancel</button>
            ) : (
              <button type="button" className="primary" onClick={() => void run()} data-testid="run-query">▶ Run query</button>
            )}
            <label className="row small">Time range
              <select value={range} onChange={(e) => setRange(e.target.value)} aria-label="Time range">
                {RANGES.map((r) => <option key={r.value} value={r.value}>{r.label}</option>)}
              </select>
            </label>
            <button type="button" onClick={() => void saveQuery()}>Save</button>
            <button type="button" onClick={() => setRuleOpen(true)} data-testid="create-rule">Create detection rule</button>
            <span className="spacer" />
            {running ? <span role="status" data-testid="query-progress"><span className="spinner" /> Running… {(elapsed / 1000).toFixed(1)} s</span> : null}
            {!running && result ? (
              <span className="muted small" data-testid="query-stats">
                {result.results.length.toLocaleString('en-US')} rows{result.stats?.truncated ? ' (truncated)' : ''} · {Math.round((result.stats?.compileMs ?? 0) + (result.stats?.executeMs ?? 0))} ms
              </span>
            ) : null}
            {notice ? <span className="note" role="status">{notice}</span> : null}
          </div>
          {error ? (
            <div data-testid="query-error">
              {error instanceof ApiError && error.body.line ? (
                <div className="error-at small">Line {error.body.line}, column {error.body.column ?? 1}</div>
              ) : null}
              <ErrorView error={error} what="The query" />
            </div>
          ) : null}
          {result ? (
            <div className="stack" style={{ marginTop: 8 }}>
              <div className="row">
                <div className="tabs" role="tablist" style={{ margin: 0 }}>
                  <button type="button" role="tab" aria-selected={view === 'table'} onClick={() => setView('table')}>Results</button>
                  <button type="button" role="tab" aria-selected={view === 'chart'} disabled={!chartable} onClick={() => setView('chart')}>Chart{renderKind ? ` (${renderKind})` : ''}</button>
                </div>
                <span className="spacer" />
                <input placeholder="Filter rows" aria-label="Filter rows" value={filter} onChange={(e) => setFilter(e.target.value)} />
              </div>
              {view === 'chart' && chartable ? (
                <Chart kind={renderKind!} columns={cols} rows={result.results} title={typeof result.render?.props.title === 'string' ? result.render.props.title : undefined} />
              ) : result.results.length ? (
                <DataGrid columns={cols} rows={rows} height={460} exportName="hunting-results" />
              ) : (
                <div className="state empty">The query returned no rows.</div>
              )}
            </div>
          ) : null}
        </div>
      </div>
      {ruleOpen ? <CreateRuleDialog query={editor.current?.getValue() ?? ''} columns={cols.map((c) => c.name)} onClose={() => setRuleOpen(false)} /> : null}
    </Page>
  );
}
