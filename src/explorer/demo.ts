/**
 * Explorer data for the demo's planted infrastructure (src/generate/plant.ts): the phishing-kit host
 * `dancevida.com` and its child hosts, the C2 domain and addresses — resolutions, host pairs, WHOIS,
 * a self-signed certificate, trackers, cookies, components, DNS, services — so `quarry serve --demo` can walk
 * the seed scenario (search dancevida.com → download Host pairs → externaldata hunt). Everything but the
 * blog's own domain sits in reserved space (RFC 2606 names, RFC 5737 addresses, RFC 5398 ASNs).
 * Deterministic; merging is idempotent (fixed batch ids), so loading twice changes nothing.
 */
import { createHash } from 'node:crypto';
import type { Store } from '../store/store.js';
import { datasets } from './datasets.js';
import { mergeMany, type MergeResult } from './merge.js';

const DAY = 86_400_000;

export function demoExplorerRows(end: Date): { spec: (typeof datasets)[keyof typeof datasets]; rows: Record<string, unknown>[] }[] {
  const t = (daysAgo: number) => new Date(Math.floor(end.getTime() / 3_600_000) * 3_600_000 - daysAgo * DAY);
  const seen = (first: number, last: number, count: number, source = 'quarry-demo') => ({ FirstSeen: t(first), LastSeen: t(last), SeenCount: count, Source: source });
  const net = (ip: string) =>
    ip.startsWith('203.0.113.')
      ? { Location: 'NL', Network: '203.0.113.0/24', Asn: 64500, AsnName: 'EXAMPLE-BULLETPROOF-HOSTING' }
      : { Location: 'SC', Network: '198.51.100.0/24', Asn: 64501, AsnName: 'EXAMPLE-CHEAP-VPS' };
  const a = (host: string, ip: string, first: number, last: number, n: number) => ({ Host: host, Resolve: ip, RecordType: 'A', ResolveKind: 'ip', ...net(ip), ...seen(first, last, n) });
  const pair = (p: string, c: string, cause: string, first: number, last: number, n: number) => ({ ParentHost: p, ChildHost: c, Cause: cause, ...seen(first, last, n, 'crawler') });
  const certRaw = 'quarry-demo-certificate-login.dancevida.com';
  const sha1 = createHash('sha1').update(certRaw).digest('hex');
  const sha256 = createHash('sha256').update(certRaw).digest('hex');
  const phish = ['dancevida.com', 'www.dancevida.com', 'login.dancevida.com', 'cdn.dancevida.com', 'mail.dancevida.com'];
  return [
    {
      spec: datasets.resolutions,
      rows: [
        a('dancevida.com', '203.0.113.77', 21, 1, 412), a('login.dancevida.com', '203.0.113.77', 20, 1, 388), a('cdn.dancevida.com', '198.51.100.23', 19, 2, 97),
        a('mail.dancevida.com', '198.51.100.23', 20, 3, 45), a('cdn-sync.example.net', '203.0.113.77', 30, 1, 1290), a('www.dancevida.com', '203.0.113.77', 21, 1, 120),
        { Host: 'www.dancevida.com', Resolve: 'dancevida.com', RecordType: 'CNAME', ResolveKind: 'domain', ...seen(21, 1, 120) },
      ],
    },
    {
      spec: datasets.hostPairs,
      rows: [
        pair('dancevida.com', 'login.dancevida.com', 'redirect', 20, 1, 64), pair('www.dancevida.com', 'dancevida.com', 'redirect', 20, 1, 31),
        pair('login.dancevida.com', 'login.dancevida.com', 'parentPage', 20, 1, 64), pair('login.dancevida.com', 'cdn.dancevida.com', 'script.src', 19, 1, 58),
        pair('login.dancevida.com', 'cdn-sync.example.net', 'xmlhttprequest', 18, 1, 40), pair('login.dancevida.com', 'cdn.dancevida.com', 'img.src', 19, 1, 58),
        pair('cdn.dancevida.com', 'cdn-sync.example.net', 'script.src', 18, 2, 22), pair('mail.dancevida.com', 'login.dancevida.com', 'a.href', 17, 3, 12),
        pair('login.dancevida.com', 'cdn.dancevida.com', 'link.href', 19, 1, 58), pair('dancevida.com', 'login.dancevida.com', 'finalRedirect', 20, 1, 64),
      ],
    },
    {
      spec: datasets.whois,
      rows: [
        {
          Domain: 'dancevida.com', SnapshotId: 'demo-current', Registrar: 'Example Registrar, LLC', WhoisServer: 'whois.registrar.example',
          Created: t(22), Updated: t(22), Expires: t(22 - 365), DomainStatus: 'clientTransferProhibited', NameServers: ['ns1.parked-dns.example', 'ns2.parked-dns.example'],
          Contacts: { registrant: { organization: 'Privacy Protect', email: 'accounts@billing-notice.example.org', country: 'PA' } },
          RegistrantName: null, RegistrantOrganization: 'Privacy Protect', RegistrantEmail: 'accounts@billing-notice.example.org', Emails: 'accounts@billing-notice.example.org',
          RawText: 'Domain Name: DANCEVIDA.COM\nRegistrar: Example Registrar, LLC\nCreation Date: (demo)\nName Server: NS1.PARKED-DNS.EXAMPLE\nName Server: NS2.PARKED-DNS.EXAMPLE\n',
          ...seen(22, 1, 3, 'whois'),
        },
      ],
    },
    {
      spec: datasets.certificates,
      rows: [
        {
          Fingerprint: sha1, Sha1: sha1, Sha256: sha256, SerialNumber: '01', Subject: 'CN=login.dancevida.com', SubjectCommonName: 'login.dancevida.com',
          SubjectOrganization: null, Issuer: 'CN=login.dancevida.com', IssuerCommonName: 'login.dancevida.com', IssuerOrganization: null,
          AlternativeNames: ['login.dancevida.com', 'dancevida.com'], IssuedAt: t(21), ExpiresAt: t(21 - 90), SelfSigned: true, SslVersion: 'TLSv1.2', ...seen(20, 1, 64, 'crawler'),
        },
      ],
    },
    {
      spec: datasets.hostCertificates,
      rows: ['login.dancevida.com', 'dancevida.com', '203.0.113.77'].map((h) => ({ Host: h, Fingerprint: sha1, Port: 443, ...seen(20, 1, 64, 'crawler') })),
    },
    { spec: datasets.subdomains, rows: phish.slice(1).map((h) => ({ Domain: 'dancevida.com', Hostname: h, ...seen(21, 1, 10) })) },
    { spec: datasets.trackers, rows: [{ Host: 'login.dancevida.com', TrackerType: 'GoogleAnalyticsID', Value: 'UA-20230503-1', ...seen(19, 1, 58, 'crawler') }] },
    {
      spec: datasets.components,
      rows: [
        { Host: 'login.dancevida.com', Category: 'Server', Name: 'nginx', Version: '1.18.0', ...seen(20, 1, 64, 'crawler') },
        { Host: 'login.dancevida.com', Category: 'Framework', Name: 'PHP', Version: '7.4.3', ...seen(20, 1, 64, 'crawler') },
      ],
    },
    { spec: datasets.cookies, rows: [{ Host: 'login.dancevida.com', CookieName: 'PHPSESSID', CookieDomain: 'login.dancevida.com', ...seen(20, 1, 64, 'crawler') }] },
    {
      spec: datasets.dns,
      rows: [
        { Host: 'dancevida.com', RecordType: 'NS', Value: 'ns1.parked-dns.example', ...seen(22, 1, 20) },
        { Host: 'dancevida.com', RecordType: 'NS', Value: 'ns2.parked-dns.example', ...seen(22, 1, 20) },
        { Host: 'dancevida.com', RecordType: 'MX', Value: 'mail.dancevida.com', ...seen(21, 1, 15) },
      ],
    },
    { spec: datasets.reverseDns, rows: [{ Address: '203.0.113.77', RecordType: 'PTR', Value: 'vps-77.bulletproof.example', ...seen(40, 1, 33) }] },
    {
      spec: datasets.services,
      rows: [
        { Address: '203.0.113.77', Port: 443, Protocol: 'tcp', Status: 'open', Banner: 'HTTP/1.1 200 OK\r\nServer: nginx/1.18.0', ScanProtocol: 'https', Component: 'nginx 1.18.0', ...seen(30, 1, 15) },
        { Address: '203.0.113.77', Port: 22, Protocol: 'tcp', Status: 'open', Banner: 'SSH-2.0-OpenSSH_8.2p1', ScanProtocol: 'ssh', Component: 'OpenSSH 8.2p1', ...seen(30, 1, 15) },
      ],
    },
    { spec: datasets.tags, rows: [{ Artifact: 'dancevida.com', ArtifactKind: 'domain', Tag: 'phishing', CreatedBy: 'quarry-demo', CreatedAt: t(2) }] },
  ];
}

/** Loads the demo Explorer data (idempotent). */
export async function loadDemoExplorer(store: Store, opts: { end?: Date } = {}): Promise<MergeResult[]> {
  const parts = demoExplorerRows(opts.end ?? new Date());
  return mergeMany(store, parts.map((p) => ({ ...p, batchId: `quarry-demo:${p.spec.name}` })));
}
