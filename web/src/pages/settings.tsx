/** Settings: appearance, your API tokens, and (admins) users. */
import { useState } from 'react';
import { api } from '../lib/api';
import { useApi } from '../lib/use-api';
import { useSession } from '../lib/session';
import { copyText, fmtDate } from '../lib/format';
import { Empty, ErrorView, Loading, Page } from '../components/states';

interface Token { id: string; name: string; role: string; scopes: string[]; createdAt?: string; expiresAt?: string | null; lastUsedAt?: string | null; revokedAt?: string | null }
interface User { id: string; username: string; role: string; disabled: boolean; createdAt?: string }

function Tokens() {
  const res = useApi<{ tokens: Token[] }>('/api/auth/tokens');
  const [name, setName] = useState('');
  const [expires, setExpires] = useState('P90D');
  const [readOnly, setReadOnly] = useState(false);
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<unknown>();
  const create = async () => {
    setError(undefined);
    try {
      const t = await api<{ token: string }>('/api/auth/tokens', { body: { name, ...(expires ? { expires } : {}), ...(readOnly ? { scopes: ['*:read'] } : {}) } });
      setSecret(t.token);
      setName('');
      res.reload();
    } catch (e) {
      setError(e);
    }
  };
  const revoke = async (id: string) => {
    if (!window.confirm('Revoke this token? Scripts using it stop working at once.')) return;
    await api(`/api/auth/tokens/${encodeURIComponent(id)}`, { method: 'DELETE' }).catch(setError);
    res.reload();
  };
  return (
    <div className="card stack">
      <h2>Your API tokens</h2>
      <form className="row" onSubmit={(e) => { e.preventDefault(); void create(); }}>
        <input placeholder="Token name" aria-label="Token name" value={name} onChange={(e) => setName(e.target.value)} />
        <label className="row small">Expires<select value={expires} onChange={(e) => setExpires(e.target.value)}><option value="P7D">7 days</option><option value="P30D">30 days</option><option value="P90D">90 days</option><option value="">never</option></select></label>
        <label className="row small"><input type="checkbox" checked={readOnly} onChange={(e) => setReadOnly(e.target.checked)} /> read-only</label>
        <button type="submit" className="primary" disabled={!name.trim()}>Create token</button>
      </form>
      {secret ? <div className="state" role="status"><strong>Copy the token now — it is shown only once:</strong><div className="sas">{secret}</div><button type="button" onClick={() => void copyText(secret)}>Copy</button></div> : null}
      {error ? <ErrorView error={error} what="Tokens" /> : null}
      {res.error ? <ErrorView error={res.error} what="Loading tokens" /> : !res.data ? <Loading /> : !res.data.tokens.length ? <Empty>No tokens.</Empty> : (
        <table className="list">
          <thead><tr><th>Name</th><th>Role</th><th>Scopes</th><th>Created</th><th>Expires</th><th>Last used</th><th></th></tr></thead>
          <tbody>{res.data.tokens.map((t) => (
            <tr key={t.id}><td>{t.name}</td><td>{t.role}</td><td>{t.scopes.join(' ')}</td><td className="small">{fmtDate(t.createdAt)}</td><td className="small">{t.expiresAt ? fmtDate(t.expiresAt) : 'never'}</td><td className="small">{fmtDate(t.lastUsedAt)}</td>
              <td>{t.revokedAt ? <span className="muted">revoked</span> : <button type="button" onClick={() => void revoke(t.id)}>Revoke</button>}</td></tr>
          ))}</tbody>
        </table>
      )}
    </div>
  );
}

function Users() {
  const res = useApi<{ users: User[] }>('/api/users');
  const [username, setUsername] = useState('');
  const [role, setRole] = useState('analyst');
  const [created, setCreated] = useState<{ username: string; password?: string } | null>(null);
  const [error, setError] = useState<unknown>();
  const run = async (fn: () => Promise<void>) => {
    setError(undefined);
    try {
      await fn();
      res.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div className="card stack">
      <h2>Users</h2>
      <form className="row" onSubmit={(e) => { e.preventDefault(); void run(async () => { setCreated(await api('/api/users', { body: { username, role } })); setUsername(''); }); }}>
        <input placeholder="User name" aria-label="New user name" value={username} onChange={(e) => setUsername(e.target.value)} />
        <select value={role} onChange={(e) => setRole(e.target.value)} aria-label="Role">{['reader', 'analyst', 'admin'].map((r) => <option key={r}>{r}</option>)}</select>
        <button type="submit" className="primary" disabled={!username.trim()}>Add user</button>
      </form>
      {created?.password ? <div className="state" role="status">Password for <strong>{created.username}</strong> (shown once): <span className="sas">{created.password}</span></div> : null}
      {error ? <ErrorView error={error} what="Users" /> : null}
      {res.error ? <ErrorView error={res.error} what="Loading users" /> : !res.data ? <Loading /> : (
        <table className="list">
          <thead><tr><th>User</th><th>Role</th><th>Status</th><th>Created</th><th></th></tr></thead>
          <tbody>{res.data.users.map((u) => (
            <tr key={u.id}>
              <td>{u.username}</td>
              <td><select value={u.role} aria-label={`Role of ${u.username}`} onChange={(e) => void run(async () => void (await api(`/api/users/${encodeURIComponent(u.username)}`, { method: 'PATCH', body: { role: e.target.value } })))}>{['reader', 'analyst', 'admin'].map((r) => <option key={r}>{r}</option>)}</select></td>
              <td>{u.disabled ? 'disabled' : 'active'}</td>
              <td className="small">{fmtDate(u.createdAt)}</td>
              <td><button type="button" onClick={() => void run(async () => void (await api(`/api/users/${encodeURIComponent(u.username)}`, { method: 'PATCH', body: { disabled: !u.disabled } })))}>{u.disabled ? 'Enable' : 'Disable'}</button></td>
            </tr>
          ))}</tbody>
        </table>
      )}
    </div>
  );
}

export default function Settings() {
  const { me, theme, setTheme } = useSession();
  return (
    <Page title="Settings">
      <div className="stack">
        <div className="card">
          <h2>Appearance</h2>
          <div className="row">
            <label className="row"><input type="radio" name="theme" checked={theme === 'light'} onChange={() => setTheme('light')} /> Light</label>
            <label className="row"><input type="radio" name="theme" checked={theme === 'dark'} onChange={() => setTheme('dark')} /> Dark</label>
          </div>
          <p className="muted small">Signed in as {me.username} ({me.role}).</p>
        </div>
        <Tokens />
        {me.role === 'admin' ? <Users /> : null}
      </div>
    </Page>
  );
}
