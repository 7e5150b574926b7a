/** Intel profiles (threat actors and tools) with filters by kind, target and origin. */
import { useMemo, useState } from 'react';
import { Link } from '../lib/router';
import { useApi } from '../lib/use-api';
import { Empty, ErrorView, Loading, Page } from '../components/states';

export interface Profile {
  id: string;
  kind: string;
  title: string;
  aliases?: string[];
  countriesOrRegionsOfOrigin?: string[];
  description?: string;
  firstActiveDateTime?: string;
  summary?: { content: string };
  targets?: string[];
  tradecraft?: { content: string };
  ttps?: { id: string; name?: string; stixId?: string; tactic?: string }[];
}

export default function IntelProfiles() {
  const res = useApi<{ items: Profile[] }>('/api/intel/profiles');
  const [kind, setKind] = useState('');
  const [target, setTarget] = useState('');
  const [origin, setOrigin] = useState('');
  const [q, setQ] = useState('');
  const all = res.data?.items ?? [];
  const opts = useMemo(() => ({
    kinds: [...new Set(all.map((p) => p.kind))].sort(),
    targets: [...new Set(all.flatMap((p) => p.targets ?? []))].sort(),
    origins: [...new Set(all.flatMap((p) => p.countriesOrRegionsOfOrigin ?? []))].sort(),
  }), [all]);
  const items = all.filter((p) => (!kind || p.kind === kind) && (!target || (p.targets ?? []).includes(target)) && (!origin || (p.countriesOrRegionsOfOrigin ?? []).includes(origin))
    && (!q || `${p.title} ${(p.aliases ?? []).join(' ')}`.toLowerCase().includes(q.toLowerCase())));
  return (
    <Page title="Intel profiles" subtitle="Threat actors and tools: who they are, what they target, how they operate.">
      <div className="row" style={{ marginBottom: 12 }}>
        <input placeholder="Search name or alias" aria-label="Search profiles" value={q} onChange={(e) => setQ(e.target.value)} />
        <label className="row small">Type<select value={kind} onChange={(e) => setKind(e.target.value)}><option value="">All</option>{opts.kinds.map((k) => <option key={k}>{k}</option>)}</select></label>
        <label className="row small">Targets<select value={target} onChange={(e) => setTarget(e.target.value)}><option value="">All</option>{opts.targets.map((k) => <option key={k}>{k}</option>)}</select></label>
        <label className="row small">Origin<select value={origin} onChange={(e) => setOrigin(e.target.value)}><option value="">All</option>{opts.origins.map((k) => <option key={k}>{k}</option>)}</select></label>
      </div>
      {res.error ? <ErrorView error={res.error} what="Loading profiles" /> : null}
      {res.loading && !res.data ? <Loading /> : null}
      {res.data && !items.length ? <Empty>No profiles match.</Empty> : null}
      {items.length ? (
        <table className="list">
          <thead><tr><th>Name</th><th>Type</th><th>Aliases</th><th>Targets</th><th>Origin</th><th>TTPs</th></tr></thead>
          <tbody>
            {items.map((p) => (
              <tr key={p.id}>
                <td><Link to={`/intel/profiles/${encodeURIComponent(p.id)}`}>{p.title}</Link></td>
                <td>{p.kind}</td>
                <td>{(p.aliases ?? []).join(', ')}</td>
                <td>{(p.targets ?? []).join(', ')}</td>
                <td>{(p.countriesOrRegionsOfOrigin ?? []).join(', ') || '—'}</td>
                <td>{p.ttps?.length ?? 0}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Page>
  );
}
