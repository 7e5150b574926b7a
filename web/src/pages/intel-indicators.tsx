/** Indicators of a profile or article: a table with pivots, CSV export, and a Hunt query. */
import { DataGrid } from '../components/data-grid';
import { Pivot } from '../components/pivot';
import { Empty } from '../components/states';
import { fmtValue, kqlString } from '../lib/format';

export interface Indicator {
  id: string;
  source?: string;
  provider?: string;
  firstSeenDateTime?: string;
  lastSeenDateTime?: string;
  artifact?: { kind: string; id: string };
  pattern?: string;
}

export function IndicatorTable({ items, exportName }: { items: readonly Indicator[]; exportName: string }) {
  if (!items.length) return <Empty>No indicators.</Empty>;
  const rows = items.map((i) => ({ Artifact: i.artifact?.id ?? '', Kind: i.artifact?.kind ?? '', Source: i.source ?? '', Provider: i.provider ?? '', FirstSeen: i.firstSeenDateTime ?? '', LastSeen: i.lastSeenDateTime ?? '', Id: i.id }));
  const columns = ['Artifact', 'Kind', 'Source', 'Provider', 'FirstSeen', 'LastSeen', 'Id'].map((name) => ({ name }));
  return <DataGrid columns={columns} rows={rows} height={Math.min(320, 30 + rows.length * 28)} exportName={exportName} renderCell={(c, v) => (c === 'Artifact' ? <Pivot value={v} /> : fmtValue(v))} />;
}

/** A hunting query matching the indicators' values in the main event tables. */
export function huntIndicators(items: readonly Indicator[]): string {
  const values = [...new Set(items.map((i) => i.artifact?.id).filter((v): v is string => !!v && !v.includes('/')))];
  const list = values.map(kqlString).join(', ');
  return [
    '// Indicators from Quarry intel, matched against your events',
    `let Iocs = dynamic([${list}]);`,
    'union',
    '    (EmailUrlInfo | where UrlDomain in~ (Iocs) | project Timestamp, Source = "EmailUrlInfo", Ioc = UrlDomain, Detail = Url),',
    '    (DeviceNetworkEvents | where RemoteUrl in~ (Iocs) or RemoteIP in (Iocs) | project Timestamp, Source = "DeviceNetworkEvents", Ioc = iff(isnotempty(RemoteUrl), RemoteUrl, RemoteIP), Detail = DeviceName),',
    '    (EmailEvents | where SenderFromAddress in~ (Iocs) or SenderFromDomain in~ (Iocs) | project Timestamp, Source = "EmailEvents", Ioc = SenderFromAddress, Detail = Subject),',
    '    (DeviceFileEvents | where SHA256 in~ (Iocs) or SHA1 in~ (Iocs) or MD5 in~ (Iocs) | project Timestamp, Source = "DeviceFileEvents", Ioc = SHA256, Detail = FileName)',
    '| sort by Timestamp desc',
  ].join('\n');
}
