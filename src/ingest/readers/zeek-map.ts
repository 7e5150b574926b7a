/**
 * Zeek log → Quarry table mapping, by log path.
 *
 * `dns` → `DnsEvents` (Sentinel's DNS table), one row per Zeek DNS transaction:
 * | DnsEvents | Zeek dns.log | note |
 * |---|---|---|
 * | TimeGenerated | ts | |
 * | ClientIP | id.orig_h | the resolver client |
 * | Computer | id.resp_h | the DNS server that answered (DnsEvents names the server host here) |
 * | Name | query | |
 * | QueryType | qtype_name | mnemonic as DnsEvents shows it (`A`, `AAAA`, `PTR`…); Zeek's `*` → `ANY`; a type Zeek has no name for → `TYPE<n>` (RFC 3597); unset → empty |
 * | IPAddresses | answers | every answer, comma-separated in answer order (addresses and CNAME/PTR targets) |
 * | ResultCode | rcode | numeric RCODE |
 * | Result | rcode_name | `NOERROR`, `NXDOMAIN`, … |
 * | SubType | — | `LookupQuery` |
 * | SourceSystem | — | `Zeek` |
 * The other dns.log fields (uid, ports, proto, trans_id, rtt, flags, TTLs) have no DnsEvents column and are dropped.
 *
 * `conn` → `NetworkSession` (ASIM names); `ssl` → `ZeekSsl`; `x509` → `ZeekX509` (Zeek names in PascalCase).
 * Fields without a column go to `AdditionalFields`. Other logs are rejected with a reason naming the path.
 */

export type ZeekMapped = { readonly table: string; readonly value: Record<string, unknown> } | { readonly error: string };

type Fields = Record<string, unknown>;

function dnsQueryType(name: unknown, code: unknown): string | undefined {
  if (typeof name === 'string' && name !== '' && name !== '-') return name === '*' ? 'ANY' : name;
  if (typeof code === 'number' || typeof code === 'bigint') return `TYPE${code}`;
  return undefined;
}

function mapDns(f: Fields): Fields {
  const answers = f.answers;
  return {
    TimeGenerated: f.ts,
    ClientIP: f['id.orig_h'],
    Computer: f['id.resp_h'],
    Name: f.query,
    QueryType: dnsQueryType(f.qtype_name, f.qtype),
    IPAddresses: Array.isArray(answers) ? answers.filter((a) => a !== null).join(',') : answers,
    ResultCode: f.rcode,
    Result: f.rcode_name,
    SubType: 'LookupQuery',
    SourceSystem: 'Zeek',
  };
}

/** `certificate.not_valid_after` → `CertificateNotValidAfter`. */
export function zeekColumnName(field: string): string {
  return field
    .split(/[._]/)
    .filter((p) => p !== '')
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join('');
}

const tuple: Record<string, string> = {
  'id.orig_h': 'SrcIpAddr',
  'id.orig_p': 'SrcPortNumber',
  'id.resp_h': 'DstIpAddr',
  'id.resp_p': 'DstPortNumber',
};

/** Renames every field to its column; the ones not in `columns` go to AdditionalFields. */
function byName(f: Fields, columns: ReadonlySet<string>): Fields {
  const out: Fields = { SourceSystem: 'Zeek' };
  const extra: Fields = {};
  for (const [k, v] of Object.entries(f)) {
    if (k === 'ts') {
      out.TimeGenerated = v;
      continue;
    }
    const col = tuple[k] ?? zeekColumnName(k);
    if (columns.has(col)) out[col] = v;
    else extra[k] = v;
  }
  if (Object.keys(extra).length > 0) out.AdditionalFields = extra;
  return out;
}

const sslColumns = new Set(
  'Uid SrcIpAddr SrcPortNumber DstIpAddr DstPortNumber Version Cipher Curve ServerName Resumed LastAlert NextProtocol Established SslHistory CertChainFps ClientCertChainFps SniMatchesCert ValidationStatus'.split(' '),
);
const x509Columns = new Set(
  'Fingerprint CertificateVersion CertificateSerial CertificateSubject CertificateIssuer CertificateNotValidBefore CertificateNotValidAfter CertificateKeyAlg CertificateSigAlg CertificateKeyType CertificateKeyLength CertificateExponent CertificateCurve SanDns SanUri SanEmail SanIp BasicConstraintsCa BasicConstraintsPathLen HostCert ClientCert'.split(' '),
);

const failedStates = new Set(['REJ', 'S0', 'RSTOS0', 'RSTRH', 'SH', 'SHR', 'OTH']);

function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined;
}

function mapConn(f: Fields): Fields {
  const known = new Set(['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'service', 'duration', 'orig_bytes', 'resp_bytes', 'conn_state', 'local_orig', 'local_resp', 'orig_pkts', 'resp_pkts']);
  const extra: Fields = {};
  for (const [k, v] of Object.entries(f)) if (!known.has(k)) extra[k] = v;
  const duration = num(f.duration);
  const start = f.ts;
  const end = typeof start === 'bigint' && duration !== undefined ? start + BigInt(Math.round(duration * 1e6)) : undefined;
  const srcBytes = num(f.orig_bytes), dstBytes = num(f.resp_bytes), srcPk = num(f.orig_pkts), dstPk = num(f.resp_pkts);
  const state = typeof f.conn_state === 'string' ? f.conn_state : undefined;
  const direction = f.local_orig === true && f.local_resp === true ? 'Local' : f.local_orig === true ? 'Outbound' : f.local_resp === true ? 'Inbound' : undefined;
  return {
    TimeGenerated: start,
    EventStartTime: start,
    EventEndTime: end,
    EventCount: 1,
    EventType: 'NetworkSession',
    EventResult: state === undefined ? undefined : failedStates.has(state) ? 'Failure' : 'Success',
    EventOriginalResultDetails: state,
    EventProduct: 'Zeek',
    EventVendor: 'Zeek',
    NetworkSessionId: f.uid,
    SrcIpAddr: f['id.orig_h'],
    SrcPortNumber: f['id.orig_p'],
    DstIpAddr: f['id.resp_h'],
    DstPortNumber: f['id.resp_p'],
    NetworkProtocol: typeof f.proto === 'string' ? f.proto.toUpperCase() : undefined,
    NetworkApplicationProtocol: f.service,
    NetworkDirection: direction,
    NetworkDuration: duration === undefined ? undefined : Math.round(duration * 1000),
    SrcBytes: f.orig_bytes,
    DstBytes: f.resp_bytes,
    SrcPackets: f.orig_pkts,
    DstPackets: f.resp_pkts,
    NetworkBytes: srcBytes !== undefined || dstBytes !== undefined ? (srcBytes ?? 0) + (dstBytes ?? 0) : undefined,
    NetworkPackets: srcPk !== undefined || dstPk !== undefined ? (srcPk ?? 0) + (dstPk ?? 0) : undefined,
    SourceSystem: 'Zeek',
    ...(Object.keys(extra).length > 0 ? { AdditionalFields: extra } : {}),
  };
}

/** Zeek log paths Quarry maps, and their tables. */
export const zeekTables: Readonly<Record<string, string>> = { dns: 'DnsEvents', conn: 'NetworkSession', ssl: 'ZeekSsl', x509: 'ZeekX509' };

export function mapZeekRecord(path: string, fields: Fields): ZeekMapped {
  // Rotated or renamed logs keep their base path (`dns_2024…`), as Zeek's writers name them.
  const base = path.replace(/[-_.].*$/, '');
  switch (base) {
    case 'dns':
      return { table: 'DnsEvents', value: mapDns(fields) };
    case 'conn':
      return { table: 'NetworkSession', value: mapConn(fields) };
    case 'ssl':
      return { table: 'ZeekSsl', value: byName(fields, sslColumns) };
    case 'x509':
      return { table: 'ZeekX509', value: byName(fields, x509Columns) };
    default:
      return {
        error: path === ''
          ? 'Zeek log path unknown (no #path header or _path field); pass the log name, e.g. --zeek-path dns'
          : `no Quarry table for Zeek log '${path}' (supported: ${Object.keys(zeekTables).join(', ')})`,
      };
  }
}
