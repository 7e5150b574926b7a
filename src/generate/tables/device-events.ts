/**
 * DeviceEvents: the miscellany table. DNS answers (`DnsQueryResponse`, the queried name only inside
 * `AdditionalFields` as `DnsQueryString`, RemoteUrl empty), browser launches from mail and chat
 * (`BrowserLaunchedToOpenUrl`, RemoteUrl a URL), SmartScreen and network-protection blocks, PowerShell,
 * named pipes, API-call telemetry. Planted rows: DNS lookups of planted hosts, browser launches to
 * phishing hosts, network-protection blocks of C2 hosts (bare FQDN) and SmartScreen on the planted URL.
 */
import type { Site } from '../population.js';
import {
  fillCommand, hostVariants, initiatingBlock, kindVariants, pickActor, pickProgram, plantedPath, programIndex,
  type TableGenerator,
} from '../table-gen.js';
import { hostIp } from './device-network.js';

const actions = [
  'DnsQueryResponse', 'BrowserLaunchedToOpenUrl', 'NamedPipeEvent', 'PowerShellCommand', 'LdapSearch',
  'ReadProcessMemoryApiCall', 'OpenProcessApiCall', 'FirewallInboundConnectionBlocked', 'AntivirusScanCompleted',
  'GetClipboardData', 'ScheduledTaskCreated', 'ProcessCreatedUsingWmiQuery', 'UsbDriveMounted', 'SmartScreenUrlWarning',
] as const;
const weights = [34, 8, 14, 9, 6, 5, 5, 4, 3, 3, 2, 2, 1, 1];
const psCommands = ['Get-Process', 'Get-ChildItem', 'Import-Module', 'Get-WmiObject', 'Test-NetConnection', 'Get-ItemProperty'];

/** Defender's DNS AdditionalFields: the query and the answers. */
export function dnsAdditionalFields(host: string, ip: string): string {
  return JSON.stringify({
    DnsQueryString: host,
    DnsQueryResult: [{ DnsQueryType: 1, DnsQueryTypeName: 'A', Address: ip }],
  });
}

export const deviceEvents: TableGenerator = {
  table: 'DeviceEvents',
  keyColumns: ['ReportId'],
  plantColumns: { RemoteUrl: 'url', AdditionalFields: 'dnsjson', InitiatingProcessCommandLine: 'text' },

  variants(plant) {
    return [
      ...hostVariants(plant, ['dns', 'open']),
      ...kindVariants(plant, ['url'], 'smartscreen'),
    ];
  },

  row(ctx, i, ts, v) {
    const { rng, pop } = ctx;
    const a = pickActor(ctx);
    let action: string = v ? '' : rng.weighted(actions, weights);
    let remoteUrl = '';
    let additional = '';
    let remoteIp = '';
    let remotePort: number | null = null;
    let fileName = '';
    let folder = '';
    let procCmd = '';
    let prog = pickProgram(ctx, false);

    if (v) {
      if (v.form === 'dns') {
        action = 'DnsQueryResponse';
        additional = dnsAdditionalFields(v.value, hostIp(ctx.seed, v.value));
        prog = programIndex(pop, v.indicator.role === 'c2' ? 'rundll32.exe' : 'msedge.exe');
      } else if (v.form === 'smartscreen') {
        action = 'SmartScreenUrlWarning';
        remoteUrl = v.value;
        prog = programIndex(pop, 'msedge.exe');
      } else if (v.indicator.role === 'c2') {
        // Network protection blocks by host name: RemoteUrl is a bare FQDN here.
        action = 'ExploitGuardNetworkProtectionBlocked';
        remoteUrl = v.value;
        remoteIp = hostIp(ctx.seed, v.value);
        remotePort = 443;
        prog = programIndex(pop, 'rundll32.exe');
      } else {
        action = 'BrowserLaunchedToOpenUrl';
        remoteUrl = `https://${v.value}${plantedPath(v.indicator, i)}`;
        prog = programIndex(pop, 'OUTLOOK.EXE');
      }
    } else {
      switch (action) {
        case 'DnsQueryResponse': {
          const site = pop.sites[rng.skewed(pop.sites.length, 1.8)] as Site;
          additional = dnsAdditionalFields(site.host, site.ip);
          prog = programIndex(pop, 'svchost.exe');
          break;
        }
        case 'BrowserLaunchedToOpenUrl':
        case 'SmartScreenUrlWarning': {
          const site = pop.sites[rng.skewed(pop.sites.length, 1.5)] as Site;
          remoteUrl = `https://${site.host}${site.path}`;
          prog = programIndex(pop, rng.chance(0.6) ? 'OUTLOOK.EXE' : 'Teams.exe');
          break;
        }
        case 'PowerShellCommand':
          additional = JSON.stringify({ Command: rng.pick(psCommands) });
          prog = programIndex(pop, 'powershell.exe');
          break;
        case 'NamedPipeEvent':
          additional = JSON.stringify({ PipeName: `\\Device\\NamedPipe\\mojo.${rng.int(1000, 9999)}.${rng.int(1, 99)}`, FileOperation: 'File opened' });
          break;
        case 'FirewallInboundConnectionBlocked':
          remoteIp = `10.${rng.int(10, 40)}.${rng.int(0, 255)}.${rng.int(2, 254)}`;
          remotePort = rng.pick([137, 138, 5353, 1900]);
          break;
        case 'ScheduledTaskCreated':
          additional = JSON.stringify({ TaskName: `\\Microsoft\\Office\\Office Automatic Updates ${rng.int(1, 3)}.0` });
          break;
        case 'UsbDriveMounted':
          additional = JSON.stringify({ DriveLetter: 'E:', ProductName: 'Cruzer Blade', Manufacturer: 'SanDisk' });
          break;
        case 'AntivirusScanCompleted':
          additional = JSON.stringify({ ScanTypeIndex: 1, ScanId: rng.guid() });
          prog = programIndex(pop, 'MsMpEng.exe');
          break;
        default: {
          const target = pop.programs[pickProgram(ctx, false)]!;
          fileName = target.file;
          folder = `${target.folder.replace('{user}', a.user.name)}\\${target.file}`;
          procCmd = target.commands[0]!.replace('{user}', a.user.name);
        }
      }
    }

    const p = pop.programs[prog]!;
    const cmd = fillCommand(rng.pick(p.commands), a.user, { url: remoteUrl || undefined, n: i & 0xffff });
    const init = initiatingBlock(ctx, a, prog, ts, cmd, 'explorer.exe', false);
    return {
      Timestamp: new Date(ts),
      DeviceId: a.dev.id,
      DeviceName: a.dev.name,
      ActionType: action,
      FileName: fileName,
      FolderPath: folder,
      SHA1: '',
      SHA256: '',
      MD5: '',
      FileSize: null,
      AccountDomain: ctx.pop.netbios.toLowerCase(),
      AccountName: a.user.name,
      AccountSid: a.user.sid,
      RemoteUrl: remoteUrl,
      RemoteDeviceName: '',
      ProcessId: procCmd ? rng.int(1000, 60000) : null,
      ProcessCommandLine: procCmd,
      ProcessCreationTime: null,
      ProcessTokenElevation: '',
      LogonId: null,
      RegistryKey: '',
      RegistryValueName: '',
      RegistryValueData: '',
      RemoteIP: remoteIp,
      RemotePort: remotePort,
      LocalIP: remoteIp ? a.dev.ip : '',
      LocalPort: null,
      FileOriginUrl: '',
      FileOriginIP: '',
      ...init,
      InitiatingProcessLogonId: 999 + (a.devIndex % 7),
      ReportId: 20_000 + i,
      AppGuardContainerId: '',
      AdditionalFields: additional,
      InitiatingProcessSessionId: 1,
      IsInitiatingProcessRemoteSession: false,
      InitiatingProcessRemoteSessionDeviceName: '',
      InitiatingProcessRemoteSessionIP: '',
      CreatedProcessSessionId: null,
      IsProcessRemoteSession: false,
      ProcessRemoteSessionDeviceName: '',
      ProcessRemoteSessionIP: '',
    };
  },
};
