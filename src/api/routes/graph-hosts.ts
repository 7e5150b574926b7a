/**
 * Graph-compatible Intel Explorer routes under `/v1.0/security/threatIntelligence` (shared/reference/mdti.md
 * §2.2): `hosts/{id}`, `hosts/{id}/{navigation}` (passiveDns, passiveDnsReverse, hostPairs, parentHostPairs,
 * childHostPairs, components, cookies, trackers, ports, sslCertificates, subdomains, whois, reputation), the
 * `/$count` segment, and the top-level `hostPairs/{id}`, `passiveDnsRecords/{id}`, `whoisRecords/{id}`,
 * `sslCertificates/{id}`, `subdomains/{id}`, `hostComponents|hostCookies|hostTrackers|hostPorts/{id}` by id.
 * Collections take `$top/$skip/$filter/$orderby/$select/$count` and page with `@odata.nextLink`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { QuarryError } from '../../core/errors.js';
import { decodeGraphId, graphHost, graphReputation, graphWhois, hostNavigations, navigationNames, toGraph } from '../../explorer/graph-shapes.js';
import { normaliseHost } from '../../explorer/hostnames.js';
import type { Store } from '../../store/store.js';
import { odataPage, parseODataQuery } from '../odata.js';

const BASE = '/v1.0/security/threatIntelligence';
const CTX = 'https://graph.microsoft.com/v1.0/$metadata#security/threatIntelligence';
type Q = Record<string, string>;

function baseUrl(req: FastifyRequest): string {
  return `${req.protocol}://${req.host}${req.url.split('?')[0]}`;
}

/** `contoso.com` or `'contoso.com'` (Graph's key syntax) → host. */
function hostParam(id: string): string {
  return normaliseHost(decodeURIComponent(id).replace(/^'(.*)'$/, '$1'));
}

async function navigation(store: Store, host: string, nav: string) {
  const fn = hostNavigations[nav];
  if (!fn) throw new QuarryError('api/not-found', `hosts/{id}/${nav} is not a navigation of host`, { hints: [`navigations: ${navigationNames.join(', ')}`] });
  return fn(store, host);
}

const orderable = ['firstSeenDateTime', 'lastSeenDateTime'];

export function registerGraphHostRoutes(app: FastifyInstance, store: Store): void {
  app.get<{ Params: { id: string } }>(`${BASE}/hosts/:id`, async (req) => ({
    '@odata.context': `${CTX}/hosts/$entity`, ...(await graphHost(store, hostParam(req.params.id))),
  }));

  app.get<{ Params: { id: string; nav: string }; Querystring: Q }>(`${BASE}/hosts/:id/:nav`, async (req) => {
    const host = hostParam(req.params.id);
    if (req.params.nav === 'reputation') return { '@odata.context': `${CTX}/hosts('${host}')/reputation/$entity`, ...(await graphReputation(store, host)) };
    if (req.params.nav === 'whois') return { '@odata.context': `${CTX}/hosts('${host}')/whois/$entity`, ...(await graphWhois(store, host)) };
    const q = parseODataQuery(req.query, { maxTop: 1000 });
    const items = await navigation(store, host, req.params.nav);
    return odataPage(items, q, { baseUrl: baseUrl(req), params: req.query, context: `${CTX}/hosts('${host}')/${req.params.nav}`, orderable });
  });

  app.get<{ Params: { id: string; nav: string }; Querystring: Q }>(`${BASE}/hosts/:id/:nav/$count`, async (req, reply) => {
    const q = parseODataQuery(req.query);
    const items = await navigation(store, hostParam(req.params.id), req.params.nav);
    const page = odataPage(items, { ...q, count: true, skip: 0 }, { baseUrl: baseUrl(req), params: {} });
    return reply.header('content-type', 'text/plain').send(String(page['@odata.count']));
  });

  // Top-level entities by their composite id.
  const byId: Record<string, (parts: string[]) => Promise<Record<string, unknown> | undefined>> = {
    hostPairs: async ([cause, parent, child]) =>
      (await navigation(store, parent ?? '', 'childHostPairs')).find((p) => p['linkKind'] === cause && (p['childHost'] as { id: string }).id === child),
    passiveDnsRecords: async ([host, resolve]) => (await navigation(store, host ?? '', 'passiveDns')).find((p) => (p['artifact'] as { id: string }).id === resolve),
    hostComponents: async ([host, ...rest]) => (await navigation(store, host ?? '', 'components')).find((c) => decodeGraphId(String(c['id'])).slice(1).join('$$') === rest.join('$$')),
    hostCookies: async ([host, ...rest]) => (await navigation(store, host ?? '', 'cookies')).find((c) => decodeGraphId(String(c['id'])).slice(1).join('$$') === rest.join('$$')),
    hostTrackers: async ([host, ...rest]) => (await navigation(store, host ?? '', 'trackers')).find((c) => decodeGraphId(String(c['id'])).slice(1).join('$$') === rest.join('$$')),
    hostPorts: async ([host, port, proto]) => (await navigation(store, host ?? '', 'ports')).find((p) => String(p['port']) === port && p['protocol'] === proto),
    hostSslCertificates: async ([host, fp]) => (await navigation(store, host ?? '', 'sslCertificates')).find((c) => decodeGraphId(String(c['id']))[1] === fp),
    subdomains: async ([host]) => (await navigation(store, host ?? '', 'subdomains')).find((s) => (s['host'] as { id: string }).id === host),
    whoisRecords: async ([domain, snapshot]) => {
      const w = await graphWhois(store, domain ?? '');
      const all = [w, ...((w['history'] as Record<string, unknown>[]) ?? [])];
      return all.find((x) => decodeGraphId(String(x['id']))[1] === snapshot);
    },
    sslCertificates: async ([fp]) => {
      const r = await store.query('SELECT * FROM ExplorerCertificates WHERE Fingerprint = $1 OR Sha1 = $1 OR Sha256 = $1 LIMIT 1', { params: [fp ?? ''] });
      const row = r.rows[0];
      return row ? toGraph.sslCertificate(Object.fromEntries(r.columns.map((c, i) => [c.name, row[i]]))) : undefined;
    },
  };
  // One explicit route per collection, so other Graph routes under the same prefix stay unambiguous.
  for (const [kind, find] of Object.entries(byId)) {
    app.get<{ Params: { id: string } }>(`${BASE}/${kind}/:id`, async (req) => {
      const found = await find(decodeGraphId(decodeURIComponent(req.params.id)));
      if (!found) throw new QuarryError('core/not-found', `no ${kind} with id '${req.params.id}'`);
      return { '@odata.context': `${CTX}/${kind}/$entity`, ...found };
    });
  }
}
