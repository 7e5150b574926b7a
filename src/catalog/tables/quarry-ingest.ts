/**
 * Event tables that ingest fills from Zeek and that neither Defender nor Sentinel publishes as such:
 * - `NetworkSession`: network sessions (Zeek `conn.log`), columns named as the ASIM NetworkSession schema
 *   names them (`SrcIpAddr`, `DstPortNumber`, `NetworkDuration`, …) so hunting content written against ASIM
 *   reads it with the names it expects. Chosen over `CommonSecurityLog` (CEF) because CEF has no per-direction
 *   packet counters, no duration and no session id, and would bury Zeek's connection state in free-text fields.
 * - `ZeekSsl` (`ssl.log`) and `ZeekX509` (`x509.log`): TLS handshakes and certificates, kept for the Intel
 *   Explorer certificate data sets. Column names are the Zeek field names in PascalCase (`certificate.not_valid_after`
 *   → `CertificateNotValidAfter`), with the connection 4-tuple named as in NetworkSession.
 * Fields a Zeek deployment adds beyond these columns land in `AdditionalFields`.
 */
import { columns, entities } from '../column-spec.js';
import type { TableDef } from '../types.js';

const workspace = 'TenantId SourceSystem Type';

export const NetworkSession: TableDef = {
  name: 'NetworkSession',
  origin: 'quarry',
  category: 'event',
  description: 'Network sessions (flows) from network sensors such as Zeek conn.log, in ASIM NetworkSession column names.',
  timeColumn: 'TimeGenerated',
  columns: columns(`
    TimeGenerated:datetime EventStartTime:datetime EventEndTime:datetime EventCount:int EventType EventResult
    EventOriginalResultDetails EventProduct EventVendor NetworkSessionId SrcIpAddr SrcPortNumber:int DstIpAddr
    DstPortNumber:int NetworkProtocol NetworkApplicationProtocol NetworkDirection NetworkDuration:int SrcBytes:long
    DstBytes:long SrcPackets:long DstPackets:long NetworkBytes:long NetworkPackets:long Dvc AdditionalFields:dynamic
    ${workspace}
  `),
  entityColumns: [...entities('ip', 'SrcIpAddr', 'DstIpAddr'), ...entities('host', 'Dvc')],
};

export const ZeekSsl: TableDef = {
  name: 'ZeekSsl',
  origin: 'quarry',
  category: 'event',
  description: 'TLS/SSL handshakes seen by Zeek (ssl.log): version, cipher, server name, certificate chain fingerprints.',
  timeColumn: 'TimeGenerated',
  columns: columns(`
    TimeGenerated:datetime Uid SrcIpAddr SrcPortNumber:int DstIpAddr DstPortNumber:int Version Cipher Curve ServerName
    Resumed:bool LastAlert NextProtocol Established:bool SslHistory CertChainFps:dynamic ClientCertChainFps:dynamic
    SniMatchesCert:bool ValidationStatus AdditionalFields:dynamic ${workspace}
  `),
  entityColumns: [...entities('ip', 'SrcIpAddr', 'DstIpAddr'), ...entities('domain', 'ServerName')],
};

export const ZeekX509: TableDef = {
  name: 'ZeekX509',
  origin: 'quarry',
  category: 'event',
  description: 'X.509 certificates seen by Zeek (x509.log): fingerprint, subject, issuer, validity, SANs.',
  timeColumn: 'TimeGenerated',
  columns: columns(`
    TimeGenerated:datetime Fingerprint CertificateVersion:int CertificateSerial CertificateSubject CertificateIssuer
    CertificateNotValidBefore:datetime CertificateNotValidAfter:datetime CertificateKeyAlg CertificateSigAlg
    CertificateKeyType CertificateKeyLength:int CertificateExponent CertificateCurve SanDns:dynamic SanUri:dynamic
    SanEmail:dynamic SanIp:dynamic BasicConstraintsCa:bool BasicConstraintsPathLen:int HostCert:bool ClientCert:bool
    AdditionalFields:dynamic ${workspace}
  `),
  entityColumns: [...entities('sha256', 'Fingerprint')],
};

export const quarryIngestTables: readonly TableDef[] = [NetworkSession, ZeekSsl, ZeekX509];
