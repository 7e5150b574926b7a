/**
 * Writes the Sentinel analytic-rule YAML that `POST /api/rules/import` reads, from the "Create detection
 * rule" form. The server validates everything (query compiles, mapped columns exist, limits); this only
 * serialises the form — block scalars for the query, quoted scalars elsewhere.
 */
export interface RuleForm {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly severity: 'Informational' | 'Low' | 'Medium' | 'High';
  readonly queryFrequency: string;
  readonly queryPeriod: string;
  readonly query: string;
  readonly entities: readonly { entityType: string; identifier: string; columnName: string }[];
  readonly tactics: readonly string[];
}

const q = (s: string) => JSON.stringify(s);

export function ruleYaml(f: RuleForm): string {
  const lines = [
    `id: ${q(f.id)}`,
    `name: ${q(f.name)}`,
    `description: ${q(f.description)}`,
    `severity: ${f.severity}`,
    'kind: Scheduled',
    'enabled: true',
    `queryFrequency: ${f.queryFrequency}`,
    `queryPeriod: ${f.queryPeriod}`,
    'triggerOperator: gt',
    'triggerThreshold: 0',
    'version: 1.0.0',
  ];
  if (f.tactics.length) lines.push('tactics:', ...f.tactics.map((t) => `- ${t}`));
  lines.push('query: |', ...f.query.replace(/\r\n?/g, '\n').replace(/\s+$/, '').split('\n').map((l) => (l.trim() ? `  ${l}` : '')));
  if (f.entities.length) {
    lines.push('entityMappings:');
    for (const e of f.entities) lines.push(`- entityType: ${e.entityType}`, '  fieldMappings:', `  - identifier: ${e.identifier}`, `    columnName: ${e.columnName}`);
  }
  return lines.join('\n') + '\n';
}

/** Entity types and their main identifier (Sentinel's names). */
export const ENTITY_TYPES: readonly { type: string; identifier: string }[] = [
  { type: 'Host', identifier: 'HostName' },
  { type: 'Account', identifier: 'Name' },
  { type: 'IP', identifier: 'Address' },
  { type: 'URL', identifier: 'Url' },
  { type: 'DNS', identifier: 'DomainName' },
  { type: 'MailMessage', identifier: 'NetworkMessageId' },
  { type: 'Mailbox', identifier: 'MailboxPrimaryAddress' },
  { type: 'FileHash', identifier: 'Value' },
];
