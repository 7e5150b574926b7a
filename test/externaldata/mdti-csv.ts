/**
 * Intel Explorer CSV downloads (Host pairs, Resolutions) in MDTI's exact column layout (mdti.md §1.2,
 * `MM/dd/yyyy HH:mm` timestamps, `|`-joined tags), built from the generator's planted `dancevida.com`
 * infrastructure. Some planted hosts are deliberately left out as parents so the joins must filter.
 */
import { defaultIndicators } from '../../src/generate/index.js';

const phish = defaultIndicators.find((i) => i.id === 'phish-domain')!;
export const phishHosts: readonly string[] = phish.observed ?? [phish.value];

const csvCell = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const line = (cells: readonly string[]) => cells.map(csvCell).join(',');

export interface ExplorerCsv {
  readonly text: string;
  /** Join key → number of CSV rows carrying it (the multiplicity an inner join sees). */
  readonly keys: ReadonlyMap<string, number>;
}

/** Host pairs: dancevida.com twice as parent, www/login/cdn once, mail.dancevida.com only as a child. */
export function hostPairsCsv(): ExplorerCsv {
  const [apex, www, login, cdn, mail] = phishHosts as [string, string, string, string, string];
  const rows: string[][] = [
    [apex, www, '05/03/2023 14:20', '05/28/2024 08:00', 'redirect', 'Phishing|STORM-0000'],
    [apex, cdn, '05/03/2023 14:21', '05/28/2024 08:00', 'script.src', 'Phishing'],
    [www, login, '05/04/2023 09:05', '05/29/2024 10:30', 'a.href', 'Phishing|credential'],
    [login, cdn, '05/04/2023 09:06', '05/30/2024 11:00', 'img.src', ''],
    [cdn, mail, '05/05/2023 00:00', '05/31/2024 23:59', 'link.href', 'infra'],
    ['unrelated.example.org', apex, '01/02/2024 03:04', '01/03/2024 03:04', 'iframe.src', 'noise, with comma'],
  ];
  const text = [line(['parentHostname', 'childHostname', 'firstSeen', 'lastSeen', 'attributeCause', 'Tags']), ...rows.map(line)].join('\r\n') + '\r\n';
  const keys = new Map<string, number>();
  for (const r of rows) keys.set(r[0]!, (keys.get(r[0]!) ?? 0) + 1);
  return { text, keys };
}

/** Resolutions: www, login and mail resolve (mail twice, two networks); the apex and cdn are absent. */
export function resolutionsCsv(): ExplorerCsv {
  const [, www, login, , mail] = phishHosts as [string, string, string, string, string];
  const rows: string[][] = [
    [www, 'US', '203.0.113.0/24', '64500', '05/03/2023 14:20', '05/28/2024 08:00', 'RiskIQ', 'Phishing'],
    [login, 'US', '203.0.113.0/24', '64500', '05/03/2023 14:20', '05/28/2024 08:00', 'RiskIQ', 'Phishing|STORM-0000'],
    [mail, 'NL', '198.51.100.0/24', '64501', '06/01/2023 00:00', '05/01/2024 00:00', 'OSINT', ''],
    [mail, 'DE', '192.0.2.0/24', '64502', '07/01/2023 00:00', '05/02/2024 00:00', 'RiskIQ', ''],
  ];
  const text = [line(['Resolve', 'Location', 'Network', 'autonomousSystemNumber', 'firstSeen', 'lastSeen', 'Source', 'Tags']), ...rows.map(line)].join('\r\n') + '\r\n';
  const keys = new Map<string, number>();
  for (const r of rows) keys.set(r[0]!, (keys.get(r[0]!) ?? 0) + 1);
  return { text, keys };
}
