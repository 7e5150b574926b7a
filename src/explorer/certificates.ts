/**
 * Certificate rows from an X.509 certificate (crawler) or a Zeek x509.log record. The key (`Fingerprint`)
 * is the SHA-1 when known (MDTI's certificate id), else the SHA-256 (Zeek logs only carry that).
 */
import { createHash, type X509Certificate } from 'node:crypto';

/** `CN=a\nO=b` or `CN=a,O=b` → value of one attribute. */
export function dnAttr(dn: string, attr: string): string | null {
  for (const part of dn.split(/\n|,(?=\s*[A-Za-z]+=)/)) {
    const m = /^\s*([A-Za-z.]+)\s*=\s*(.*)$/.exec(part);
    if (m && m[1]!.toUpperCase() === attr.toUpperCase()) return m[2]!.replace(/\\,/g, ',').trim();
  }
  return null;
}

export function certificateRow(cert: X509Certificate, protocol: string, at: Date, source: string): Record<string, unknown> {
  const sha1 = createHash('sha1').update(cert.raw).digest('hex');
  const sha256 = createHash('sha256').update(cert.raw).digest('hex');
  const sans = (cert.subjectAltName ?? '').split(/,\s*/).filter(Boolean).map((s) => s.replace(/^(DNS|IP Address):/, ''));
  return {
    Fingerprint: sha1, Sha1: sha1, Sha256: sha256, SerialNumber: cert.serialNumber.toLowerCase(), Subject: cert.subject.replace(/\n/g, ', '),
    SubjectCommonName: dnAttr(cert.subject, 'CN'), SubjectOrganization: dnAttr(cert.subject, 'O'), Issuer: cert.issuer.replace(/\n/g, ', '),
    IssuerCommonName: dnAttr(cert.issuer, 'CN'), IssuerOrganization: dnAttr(cert.issuer, 'O'), AlternativeNames: sans,
    IssuedAt: new Date(cert.validFrom), ExpiresAt: new Date(cert.validTo), SelfSigned: cert.subject === cert.issuer && cert.checkIssued(cert),
    SslVersion: protocol || null, FirstSeen: at, LastSeen: at, SeenCount: 1, Source: source,
  };
}
