/**
 * DeviceNetworkEvents: outbound connections to popular services (RemoteUrl a full URL, a bare FQDN or
 * empty, as Defender reports it), internal traffic to domain controllers and file servers, inbound
 * sessions, a share of ConnectionFailed. Planted rows reach the planted hosts (URL and bare FQDN forms),
 * the planted URL, and the C2 addresses.
 */
import { publicIpFor, type Device, type Site } from '../population.js';
import { hashString } from '../prng.js';
import {
  fillCommand, hostVariants, initiatingBlock, kindVariants, pickActor, pickProgram, plantedPath, programIndex,
  type Actor, type TableGenerator,
} from '../table-gen.js';
import { urlHost } from '../plant.js';

const actions = ['ConnectionSuccess', 'ConnectionFailed', 'InboundConnectionAccepted', 'ConnectionAttempt', 'ListeningConnectionCreated'] as const;
const actionWeights = [70, 10, 9, 7, 4];
const internalPorts = [53, 88, 135, 389, 445, 445, 443, 5985] as const;
const inboundPorts = [3389, 445, 135, 5985] as const;

export function hostIp(seed: number, host: string): string {
  return publicIpFor(seed, hashString(host));
}

export const deviceNetworkEvents: TableGenerator = {
  table: 'DeviceNetworkEvents',
  keyColumns: ['ReportId'],
  plantColumns: { RemoteUrl: 'url', RemoteIP: 'ip', InitiatingProcessCommandLine: 'text' },

  variants(plant) {
    return [
      ...hostVariants(plant, ['url', 'fqdn']),
      ...kindVariants(plant, ['url'], 'full-url'),
      ...kindVariants(plant, ['ipv4', 'cidr'], 'ip'),
    ];
  },

  row(ctx, i, ts, v) {
    const { rng, pop } = ctx;
    const a: Actor = pickActor(ctx);
    let action: string = rng.weighted(actions, actionWeights);
    let remoteIp: string;
    let remoteUrl = '';
    let remotePort: number;
    let localPort = rng.int(49152, 65535);
    let protocol = 'Tcp';
    let remoteType = 'Public';
    let prog: number;

    if (v) {
      action = 'ConnectionSuccess';
      remotePort = 443;
      const c2 = v.indicator.role === 'c2';
      prog = programIndex(pop, c2 ? 'rundll32.exe' : rng.chance(0.5) ? 'msedge.exe' : 'chrome.exe');
      if (v.form === 'ip') {
        remoteIp = v.value;
      } else if (v.form === 'full-url') {
        remoteUrl = v.value;
        remoteIp = hostIp(ctx.seed, urlHost(v.value));
      } else {
        remoteUrl = v.form === 'url' ? `https://${v.value}${plantedPath(v.indicator, i)}` : v.value;
        remoteIp = hostIp(ctx.seed, v.value);
      }
    } else if (action === 'InboundConnectionAccepted' || action === 'ListeningConnectionCreated') {
      const peer = pop.devices[rng.int(0, pop.devices.length - 1)] as Device;
      remoteIp = action === 'ListeningConnectionCreated' ? '0.0.0.0' : peer.ip;
      remoteType = action === 'ListeningConnectionCreated' ? 'Reserved' : 'Private';
      remotePort = action === 'ListeningConnectionCreated' ? 0 : rng.int(49152, 65535);
      localPort = rng.pick(inboundPorts);
      prog = programIndex(pop, 'svchost.exe');
    } else if (rng.chance(0.64)) {
      const site = pop.sites[rng.skewed(pop.sites.length, 1.8)] as Site;
      remoteIp = site.ip;
      const form = rng.float();
      const http = rng.chance(0.08);
      remotePort = http ? 80 : 443;
      remoteUrl = form < 0.5 ? site.host : form < 0.8 ? `${http ? 'http' : 'https'}://${site.host}${site.path}` : '';
      prog = pickProgram(ctx, true);
    } else {
      const dc = rng.chance(0.6);
      const target = dc ? (pop.dcs[rng.int(0, pop.dcs.length - 1)] as Device) : (pop.devices[rng.int(0, 11)] as Device);
      remoteIp = target.ip;
      remoteType = 'Private';
      remotePort = rng.pick(internalPorts);
      if (remotePort === 53) protocol = 'Udp';
      prog = programIndex(pop, rng.chance(0.7) ? 'svchost.exe' : 'lsass.exe');
    }

    const p = pop.programs[prog]!;
    const cmd = fillCommand(rng.pick(p.commands), a.user, { url: remoteUrl.includes('//') ? remoteUrl : undefined, n: i & 0xffff });
    const init = initiatingBlock(ctx, a, prog, ts, cmd, p.file === 'svchost.exe' ? 'services.exe' : 'explorer.exe');
    return {
      Timestamp: new Date(ts),
      DeviceId: a.dev.id,
      DeviceName: a.dev.name,
      ActionType: action,
      RemoteIP: remoteIp,
      RemotePort: remotePort,
      RemoteUrl: remoteUrl,
      LocalIP: a.dev.ip,
      LocalPort: localPort,
      Protocol: protocol,
      LocalIPType: 'Private',
      RemoteIPType: remoteType,
      ...init,
      ReportId: 10_000 + i,
      AppGuardContainerId: '',
      AdditionalFields: '',
      InitiatingProcessSessionId: p.integrity === 'System' ? 0 : 1 + (a.devIndex % 3),
      IsInitiatingProcessRemoteSession: false,
      InitiatingProcessRemoteSessionDeviceName: '',
      InitiatingProcessRemoteSessionIP: '',
    };
  },
};
