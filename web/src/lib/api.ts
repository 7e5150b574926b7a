/**
 * The portal's only door to Quarry: `fetch` against the HTTP API (same origin, session cookie).
 * Writes carry the CSRF token returned by login / `GET /api/auth/me`. Errors become `ApiError` with the
 * API's `{code, message, line?, column?, hints?}` body, so pages can show them in words.
 */
export interface ApiErrorBody {
  readonly code: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
  readonly hints?: readonly string[];
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly body: ApiErrorBody, readonly route: string) {
    super(body.message);
  }
  get code(): string {
    return this.body.code;
  }
  /** The route itself does not exist on this server (a feature not built or not mounted yet). */
  get routeMissing(): boolean {
    return this.status === 404 && this.body.code === 'api/not-found' && /^no route for /.test(this.body.message);
  }
}

let csrfToken: string | undefined;
export function setCsrfToken(t: string | undefined): void {
  csrfToken = t;
}

let onUnauthorized: (() => void) | undefined;
export function setUnauthorizedHandler(fn: () => void): void {
  onUnauthorized = fn;
}

export interface RequestOptions {
  readonly method?: string;
  readonly body?: unknown;
  /** Raw body (CSV upload): sent as is with `contentType`. */
  readonly raw?: BodyInit;
  readonly contentType?: string;
  readonly signal?: AbortSignal;
  readonly headers?: Record<string, string>;
}

async function errorOf(res: Response, route: string): Promise<ApiError> {
  let body: ApiErrorBody = { code: `http/${res.status}`, message: `${res.status} ${res.statusText}` };
  try {
    const j = (await res.json()) as Partial<ApiErrorBody> & { error?: ApiErrorBody };
    const e = j.code ? j : j.error;
    if (e && typeof e.code === 'string') body = { ...e, code: e.code, message: e.message ?? body.message } as ApiErrorBody;
  } catch {
    /* not JSON: keep the status line */
  }
  return new ApiError(res.status, body, route);
}

export async function request(path: string, opts: RequestOptions = {}): Promise<Response> {
  const method = opts.method ?? (opts.body !== undefined || opts.raw !== undefined ? 'POST' : 'GET');
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  let body: BodyInit | undefined;
  if (opts.raw !== undefined) {
    body = opts.raw;
    if (opts.contentType) headers['content-type'] = opts.contentType;
  } else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] = 'application/json';
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const res = await fetch(path, { method, headers, body, credentials: 'same-origin', signal: opts.signal });
  if (!res.ok) {
    const err = await errorOf(res, `${method} ${path.split('?')[0]}`);
    if (res.status === 401 && !path.startsWith('/api/auth/login')) onUnauthorized?.();
    throw err;
  }
  return res;
}

export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const res = await request(path, opts);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export async function apiText(path: string, opts: RequestOptions = {}): Promise<string> {
  return (await request(path, opts)).text();
}

export const qs = (params: Record<string, string | number | undefined | null>): string => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
};
