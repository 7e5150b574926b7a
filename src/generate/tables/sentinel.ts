/**
 * Sentinel tables: DnsEvents (Windows DNS server lookups on the domain controllers, SubType
 * "LookupQuery") and CommonSecurityLog (CEF from a Palo Alto firewall: TRAFFIC sessions and URL-filtering
 * entries). Planted rows: lookups of planted hosts, sessions to the C2 addresses, URL entries for planted hosts.
 * DnsEvents has no id column, so its truth key is `TimeGenerated|ClientIP|Name` (times are unique per table).
 */
import type { Device, Site } from '../population.js';
import { hostVariants, kindVariants, pickActor, plantedPath, type TableGenerator } from '../table-gen.js';
import { hostIp } from './device-network.js';

export const dnsEvents: TableGenerator = {
  table: 'DnsEvents',
  keyColumns: ['TimeGenerated', 'ClientIP', 'Name'],
  plantColumns: { Name: 'host' },

  variants(plant) {
    return hostVariants(plant, ['lookup']);
  },

  row(ctx, _i, ts, v) {
    const { rng, pop } = ctx;
    const a = pickActor(ctx);
    const dc = pop.dcs[rng.int(0, pop.dcs.length - 1)] as Device;
    const site = pop.sites[rng.skewed(pop.sites.length, 1.8)] as Site;
    const internal = !v && rng.chance(0.2);
    const name = v ? v.value : internal ? (pop.devices[rng.int(0, 11)] as Device).name : site.host;
    const answer = v ? hostIp(ctx.seed, v.value) : internal ? (pop.devices[rng.int(0, 11)] as Device).ip : site.ip;
    const nx = !v && rng.chance(0.03);
    return {
      ClientIP: a.dev.ip,
      Computer: dc.name,
      Confidence: '',
      Description: '',
      EventId: null,
      IndicatorThreatType: '',
      IPAddresses: nx ? '' : answer,
      MaliciousIP: '',
      Message: '',
      Name: name,
      QueryType: rng.chance(0.85) ? 'A' : 'AAAA',
      RemoteIPCountry: '',
      RemoteIPLatitude: null,
      RemoteIPLongitude: null,
      Result: nx ? 'Failure' : 'Success',
      ResultCode: nx ? 3 : 0,
      Severity: null,
      SourceSystem: 'OpsManager',
      SubType: 'LookupQuery',
      TaskCategory: '',
      TenantId: pop.tenantId,
      TimeGenerated: new Date(ts),
    };
  },
};

export const commonSecurityLog: TableGenerator = {
  table: 'CommonSecurityLog',
  keyColumns: ['ExtID'],
  plantColumns: { DestinationIP: 'ip', DestinationTranslatedAddress: 'ip', RequestURL: 'url', DestinationHostName: 'host' },

  variants(plant) {
    return [...kindVariants(plant, ['ipv4', 'cidr'], 'ip'), ...hostVariants(plant, ['url'])];
  },

  row(ctx, i, ts, v) {
    const { rng, pop } = ctx;
    const a = pickActor(ctx);
    const site = pop.sites[rng.skewed(pop.sites.length, 1.8)] as Site;
    const urlLog = v ? v.form === 'url' : rng.chance(0.2);
    let dest = site.ip;
    let host = urlLog ? site.host : '';
    let url = urlLog ? `${site.host}${site.path}` : '';
    let action = rng.chance(0.95) ? 'allow' : 'deny';
    if (v) {
      action = 'allow';
      if (v.form === 'ip') dest = v.value;
      else {
        host = v.value;
        url = `${v.value}${plantedPath(v.indicator, i)}`;
        dest = hostIp(ctx.seed, v.value);
      }
    }
    const sent = rng.int(200, 40_000);
    return {
      Activity: urlLog ? 'THREAT' : 'TRAFFIC',
      ApplicationProtocol: urlLog ? 'web-browsing' : 'ssl',
      CommunicationDirection: 'Outbound',
      Computer: 'pa-fw01',
      DestinationHostName: host,
      DestinationIP: dest,
      DestinationPort: 443,
      DestinationTranslatedAddress: dest,
      DestinationTranslatedPort: 443,
      DeviceAction: action,
      DeviceEventClassID: urlLog ? 'url' : action === 'allow' ? 'end' : 'deny',
      DeviceInboundInterface: 'ethernet1/2',
      DeviceName: 'pa-fw01',
      DeviceOutboundInterface: 'ethernet1/1',
      DeviceProduct: 'PAN-OS',
      DeviceVendor: 'Palo Alto Networks',
      DeviceVersion: '10.2.4',
      ExtID: String(7_000_000 + i),
      LogSeverity: urlLog ? '2' : '1',
      Protocol: 'TCP',
      ReceivedBytes: action === 'allow' ? rng.int(500, 2_000_000) : 0,
      RequestURL: url,
      SentBytes: sent,
      SimplifiedDeviceAction: action === 'allow' ? 'Allow' : 'Deny',
      SourceIP: a.dev.ip,
      SourcePort: rng.int(49152, 65535),
      SourceSystem: 'OpsManager',
      SourceTranslatedAddress: pop.egressIp,
      SourceTranslatedPort: rng.int(1024, 65535),
      SourceUserName: `${pop.netbios.toLowerCase()}\\${a.user.name}`,
      TenantId: pop.tenantId,
      TimeGenerated: new Date(ts),
    };
  },
};
