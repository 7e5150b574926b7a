/**
 * `/api/docs`: the OpenAPI document as a plain HTML page rendered on the server (no scripts, no external
 * assets, so the strict CSP holds): an introduction to authentication and one entry per operation with
 * its method, path, who may call it and its request body schema.
 */
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

interface Op {
  summary?: string;
  description?: string;
  tags?: string[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  'x-quarry-auth'?: { mode: string; role?: string; scope?: string };
}

function who(a: Op['x-quarry-auth']): string {
  if (!a) return '';
  if (a.mode === 'public') return 'public';
  if (a.mode === 'taxii') return 'TAXII client credentials (route-specific)';
  const base = `role ${a.role}, token scope ${a.scope}`;
  return a.mode === 'sas' ? `SAS signature, or ${base}` : base;
}

export function renderDocsHtml(doc: { info: { title: string; version: string }; paths: Record<string, Record<string, Op>> }): string {
  const byTag = new Map<string, string[]>();
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const tag = op.tags?.[0] ?? 'other';
      const body = op.requestBody ? Object.entries(op.requestBody.content)[0] : undefined;
      const entry = [
        `<section id="${esc(method + path)}"><h3><code>${esc(method.toUpperCase())} ${esc(path)}</code></h3>`,
        `<p>${esc(op.summary ?? '')}</p>`,
        op.description ? `<p>${esc(op.description)}</p>` : '',
        `<p><strong>Access:</strong> ${esc(who(op['x-quarry-auth']))}</p>`,
        body ? `<details><summary>Request body (${esc(body[0])})</summary><pre>${esc(JSON.stringify(body[1].schema, null, 2))}</pre></details>` : '',
        '</section>',
      ].join('\n');
      byTag.set(tag, [...(byTag.get(tag) ?? []), entry]);
    }
  }
  const tags = [...byTag.keys()].sort();
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(doc.info.title)} ${esc(doc.info.version)}</title></head>
<body>
<h1>${esc(doc.info.title)} <small>${esc(doc.info.version)}</small></h1>
<p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1).</p>
<h2>Authentication</h2>
<ul>
<li><strong>API tokens</strong>: <code>Authorization: Bearer qtk_…</code>. Create one with <code>quarry tokens create --user NAME --name NAME [--role R] [--scopes hunt,intel:read] [--expires P90D]</code>, or <code>POST /api/auth/tokens</code>. The secret is shown once.</li>
<li><strong>Portal sessions</strong>: <code>POST /api/auth/login</code> sets an HttpOnly <code>quarry_session</code> cookie and returns a <code>csrfToken</code>; every non-GET request with the cookie must send it as <code>x-csrf-token</code>.</li>
<li><strong>Roles</strong>: reader (read, hunt), analyst (also write intel, rules, incidents, storage), admin (also users, tokens, audit).</li>
<li>Errors are <code>{"code","message","details"?}</code> (plus <code>line</code>/<code>column</code> for query errors); under <code>/v1.0</code> they are also wrapped as Graph's <code>{"error":{…}}</code>. 401: no/invalid credentials; 403: role or scope; 429: rate or quota (see <code>Retry-After</code>).</li>
</ul>
<nav><h2>Areas</h2><ul>${tags.map((t) => `<li><a href="#tag-${esc(t)}">${esc(t)}</a></li>`).join('')}</ul></nav>
${tags.map((t) => `<h2 id="tag-${esc(t)}">${esc(t)}</h2>\n${byTag.get(t)!.join('\n')}`).join('\n')}
</body></html>
`;
}
