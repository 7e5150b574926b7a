/**
 * CSV exports in MDTI's layouts (mdti.md §1.2): article / profile indicators `type, value, source`; project
 * list `name, artifacts, created by, created on, tags, collaborators`; project details `artifact, type,
 * created, creator, context, tags, collaborators`. Tags and collaborators are `|`-joined in one cell.
 */
export function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** MDTI's indicator type words for observable kinds. */
export function mdtiType(kind: string): string {
  switch (kind) {
    case 'domain': return 'domain';
    case 'ipv4': case 'ipv6': return 'ip';
    case 'url': return 'url';
    case 'md5': case 'sha1': case 'sha256': case 'sha512': return 'hash';
    case 'email': return 'email';
    case 'filename': return 'filename';
    default: return kind;
  }
}

export function indicatorCsv(rows: readonly { kind: string; value: string; source: string }[]): string {
  return toCsv(['type', 'value', 'source'], rows.map((r) => [mdtiType(r.kind), r.value, r.source]));
}
