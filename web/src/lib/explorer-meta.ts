/**
 * How the portal presents Intel Explorer data sets: tab labels, MDTI's filters per tab, and which
 * columns hold hosts/addresses (pivot links, and the "Hunt" query that joins a data set to the events).
 * Data set names and filters are the API's (`docs/explorer.md`); the KQL tables are the Explorer tables.
 */
export interface DatasetMeta {
  readonly name: string;
  readonly label: string;
  readonly table: string;
  readonly filters: readonly string[];
  /** Columns with host names or addresses. */
  readonly hostColumns: readonly string[];
  readonly seen: boolean;
}

export const DATASETS: readonly DatasetMeta[] = [
  { name: 'resolutions', label: 'Resolutions', table: 'ExplorerResolutions', filters: ['source', 'recordType', 'asn', 'network', 'tag'], hostColumns: ['Host', 'Resolve'], seen: true },
  { name: 'whois', label: 'WHOIS', table: 'ExplorerWhois', filters: [], hostColumns: ['Domain'], seen: true },
  { name: 'certificates', label: 'Certificates', table: 'ExplorerHostCertificates', filters: [], hostColumns: ['Host'], seen: true },
  { name: 'subdomains', label: 'Subdomains', table: 'ExplorerSubdomains', filters: [], hostColumns: ['Hostname'], seen: true },
  { name: 'trackers', label: 'Trackers', table: 'ExplorerTrackers', filters: ['type', 'hostname', 'value'], hostColumns: ['Host'], seen: true },
  { name: 'components', label: 'Components', table: 'ExplorerComponents', filters: ['category', 'name', 'hostname'], hostColumns: ['Host'], seen: true },
  { name: 'hostPairs', label: 'Host pairs', table: 'ExplorerHostPairs', filters: ['direction', 'cause', 'parentHost', 'childHost'], hostColumns: ['ParentHost', 'ChildHost'], seen: true },
  { name: 'cookies', label: 'Cookies', table: 'ExplorerCookies', filters: ['name', 'domain'], hostColumns: ['Host'], seen: true },
  { name: 'dns', label: 'DNS', table: 'ExplorerDns', filters: ['recordType', 'value'], hostColumns: ['Host', 'Value'], seen: true },
  { name: 'reverseDns', label: 'Reverse DNS', table: 'ExplorerReverseDns', filters: ['recordType', 'value'], hostColumns: ['Address', 'Value'], seen: true },
  { name: 'services', label: 'Services', table: 'ExplorerServices', filters: ['port', 'protocol', 'status'], hostColumns: ['Address'], seen: true },
];

/** Columns whose values are pivots to another artifact page. */
export const PIVOT_COLUMNS = new Set([
  'Host', 'Resolve', 'ParentHost', 'ChildHost', 'Hostname', 'Domain', 'Address', 'Value', 'Network', 'Asn',
  'Fingerprint', 'Sha1', 'Sha256', 'RegistrantEmail', 'RegistrantName', 'RegistrantOrganization', 'NameServers', 'CookieName', 'CookieDomain',
]);

const lit = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/**
 * A ready hunting query: the data set's hosts for the artifact (straight from its Explorer table, no upload)
 * matched against mail, click, network and identity events — the same joins as MDTI's sample queries.
 */
export function huntQueryFor(meta: DatasetMeta, artifact: string): string {
  const a = artifact.toLowerCase();
  const cond = meta.hostColumns.map((c) => `tolower(${c}) == artifact or tolower(${c}) endswith strcat(".", artifact)`).join('\n        or ');
  const pack = meta.hostColumns.length === 1 ? `tolower(${meta.hostColumns[0]})` : `pack_array(${meta.hostColumns.map((c) => `tolower(${c})`).join(', ')})`;
  return [
    `// ${meta.label} of ${artifact} from Intel explorer, joined to your events (no upload needed)`,
    `let artifact = ${lit(a)};`,
    `let Iocs = ${meta.table}`,
    `    | where ${cond}`,
    meta.hostColumns.length === 1 ? `    | project Ioc = ${pack}` : `    | project Ioc = ${pack}\n    | mv-expand Ioc to typeof(string)`,
    `    | where isnotempty(Ioc)`,
    `    | distinct Ioc;`,
    `union`,
    `    (EmailUrlInfo | where tolower(UrlDomain) in (Iocs) | project Timestamp, Source = "EmailUrlInfo", Ioc = tolower(UrlDomain), Detail = Url, ReportId),`,
    `    (UrlClickEvents | extend Host = tolower(tostring(parse_url(Url).Host)) | where Host in (Iocs) | project Timestamp, Source = "UrlClickEvents", Ioc = Host, Detail = AccountUpn, ReportId),`,
    `    (DeviceNetworkEvents | where tolower(RemoteUrl) in (Iocs) or RemoteIP in (Iocs) | project Timestamp, Source = "DeviceNetworkEvents", Ioc = iff(isnotempty(RemoteUrl), tolower(RemoteUrl), RemoteIP), Detail = DeviceName, ReportId = tostring(ReportId)),`,
    `    (IdentityQueryEvents | where tolower(QueryTarget) in (Iocs) | project Timestamp, Source = "IdentityQueryEvents", Ioc = tolower(QueryTarget), Detail = DeviceName, ReportId = tostring(ReportId))`,
    `| sort by Timestamp desc`,
  ].join('\n');
}

/** Hands a query to the hunting page (kept out of the URL: it may carry a SAS signature). */
export function openInHunting(query: string, navigateTo: (to: string) => void): void {
  sessionStorage.setItem('quarry.hunt.pending', query);
  navigateTo('/hunting');
}
