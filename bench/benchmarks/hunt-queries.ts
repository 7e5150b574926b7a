/**
 * hunt-q01 … hunt-q13: typical hunting questions over DeviceNetworkEvents, each asked in KQL through Quarry
 * (`runKql`: compile + execute + typed results) and in hand-written DuckDB SQL answering the same question on the
 * same store (execute only). Ratio = SQL time ÷ Quarry time (1.0 = no overhead; the goal is ≥ 0.8, i.e. Quarry
 * within 1.25× of the hand-written SQL). Data: `bench/fixtures.ts` (cached per scale).
 */
import { runKql } from '../../src/hunt/run.js';
import type { Store } from '../../src/store/store.js';
import { HUNT_END, huntingStore } from '../fixtures.js';
import type { Benchmark } from '../harness.js';

interface Q {
  readonly id: string;
  readonly what: string;
  readonly kql: string;
  readonly sql: string;
}

const IOC_DOMAINS = ['dancevida.com', 'evil-cdn.example', 'login-micros0ft.example', 'update-check.example', 'c2.example.net',
  'files.example.org', 'paste.example.com', 'cdn.example.biz', 'tracker.example.info', 'drop.example.xyz'];
const domainsKql = IOC_DOMAINS.map((d) => `"${d}"`).join(', ');
const domainsSqlRegex = IOC_DOMAINS.map((d) => d.replace(/\./g, '\\.')).join('|');

export const huntQueries: readonly Q[] = [
  {
    id: 'q01', what: 'filter + count',
    kql: 'DeviceNetworkEvents | where RemotePort == 443 and ActionType == "ConnectionSuccess" | count',
    sql: "SELECT count(*) AS Count FROM DeviceNetworkEvents WHERE RemotePort = 443 AND ActionType = 'ConnectionSuccess'",
  },
  {
    id: 'q02', what: 'has_any over an IOC list',
    kql: `DeviceNetworkEvents | where RemoteUrl has_any (dynamic([${domainsKql}])) | project Timestamp, DeviceName, RemoteUrl, RemoteIP`,
    sql: `SELECT Timestamp, DeviceName, RemoteUrl, RemoteIP FROM DeviceNetworkEvents WHERE regexp_matches(RemoteUrl, '(?i)(^|[^a-z0-9])(${domainsSqlRegex})($|[^a-z0-9])')`,
  },
  {
    id: 'q03', what: 'summarize by bin(Timestamp, 1h)',
    kql: 'DeviceNetworkEvents | summarize Connections = count() by bin(Timestamp, 1h)',
    sql: "SELECT time_bucket(INTERVAL 1 HOUR, Timestamp) AS Timestamp, count(*) AS Connections FROM DeviceNetworkEvents GROUP BY 1",
  },
  {
    id: 'q04', what: 'dcount by device',
    kql: 'DeviceNetworkEvents | summarize RemoteIPs = dcount(RemoteIP) by DeviceName',
    sql: 'SELECT DeviceName, count(DISTINCT RemoteIP) AS RemoteIPs FROM DeviceNetworkEvents GROUP BY DeviceName',
  },
  {
    id: 'q05', what: 'arg_max latest connection per device',
    kql: 'DeviceNetworkEvents | summarize arg_max(Timestamp, RemoteIP, RemoteUrl) by DeviceId',
    sql: 'SELECT DeviceId, max(Timestamp) AS Timestamp, arg_max(RemoteIP, Timestamp) AS RemoteIP, arg_max(RemoteUrl, Timestamp) AS RemoteUrl FROM DeviceNetworkEvents GROUP BY DeviceId',
  },
  {
    id: 'q06', what: 'join to the indicator table (latest version, active)',
    kql: 'ThreatIntelligenceIndicator | where isnotempty(NetworkIP) | summarize arg_max(TimeGenerated, *) by IndicatorId | where Active == true | join kind=inner (DeviceNetworkEvents | project Timestamp, DeviceName, RemoteIP) on $left.NetworkIP == $right.RemoteIP | summarize Hits = count() by NetworkIP',
    sql: "WITH ti AS (SELECT IndicatorId, arg_max(NetworkIP, TimeGenerated) AS NetworkIP, arg_max(Active, TimeGenerated) AS Active FROM ThreatIntelligenceIndicator WHERE NetworkIP <> '' GROUP BY IndicatorId) SELECT ti.NetworkIP, count(*) AS Hits FROM ti JOIN DeviceNetworkEvents e ON ti.NetworkIP = e.RemoteIP WHERE ti.Active GROUP BY ti.NetworkIP",
  },
  {
    id: 'q07', what: 'mv-expand of split host labels',
    kql: 'DeviceNetworkEvents | where RemotePort == 53 or RemotePort == 8080 | extend Labels = split(RemoteUrl, ".") | mv-expand Label = Labels to typeof(string) | summarize n = count() by Label | top 10 by n',
    sql: "SELECT Label, count(*) AS n FROM (SELECT unnest(string_split(RemoteUrl, '.')) AS Label FROM DeviceNetworkEvents WHERE RemotePort IN (53, 8080)) GROUP BY Label ORDER BY n DESC LIMIT 10",
  },
  {
    id: 'q08', what: 'parse_json field filter',
    kql: 'DeviceNetworkEvents | extend Direction = tostring(parse_json(AdditionalFields).direction) | where Direction == "Inbound" | summarize count() by DeviceName',
    sql: "SELECT DeviceName, count(*) AS count_ FROM DeviceNetworkEvents WHERE json_extract_string(AdditionalFields, '$.direction') = 'Inbound' GROUP BY DeviceName",
  },
  {
    id: 'q09', what: 'contains on command lines',
    kql: 'DeviceNetworkEvents | where InitiatingProcessCommandLine contains "powershell" | project Timestamp, DeviceName, InitiatingProcessCommandLine',
    sql: "SELECT Timestamp, DeviceName, InitiatingProcessCommandLine FROM DeviceNetworkEvents WHERE InitiatingProcessCommandLine ILIKE '%powershell%'",
  },
  {
    id: 'q10', what: 'in~ process names, count by device',
    kql: 'DeviceNetworkEvents | where InitiatingProcessFileName in~ ("powershell.exe", "cmd.exe", "rundll32.exe") | summarize count() by DeviceName, InitiatingProcessFileName',
    sql: "SELECT DeviceName, InitiatingProcessFileName, count(*) AS count_ FROM DeviceNetworkEvents WHERE lower(InitiatingProcessFileName) IN ('powershell.exe', 'cmd.exe', 'rundll32.exe') GROUP BY DeviceName, InitiatingProcessFileName",
  },
  {
    id: 'q11', what: 'top 1000 newest',
    kql: 'DeviceNetworkEvents | top 1000 by Timestamp desc',
    sql: 'SELECT * FROM DeviceNetworkEvents ORDER BY Timestamp DESC LIMIT 1000',
  },
  {
    id: 'q12', what: 'public remote IPs, top talkers',
    kql: 'DeviceNetworkEvents | where not(ipv4_is_private(RemoteIP)) | summarize n = count() by RemoteIP | top 10 by n',
    sql: "SELECT RemoteIP, count(*) AS n FROM DeviceNetworkEvents WHERE NOT (RemoteIP LIKE '10.%' OR RemoteIP LIKE '192.168.%' OR regexp_matches(RemoteIP, '^172\\.(1[6-9]|2[0-9]|3[01])\\.')) GROUP BY RemoteIP ORDER BY n DESC LIMIT 10",
  },
  {
    id: 'q13', what: 'distinct remote IPs in the last day',
    kql: 'DeviceNetworkEvents | where Timestamp > ago(1d) | distinct RemoteIP | count',
    sql: `SELECT count(*) AS Count FROM (SELECT DISTINCT RemoteIP FROM DeviceNetworkEvents WHERE Timestamp > TIMESTAMP '${HUNT_END.toISOString().replace('T', ' ').replace('Z', '')}' - INTERVAL 1 DAY)`,
  },
];

interface State {
  readonly store: Store;
}

function benchmarkOf(q: Q): Benchmark<State> {
  return {
    name: `hunt-${q.id}`,
    description: `${q.what}: \`${q.kql}\` vs \`${q.sql}\``,
    unit: 'ms',
    async setup(ctx) {
      return { store: await huntingStore(ctx.rows, ctx.log) };
    },
    subject: {
      label: 'Quarry runKql',
      async run(_ctx, s) {
        const t0 = performance.now();
        await runKql(s.store, q.kql, { now: HUNT_END, maxRows: 100_000 });
        return { ms: performance.now() - t0 };
      },
    },
    baseline: {
      label: 'DuckDB SQL',
      async run(_ctx, s) {
        const t0 = performance.now();
        await s.store.query(q.sql, { maxRows: 100_000 });
        return { ms: performance.now() - t0 };
      },
    },
    async teardown(_ctx, s) {
      await s.store.close();
    },
  };
}

export default huntQueries.map(benchmarkOf);
