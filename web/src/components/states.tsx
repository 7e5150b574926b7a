/** Loading, empty, error and "not available" states, the same on every page. */
import type { ReactNode } from 'react';
import { ApiError } from '../lib/api';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {label}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="state empty">{children}</div>;
}

export function ErrorView({ error, what }: { error: unknown; what?: string }) {
  if (error instanceof ApiError && error.routeMissing) {
    return (
      <div className="state not-available" role="alert" data-testid="not-available">
        <strong>Not available on this server.</strong> {what ? `${what}: ` : ''}the route <code>{error.route}</code> does not exist
        yet (the feature behind it is not built or not mounted).
      </div>
    );
  }
  const e = error as Partial<ApiError> & { message?: string };
  return (
    <div className="state error" role="alert">
      <strong>{what ? `${what} failed` : 'Something went wrong'}:</strong> {e.message ?? String(error)}
      {e instanceof ApiError && e.body.hints?.length ? (
        <ul className="hints">{e.body.hints.map((h) => <li key={h}>{h}</li>)}</ul>
      ) : null}
      {e instanceof ApiError ? <div className="muted small">code {e.code}</div> : null}
    </div>
  );
}

export function Page({ title, actions, children, subtitle }: { title: ReactNode; actions?: ReactNode; children: ReactNode; subtitle?: ReactNode }) {
  return (
    <section className="page">
      <header className="page-head">
        <div>
          <h1>{title}</h1>
          {subtitle ? <div className="subtitle">{subtitle}</div> : null}
        </div>
        {actions ? <div className="actions">{actions}</div> : null}
      </header>
      {children}
    </section>
  );
}

export function Badge({ tone, children }: { tone?: string; children: ReactNode }) {
  return <span className={`badge ${tone ? `tone-${tone.toLowerCase()}` : ''}`}>{children}</span>;
}
