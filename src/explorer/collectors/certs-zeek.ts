/**
 * Certificates from Zeek: `x509.log` gives the certificates (fingerprint = SHA-256 in current Zeek, subject,
 * issuer, validity, SANs); `ssl.log` ties them to servers (`id.resp_h`, `id.resp_p`, SNI `server_name`) by
 * the first fingerprint of `cert_chain_fps` — both the address and the SNI name become host↔certificate links.
 */
import type { Store } from '../../store/store.js';
import { dnAttr } from '../certificates.js';
import { datasets } from '../datasets.js';
import { normaliseHost } from '../hostnames.js';
import { mergeMany, type MergeResult } from '../merge.js';
import type { EdgeAgg } from './pdns-aggregate.js';
import { readZeekLog, zeekList, zeekTimeMicros, type ZeekLogMeta } from './zeek-tsv.js';

export async function collectZeekCertificates(store: Store, files: { x509?: string; ssl?: string }): Promise<MergeResult[]> {
  const certs = new Map<string, Record<string, unknown>>();
  if (files.x509) {
    const meta: ZeekLogMeta = { fields: [], setSeparator: ',' };
    for await (const r of readZeekLog(files.x509, meta)) {
      const fp = r['fingerprint']?.toLowerCase();
      if (!fp || !r['ts']) continue;
      const ts = zeekTimeMicros(r['ts']);
      const prev = certs.get(fp);
      if (prev) {
        if (ts < (prev['FirstSeen'] as bigint)) prev['FirstSeen'] = ts;
        if (ts > (prev['LastSeen'] as bigint)) prev['LastSeen'] = ts;
        prev['SeenCount'] = (prev['SeenCount'] as number) + 1;
        continue;
      }
      const subject = r['certificate.subject'] ?? '';
      const issuer = r['certificate.issuer'] ?? '';
      const time = (v: string | null | undefined) => (v ? new Date(Number(zeekTimeMicros(v) / 1000n)) : null);
      certs.set(fp, {
        Fingerprint: fp, Sha1: fp.length === 40 ? fp : null, Sha256: fp.length === 64 ? fp : null, SerialNumber: r['certificate.serial']?.toLowerCase() ?? null,
        Subject: subject, SubjectCommonName: dnAttr(subject, 'CN'), SubjectOrganization: dnAttr(subject, 'O'), Issuer: issuer,
        IssuerCommonName: dnAttr(issuer, 'CN'), IssuerOrganization: dnAttr(issuer, 'O'),
        AlternativeNames: [...zeekList(r['san.dns'], meta.setSeparator), ...zeekList(r['san.ip'], meta.setSeparator)],
        IssuedAt: time(r['certificate.not_valid_before']), ExpiresAt: time(r['certificate.not_valid_after']),
        SelfSigned: subject !== '' && subject === issuer, SslVersion: null, FirstSeen: ts, LastSeen: ts, SeenCount: 1, Source: 'zeek-x509',
      });
    }
  }
  const links = new Map<string, EdgeAgg & { host: string; fp: string; port: number }>();
  if (files.ssl) {
    const meta: ZeekLogMeta = { fields: [], setSeparator: ',' };
    for await (const r of readZeekLog(files.ssl, meta)) {
      const fp = zeekList(r['cert_chain_fps'], meta.setSeparator)[0]?.toLowerCase();
      if (!fp || !r['ts']) continue;
      const ts = zeekTimeMicros(r['ts']);
      const port = Number(r['id.resp_p'] ?? 0);
      for (const host of [normaliseHost(r['id.resp_h']), normaliseHost(r['server_name'])]) {
        if (!host) continue;
        const k = `${host} ${fp} ${port}`;
        const e = links.get(k);
        if (!e) links.set(k, { host, fp, port, first: ts, last: ts, count: 1 });
        else {
          if (ts < e.first) e.first = ts;
          if (ts > e.last) e.last = ts;
          e.count++;
        }
      }
    }
  }
  return mergeMany(store, [
    { spec: datasets.certificates, rows: [...certs.values()] },
    {
      spec: datasets.hostCertificates,
      rows: [...links.values()].map((l) => ({ Host: l.host, Fingerprint: l.fp, Port: l.port, FirstSeen: l.first, LastSeen: l.last, SeenCount: l.count, Source: 'zeek-ssl' })),
    },
  ]);
}
