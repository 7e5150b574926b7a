/** Navigation as in the seed: Threat intelligence, Hunting, Incidents & alerts, connectors, storage, settings. */
import { useEffect, type ReactNode } from 'react';
import { Link } from '../lib/router';
import { useSession } from '../lib/session';

const NAV: { title: string; items: { to: string; label: string }[] }[] = [
  { title: 'Threat intelligence', items: [
    { to: '/', label: 'Threat analytics' },
    { to: '/intel/profiles', label: 'Intel profiles' },
    { to: '/intel/articles', label: 'Intel articles' },
    { to: '/intel/explorer', label: 'Intel explorer' },
  ] },
  { title: 'Hunting', items: [
    { to: '/hunting', label: 'Advanced hunting' },
    { to: '/rules', label: 'Custom detection rules' },
  ] },
  { title: 'Investigation', items: [{ to: '/incidents', label: 'Incidents & alerts' }] },
  { title: 'System', items: [
    { to: '/connectors', label: 'Data connectors' },
    { to: '/storage', label: 'Storage' },
    { to: '/settings', label: 'Settings' },
  ] },
];

function active(to: string, path: string): boolean {
  return to === '/' ? path === '/' : path === to || path.startsWith(`${to}/`);
}

export function Shell({ path, children }: { path: string; children: ReactNode }) {
  const { me, theme, setTheme, logout } = useSession();
  useEffect(() => {
    const label = NAV.flatMap((g) => g.items).filter((i) => active(i.to, path)).pop()?.label;
    document.title = label ? `${label} · Quarry` : 'Quarry';
  }, [path]);
  return (
    <div className="shell">
      <a className="skip" href="#main">Skip to content</a>
      <header className="topbar">
        <Link to="/" className="brand"><span className="brand-mark" aria-hidden="true" /> Quarry</Link>
        <span className="spacer" />
        <button type="button" onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')} aria-label="Switch theme" title="Switch theme">
          {theme === 'dark' ? '☀ Light' : '☾ Dark'}
        </button>
        <span className="muted" data-testid="signed-in-as">{me.username} · {me.role}</span>
        <button type="button" onClick={() => void logout()}>Sign out</button>
      </header>
      <nav className="nav" aria-label="Main">
        {NAV.map((g) => (
          <div key={g.title}>
            <h2>{g.title}</h2>
            {g.items.map((i) => (
              <Link key={i.to} to={i.to} aria-current={active(i.to, path) ? 'page' : undefined}>{i.label}</Link>
            ))}
          </div>
        ))}
      </nav>
      <main className="main" id="main" tabIndex={-1}>{children}</main>
    </div>
  );
}
