/**
 * The portal: checks the session, shows the login page or the shell (navigation + the page for the
 * current path). Pages are code-split so the first load stays small; the hunting page brings Monaco.
 */
import { lazy, Suspense, useCallback, useEffect, useMemo, useState, type ComponentType } from 'react';
import { api, ApiError, setCsrfToken, setUnauthorizedHandler } from './lib/api';
import { matchPath, navigate, useLocation } from './lib/router';
import { SessionContext, type Me, type SessionValue } from './lib/session';
import { Shell } from './components/shell';
import { ErrorView, Loading } from './components/states';
import { LoginPage } from './pages/login';

type PageProps = { params: Record<string, string>; query: URLSearchParams };
const page = (load: () => Promise<{ default: ComponentType<PageProps> }>) => lazy(load);

const routes: { path: string; component: ComponentType<PageProps> }[] = [
  { path: '/', component: page(() => import('./pages/dashboard')) },
  { path: '/intel/profiles', component: page(() => import('./pages/intel-profiles')) },
  { path: '/intel/profiles/:id', component: page(() => import('./pages/intel-profile')) },
  { path: '/intel/articles', component: page(() => import('./pages/intel-articles')) },
  { path: '/intel/articles/:id', component: page(() => import('./pages/intel-article')) },
  { path: '/intel/explorer', component: page(() => import('./pages/explorer-home')) },
  { path: '/intel/explorer/:artifact', component: page(() => import('./pages/explorer-artifact')) },
  { path: '/hunting', component: page(() => import('./pages/hunting')) },
  { path: '/rules', component: page(() => import('./pages/rules')) },
  { path: '/rules/:id', component: page(() => import('./pages/rule')) },
  { path: '/incidents', component: page(() => import('./pages/incidents')) },
  { path: '/incidents/:id', component: page(() => import('./pages/incident')) },
  { path: '/connectors', component: page(() => import('./pages/connectors')) },
  { path: '/storage', component: page(() => import('./pages/storage')) },
  { path: '/settings', component: page(() => import('./pages/settings')) },
];

function storedTheme(): 'light' | 'dark' {
  const t = localStorage.getItem('quarry.theme');
  if (t === 'light' || t === 'dark') return t;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function App() {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [bootError, setBootError] = useState<unknown>();
  const [theme, setThemeState] = useState<'light' | 'dark'>(storedTheme);
  const loc = useLocation();

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    localStorage.setItem('quarry.theme', theme);
  }, [theme]);

  useEffect(() => {
    setUnauthorizedHandler(() => setMe(null));
    api<Me>('/api/auth/me').then(
      (m) => {
        setCsrfToken(m.csrfToken);
        setMe(m);
      },
      (e: unknown) => (e instanceof ApiError && e.status === 401 ? setMe(null) : setBootError(e)),
    );
  }, []);

  const logout = useCallback(async () => {
    await api('/api/auth/logout', { method: 'POST', body: {} }).catch(() => undefined);
    setCsrfToken(undefined);
    setMe(null);
    navigate('/login', { replace: true });
  }, []);

  const session = useMemo<SessionValue | null>(() => (me ? { me, theme, setTheme: setThemeState, logout } : null), [me, theme, logout]);

  if (bootError) return <div className="page"><ErrorView error={bootError} what="Contacting the Quarry server" /></div>;
  if (me === undefined) return <Loading label="Starting…" />;
  if (me === null || !session) {
    return (
      <LoginPage
        onSignedIn={(m) => {
          setCsrfToken(m.csrfToken);
          setMe(m);
          const next = loc.query.get('next');
          if (loc.path === '/login') navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
        }}
      />
    );
  }

  let found: { C: ComponentType<PageProps>; params: Record<string, string> } | undefined;
  const path = loc.path === '/login' ? '/' : loc.path.replace(/\/+$/, '') || '/';
  for (const r of routes) {
    const params = matchPath(r.path, path);
    if (params) {
      found = { C: r.component, params: Object.fromEntries(Object.entries(params).map(([k, v]) => [k, decodeURIComponent(v)])) };
      break;
    }
  }
  return (
    <SessionContext.Provider value={session}>
      <Shell path={path}>
        <Suspense fallback={<Loading />}>
          {found ? <found.C key={path} params={found.params} query={loc.query} /> : (
            <div className="page"><h1>Not found</h1><p>No page at <code>{loc.path}</code>.</p></div>
          )}
        </Suspense>
      </Shell>
    </SessionContext.Provider>
  );
}
