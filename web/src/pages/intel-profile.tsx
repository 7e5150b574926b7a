/** One intel profile: overview, aliases, targets, TTPs as an ATT&CK matrix, indicators with export and Hunt. */
import { useApi } from '../lib/use-api';
import { navigate } from '../lib/router';
import { fmtDate } from '../lib/format';
import { openInHunting } from '../lib/explorer-meta';
import { AttackMatrix } from '../components/attack-matrix';
import { Markdown } from '../components/markdown';
import { ErrorView, Loading, Page } from '../components/states';
import { IndicatorTable, huntIndicators, type Indicator } from './intel-indicators';
import type { Profile } from './intel-profiles';

export default function IntelProfile({ params }: { params: Record<string, string> }) {
  const id = params.id!;
  const res = useApi<Profile>(`/api/intel/profiles/${encodeURIComponent(id)}`);
  const inds = useApi<{ items: Indicator[] } | Indicator[]>(`/api/intel/profiles/${encodeURIComponent(id)}/indicators`);
  const p = res.data;
  const indicators = Array.isArray(inds.data) ? inds.data : inds.data?.items ?? [];
  return (
    <Page title={p?.title ?? 'Profile'} subtitle={p ? `${p.kind} · first active ${fmtDate(p.firstActiveDateTime)}` : null}>
      {res.error ? <ErrorView error={res.error} what="Loading the profile" /> : null}
      {res.loading && !p ? <Loading /> : null}
      {p ? (
        <div className="stack">
          <div className="two">
            <div className="card"><h2>Overview</h2><Markdown text={p.description ?? p.summary?.content} /></div>
            <div className="card">
              <dl className="kv">
                <dt>Aliases</dt><dd><div className="chips">{(p.aliases ?? []).map((a) => <span className="chip" key={a}>{a}</span>)}</div></dd>
                <dt>Targets</dt><dd>{(p.targets ?? []).join(', ') || '—'}</dd>
                <dt>Origin</dt><dd>{(p.countriesOrRegionsOfOrigin ?? []).join(', ') || '—'}</dd>
              </dl>
            </div>
          </div>
          <div className="card"><h2>Tactics, techniques and procedures</h2><AttackMatrix ttps={p.ttps ?? []} />{p.tradecraft ? <details><summary className="muted small">Tradecraft notes</summary><Markdown text={p.tradecraft.content} /></details> : null}</div>
          <div className="card">
            <div className="row"><h2 style={{ margin: 0 }}>Indicators</h2><span className="spacer" />
              <button type="button" disabled={!indicators.length} onClick={() => openInHunting(huntIndicators(indicators), navigate)}>Hunt</button>
            </div>
            {inds.error ? <ErrorView error={inds.error} what="Loading indicators" /> : <IndicatorTable items={indicators} exportName={`${p.title}-indicators`} />}
          </div>
        </div>
      ) : null}
    </Page>
  );
}
