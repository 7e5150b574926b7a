/**
 * Identity and cloud tables: IdentityQueryEvents (LDAP/SAMR queries and the DNS queries Defender for
 * Identity sees on domain controllers, `ActionType` "DNS query", `QueryTarget` the name),
 * IdentityLogonEvents (Kerberos/NTLM authentications against the DCs) and CloudAppEvents (Office 365
 * activity). Planted rows: DNS queries for planted hosts.
 */
import type { Device, Site, User } from '../population.js';
import { hostVariants, pickActor, type TableGenerator } from '../table-gen.js';
import { cloudApps, documentNames } from '../vocab.js';

const queryActions = ['DNS query', 'LDAP query', 'SAMR query'] as const;
const queryWeights = [50, 35, 15];
const ldapTypes = ['QueryUser', 'QueryGroup', 'AllUsers', 'AllGroups', 'EnumerateUsers'] as const;
const groups = ['Domain Admins', 'Enterprise Admins', 'Finance-Users', 'VPN-Users', 'Remote Desktop Users'] as const;

function reportId(i: number, base: number): string {
  return String(base + i);
}

export const identityQueryEvents: TableGenerator = {
  table: 'IdentityQueryEvents',
  keyColumns: ['ReportId'],
  plantColumns: { QueryTarget: 'host', Query: 'host' },

  variants(plant) {
    return hostVariants(plant, ['dns']);
  },

  row(ctx, i, ts, v) {
    const { rng, pop } = ctx;
    const a = pickActor(ctx);
    const dc = pop.dcs[rng.int(0, pop.dcs.length - 1)] as Device;
    const action: string = v ? 'DNS query' : rng.weighted(queryActions, queryWeights);
    let queryType: string;
    let target: string;
    let query: string;
    let protocol: string;
    let port: number;
    let targetUpn = '';
    let targetName = '';
    if (action === 'DNS query') {
      const host = v ? v.value : rng.chance(0.15) ? `_ldap._tcp.dc._msdcs.${pop.domain}` : (pop.sites[rng.skewed(pop.sites.length, 1.8)] as Site).host;
      queryType = host.startsWith('_ldap') ? 'Srv' : rng.chance(0.85) ? 'A' : 'Aaaa';
      target = host;
      query = host;
      protocol = 'Dns';
      port = 53;
    } else {
      queryType = rng.pick(ldapTypes);
      const u = pop.users[rng.int(0, pop.users.length - 1)] as User;
      const group = queryType.includes('Group');
      target = group ? rng.pick(groups) : u.displayName;
      query = group ? `(&(objectCategory=group)(cn=${target}))` : `(&(objectCategory=person)(sAMAccountName=${u.name}))`;
      if (!group) {
        targetUpn = u.upn;
        targetName = u.displayName;
      }
      protocol = action === 'LDAP query' ? 'Ldap' : 'Samr';
      port = action === 'LDAP query' ? 389 : 445;
    }
    return {
      Timestamp: new Date(ts),
      ActionType: action,
      Application: 'Active Directory',
      QueryType: queryType,
      QueryTarget: target,
      Query: query,
      Protocol: protocol,
      AccountName: a.user.name,
      AccountDomain: pop.domain,
      AccountUpn: a.user.upn,
      AccountSid: a.user.sid,
      AccountObjectId: a.user.objectId,
      AccountDisplayName: a.user.displayName,
      DeviceName: a.dev.name,
      IPAddress: a.dev.ip,
      Port: rng.int(49152, 65535),
      DestinationDeviceName: dc.name,
      DestinationIPAddress: dc.ip,
      DestinationPort: port,
      TargetDeviceName: '',
      TargetAccountUpn: targetUpn,
      TargetAccountDisplayName: targetName,
      Location: '',
      ReportId: reportId(i, 60_000),
      AdditionalFields: { SourceAccountId: a.user.objectId, Count: 1 },
    };
  },
};

export const identityLogonEvents: TableGenerator = {
  table: 'IdentityLogonEvents',
  keyColumns: ['ReportId'],
  plantColumns: {},
  row(ctx, i, ts) {
    const { rng, pop } = ctx;
    const a = pickActor(ctx);
    const dc = pop.dcs[rng.int(0, pop.dcs.length - 1)] as Device;
    const failed = rng.chance(0.06);
    const kerberos = rng.chance(0.8);
    return {
      Timestamp: new Date(ts),
      ActionType: failed ? 'LogonFailed' : 'LogonSuccess',
      Application: 'Active Directory',
      LogonType: rng.chance(0.7) ? 'Resource access' : 'Credentials validation',
      Protocol: kerberos ? 'Kerberos' : 'Ntlm',
      FailureReason: failed ? rng.pick(['WrongPassword', 'AccountDisabled', 'UnknownUser']) : '',
      AccountName: a.user.name,
      AccountDomain: pop.domain,
      AccountUpn: a.user.upn,
      AccountSid: a.user.sid,
      AccountObjectId: a.user.objectId,
      AccountDisplayName: a.user.displayName,
      DeviceName: a.dev.name,
      DeviceType: a.dev.server ? 'Server' : 'Desktop',
      OSPlatform: a.dev.server ? 'WindowsServer2022' : 'Windows11',
      IPAddress: a.dev.ip,
      Port: rng.int(49152, 65535),
      DestinationDeviceName: dc.name,
      DestinationIPAddress: dc.ip,
      DestinationPort: kerberos ? 88 : 445,
      TargetDeviceName: a.dev.server ? '' : (pop.devices[rng.int(0, 11)] as Device).name,
      TargetAccountDisplayName: '',
      Location: '',
      Isp: '',
      ReportId: reportId(i, 70_000),
      AdditionalFields: { Spns: kerberos ? `krbtgt/${pop.domain.toUpperCase()}` : '' },
    };
  },
};

const userAgents = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0',
  'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17531; Pro)',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
] as const;

export const cloudAppEvents: TableGenerator = {
  table: 'CloudAppEvents',
  keyColumns: ['ReportId'],
  plantColumns: {},
  row(ctx, i, ts) {
    const { rng, pop } = ctx;
    const a = pickActor(ctx);
    const [app, appId, actions] = cloudApps[rng.skewed(cloudApps.length, 1.3)]!;
    const action = rng.pick(actions);
    const doc = rng.pick(documentNames);
    const objectId = `https://${pop.domain.split('.')[0]}.sharepoint.com/sites/${a.user.department.toLowerCase()}/Shared Documents/${doc}`;
    return {
      Timestamp: new Date(ts),
      ActionType: action,
      Application: app,
      ApplicationId: appId,
      AppInstanceId: 0,
      AccountObjectId: a.user.objectId,
      AccountId: a.user.objectId,
      AccountDisplayName: a.user.displayName,
      IsAdminOperation: false,
      DeviceType: 'Desktop',
      OSPlatform: 'Windows 10',
      IPAddress: pop.egressIp,
      IsAnonymousProxy: false,
      CountryCode: 'US',
      City: 'Redmond',
      Isp: 'Contoso Networks',
      UserAgent: rng.pick(userAgents),
      ActivityType: action.startsWith('File') ? 'Download' : 'Basic',
      ActivityObjects: [{ Type: 'File', Name: doc, Id: objectId }],
      ObjectName: doc,
      ObjectType: 'File',
      ObjectId: objectId,
      ReportId: reportId(i, 80_000),
      AccountType: 'Regular',
      IsExternalUser: false,
      IsImpersonated: false,
      IPTags: [],
      IPCategory: '',
      UserAgentTags: [],
      RawEventData: { Operation: action, Workload: app.replace('Microsoft ', ''), UserId: a.user.upn, ObjectId: objectId },
      AdditionalFields: {},
      LastSeenForUser: {},
      UncommonForUser: [],
      AuditSource: 'Defender for Cloud Apps',
      SessionData: {},
      OAuthAppId: '',
    };
  },
};
