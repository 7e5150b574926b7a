/** Sign in: `POST /api/auth/login` sets the session cookie and returns the CSRF token for writes. */
import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../lib/api';
import type { Me } from '../lib/session';

export function LoginPage({ onSignedIn }: { onSignedIn(me: Me): void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      const r = await api<{ username: string; role: Me['role']; csrfToken: string }>('/api/auth/login', { body: { username, password } });
      onSignedIn({ username: r.username, role: r.role, csrfToken: r.csrfToken, credential: 'session' });
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? 'The user name or password is wrong.' : (err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="login">
      <form className="card" onSubmit={(e) => void submit(e)} aria-labelledby="login-title">
        <h1 id="login-title" className="brand"><span className="brand-mark" aria-hidden="true" /> Sign in to Quarry</h1>
        <label className="field">User name
          <input name="username" autoComplete="username" autoFocus required value={username} onChange={(e) => setUsername(e.target.value)} />
        </label>
        <label className="field">Password
          <input name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {error ? <div className="state error" role="alert">{error}</div> : null}
        <button className="primary" type="submit" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
        <p className="muted small">A demo server (<code>quarry serve --demo</code>) prints the <code>demo-admin</code> password once on its console.</p>
      </form>
    </div>
  );
}
