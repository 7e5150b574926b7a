/**
 * The mail tables — EmailEvents, EmailUrlInfo, EmailAttachmentInfo, UrlClickEvents — share one model:
 * message `m` (0 ≤ m < M) has a time, a NetworkMessageId, a sender and recipient, a run of URL rows and
 * attachment rows, all computed statelessly from (seed, m), so the four tables agree on ids and times
 * whichever of them are generated. Planted messages come from the planted sender, carry a phishing URL
 * first, the planted dropper as first attachment, and are the ones people click.
 */
import { eventTableRatios, type ResolvedOptions } from '../options.js';
import type { PlantedIndicator } from '../plant.js';
import { publicIpFor, type Population, type Site, type User } from '../population.js';
import { hash32, hashFloat, hashGuid, hashHex, hashString } from '../prng.js';
import { attachmentNames, externalSenders, mailSubjects } from '../vocab.js';
import { HOUR, hostVariants, kindVariants, plantedPath, type TableCtx, type TableGenerator, type Variant } from '../table-gen.js';

const H = { time: 11, plant: 12, pick: 13, nmid: 14, att: 15, url: 16, click: 17, rid: 18 } as const;

interface MailModel {
  readonly seed: number;
  readonly M: number;
  readonly nUrl: number;
  readonly nAtt: number;
  readonly nClick: number;
  readonly startMs: number;
  readonly endMs: number;
  readonly variants: readonly Variant[];
  readonly forced: number;
  readonly rate: number;
  readonly senders: readonly PlantedIndicator[];
  readonly dropper: PlantedIndicator | undefined;
}

const models = new WeakMap<ResolvedOptions, MailModel>();

function derived(r: ResolvedOptions, table: keyof typeof eventTableRatios, M: number): number {
  return r.counts.get(table) ?? Math.round((M * eventTableRatios[table]) / eventTableRatios.EmailEvents);
}

function modelOf(r: ResolvedOptions): MailModel {
  let m = models.get(r);
  if (m) return m;
  const M = r.messages;
  const variants = r.plant ? [...kindVariants(r.plant, ['url'], 'url', ['phish']), ...hostVariants(r.plant, ['host'], ['phish'])] : [];
  m = {
    seed: r.seed,
    M,
    nUrl: derived(r, 'EmailUrlInfo', M),
    nAtt: derived(r, 'EmailAttachmentInfo', M),
    nClick: derived(r, 'UrlClickEvents', M),
    startMs: r.startMs,
    endMs: r.endMs,
    variants,
    forced: variants.length ? Math.min(variants.length, Math.floor(M / 10)) : 0,
    // Mail is the campaign's entry point: plant it at five times the base rate.
    rate: Math.min(0.5, (r.plant?.rate ?? 0) * 5),
    senders: r.plant ? r.plant.indicators.filter((i) => i.kind === 'email') : [],
    dropper: r.plant?.indicators.find((i) => i.kind === 'sha256'),
  };
  models.set(r, m);
  return m;
}

function msgTime(mm: MailModel, m: number): number {
  const span = mm.endMs - mm.startMs;
  let t = mm.startMs + Math.floor(((m + hashFloat(mm.seed, H.time, m)) * span) / mm.M);
  const back = mm.M - 1 - m;
  // The forced planted messages land in the last hour (before their clicks), as the engine does for other tables.
  if (back < mm.forced) t = Math.max(t, mm.endMs - HOUR + Math.floor(((mm.forced - back) * (HOUR / 2)) / (mm.forced + 1)));
  return Math.min(mm.endMs - 1, t);
}

/** Index into `variants` of a planted message, or -1. */
function plantOf(mm: MailModel, m: number): number {
  if (mm.variants.length === 0) return -1;
  const back = mm.M - 1 - m;
  if (back >= 0 && back < mm.forced) return back;
  if (hashFloat(mm.seed, H.plant, m) < mm.rate) return hash32(mm.seed, H.pick, m) % mm.variants.length;
  return -1;
}

const ceilDiv = (a: number, b: number): number => Math.floor((a + b - 1) / b);
const firstRow = (m: number, rows: number, M: number): number => ceilDiv(m * rows, M);

interface Message {
  readonly m: number;
  readonly time: number;
  readonly nmid: string;
  readonly plant: number;
  readonly direction: 'Inbound' | 'Intra-org' | 'Outbound';
  readonly from: string;
  readonly fromName: string;
  readonly fromObjectId: string;
  readonly recipient: User;
  readonly to: string;
}

function message(mm: MailModel, pop: Population, m: number): Message {
  const h = hash32(mm.seed, H.pick, m, 1);
  const plant = plantOf(mm, m);
  const recipient = pop.users[h % pop.users.length] as User;
  const roll = (h >>> 8) % 100;
  let direction: Message['direction'] = roll < 65 ? 'Inbound' : roll < 95 ? 'Intra-org' : 'Outbound';
  let from: string;
  let fromName: string;
  let fromObjectId = '';
  if (plant >= 0) {
    direction = 'Inbound';
    const s = mm.senders[m % Math.max(1, mm.senders.length)];
    from = s ? s.value : 'accounts@billing-notice.example.org';
    fromName = 'Accounts Payable';
  } else if (direction === 'Inbound') {
    const s = externalSenders[(h >>> 16) % externalSenders.length]!;
    from = s[0];
    fromName = s[1];
  } else {
    const u = pop.users[(h >>> 12) % pop.users.length] as User;
    from = u.email;
    fromName = u.displayName;
    fromObjectId = u.objectId;
  }
  const to = direction === 'Outbound' ? externalSenders[(h >>> 20) % externalSenders.length]![0].replace(/^[^@]+/, 'contact') : recipient.email;
  return { m, time: msgTime(mm, m), nmid: hashGuid(mm.seed, H.nmid, m), plant, direction, from, fromName, fromObjectId, recipient, to };
}

/** URL number k of message m. */
function urlOf(mm: MailModel, pop: Population, msg: Message, k: number): string {
  if (msg.plant >= 0 && k === 0) {
    const v = mm.variants[msg.plant] as Variant;
    return v.form === 'url' ? v.value : `https://${v.value}${plantedPath(v.indicator, msg.m)}`;
  }
  const site = pop.sites[hash32(mm.seed, H.url, msg.m, k) % pop.sites.length] as Site;
  return `https://${site.host}${site.path}`;
}

function hostOf(url: string): string {
  return url.replace(/^[a-z]+:\/\//i, '').split(/[/?#:]/)[0]!.toLowerCase();
}

function reportId(mm: MailModel, table: number, i: number): string {
  return hashHex(32, mm.seed, H.rid, table, i).toUpperCase();
}

export const emailEvents: TableGenerator = {
  table: 'EmailEvents',
  keyColumns: ['ReportId'],
  plantColumns: { SenderFromAddress: 'email', SenderMailFromAddress: 'email' },
  row(ctx: TableCtx, i: number) {
    const mm = modelOf(ctx.opts);
    const msg = message(mm, ctx.pop, i);
    ctx.planted = msg.plant >= 0;
    const h = hash32(mm.seed, H.pick, i, 2);
    const fromDomain = msg.from.split('@')[1]!;
    const junk = msg.plant < 0 ? h % 100 < 7 : h % 100 < 25;
    const blocked = !junk && msg.plant < 0 && h % 100 > 96;
    const phishVerdict = msg.plant >= 0 && junk;
    const urls = firstRow(i + 1, mm.nUrl, mm.M) - firstRow(i, mm.nUrl, mm.M);
    const atts = firstRow(i + 1, mm.nAtt, mm.M) - firstRow(i, mm.nAtt, mm.M);
    const action = blocked ? 'Blocked' : junk ? 'Junked' : 'Delivered';
    const location = blocked ? 'Quarantine' : junk ? 'Junk folder' : msg.direction === 'Outbound' ? 'On-premises/external' : 'Inbox/folder';
    return {
      Timestamp: new Date(msg.time),
      NetworkMessageId: msg.nmid,
      InternetMessageId: `<${hashHex(24, mm.seed, H.nmid, i, 3)}@${fromDomain}>`,
      SenderMailFromAddress: msg.from,
      SenderFromAddress: msg.from,
      SenderDisplayName: msg.fromName,
      SenderObjectId: msg.fromObjectId,
      SenderMailFromDomain: fromDomain,
      SenderFromDomain: fromDomain,
      SenderIPv4: msg.direction === 'Inbound' ? publicIpFor(mm.seed, hashString(fromDomain)) : ctx.pop.egressIp,
      SenderIPv6: '',
      RecipientEmailAddress: msg.to,
      RecipientObjectId: msg.direction === 'Outbound' ? '' : msg.recipient.objectId,
      Subject: msg.plant >= 0 ? 'Invoice 2291 overdue - action required' : mailSubjects[h % mailSubjects.length]!,
      EmailClusterId: 3_000_000_000 + (hash32(mm.seed, H.pick, msg.plant >= 0 ? -1 : i, 4) % 1_000_000_000),
      EmailDirection: msg.direction,
      DeliveryAction: action,
      DeliveryLocation: location,
      ThreatTypes: phishVerdict ? 'Phish' : blocked ? 'Spam' : '',
      ThreatNames: '',
      DetectionMethods: phishVerdict ? '{"Phish":["URL detonation reputation"]}' : blocked ? '{"Spam":["Mixed analysis detection"]}' : '',
      ConfidenceLevel: phishVerdict ? '{"Phish":"High"}' : blocked ? '{"Spam":"High"}' : '',
      BulkComplaintLevel: h % 10,
      EmailAction: junk ? 'Move message to junk mail folder' : '',
      EmailActionPolicy: junk ? 'Antiphish' : '',
      EmailActionPolicyGuid: '',
      AuthenticationDetails: msg.plant >= 0
        ? '{"SPF":"softfail","DKIM":"none","DMARC":"none","CompAuth":"fail"}'
        : '{"SPF":"pass","DKIM":"pass","DMARC":"pass","CompAuth":"pass"}',
      AttachmentCount: atts,
      UrlCount: urls,
      EmailLanguage: 'en',
      Connectors: '',
      OrgLevelAction: '',
      OrgLevelPolicy: '',
      UserLevelAction: '',
      UserLevelPolicy: '',
      ReportId: reportId(mm, 1, i),
      AdditionalFields: '',
      LatestDeliveryLocation: location,
      LatestDeliveryAction: action,
    };
  },
};

export const emailUrlInfo: TableGenerator = {
  table: 'EmailUrlInfo',
  keyColumns: ['ReportId'],
  plantColumns: { Url: 'url', UrlDomain: 'host' },
  row(ctx: TableCtx, j: number) {
    const mm = modelOf(ctx.opts);
    const m = Math.min(mm.M - 1, Math.floor((j * mm.M) / Math.max(1, mm.nUrl)));
    const k = Math.max(0, j - firstRow(m, mm.nUrl, mm.M));
    const msg = message(mm, ctx.pop, m);
    ctx.planted = msg.plant >= 0;
    const url = urlOf(mm, ctx.pop, msg, k);
    const loc = hash32(mm.seed, H.url, m, k, 9) % 100;
    return {
      Timestamp: new Date(msg.time),
      NetworkMessageId: msg.nmid,
      Url: url,
      UrlDomain: hostOf(url),
      UrlLocation: loc < 85 ? 'Body' : loc < 97 ? 'Attachment' : 'QRCode',
      ReportId: reportId(mm, 2, j),
    };
  },
};

export const emailAttachmentInfo: TableGenerator = {
  table: 'EmailAttachmentInfo',
  keyColumns: ['ReportId'],
  plantColumns: { SHA256: 'hash', SenderFromAddress: 'email' },
  row(ctx: TableCtx, j: number) {
    const mm = modelOf(ctx.opts);
    const m = Math.min(mm.M - 1, Math.floor((j * mm.M) / Math.max(1, mm.nAtt)));
    const k = Math.max(0, j - firstRow(m, mm.nAtt, mm.M));
    const msg = message(mm, ctx.pop, m);
    ctx.planted = msg.plant >= 0;
    const dropper = msg.plant >= 0 && k === 0 && mm.dropper;
    const [name, type] = dropper ? [mm.dropper!.fileName ?? 'payload.iso', 'iso'] : attachmentNames[hash32(mm.seed, H.att, m, k) % attachmentNames.length]!;
    return {
      Timestamp: new Date(msg.time),
      NetworkMessageId: msg.nmid,
      SenderFromAddress: msg.from,
      SenderDisplayName: msg.fromName,
      SenderObjectId: msg.fromObjectId,
      RecipientEmailAddress: msg.to,
      RecipientObjectId: msg.direction === 'Outbound' ? '' : msg.recipient.objectId,
      FileName: name,
      FileType: type,
      SHA256: dropper ? mm.dropper!.value.toLowerCase() : hashHex(64, mm.seed, H.att, m, k),
      FileSize: 10_000 + (hash32(mm.seed, H.att, m, k, 1) % 3_000_000),
      ThreatTypes: '',
      ThreatNames: '',
      DetectionMethods: '',
      ReportId: reportId(mm, 3, j),
    };
  },
};

const clickActions = ['ClickAllowed', 'ClickBlocked', 'ClickBlockedByTenantPolicy', 'UrlScanInProgress'] as const;

export const urlClickEvents: TableGenerator = {
  table: 'UrlClickEvents',
  keyColumns: ['ReportId'],
  plantColumns: { Url: 'url', UrlChain: 'urlchain' },
  row(ctx: TableCtx, c: number) {
    const mm = modelOf(ctx.opts);
    const nC = Math.max(1, mm.nClick);
    const lo = Math.min(mm.M - 1, Math.floor((c * mm.M) / nC));
    const hi = Math.max(lo + 1, Math.min(mm.M, Math.floor(((c + 1) * mm.M) / nC)));
    // People click phishing links: a planted message in this click's window is the one clicked.
    let m = lo + (hash32(mm.seed, H.click, c) % (hi - lo));
    for (let x = lo; x < hi; x++) if (plantOf(mm, x) >= 0) { m = x; break; }
    // The last clicks go one each to the forced planted messages, so every planted form is clicked in the last hour.
    const backClick = nC - 1 - c;
    if (backClick < mm.forced && nC >= mm.forced * 4) m = mm.M - 1 - backClick;
    const msg = message(mm, ctx.pop, m);
    ctx.planted = msg.plant >= 0;
    const h = hash32(mm.seed, H.click, c, 1);
    const url = urlOf(mm, ctx.pop, msg, 0);
    const action: string = msg.plant >= 0 ? 'ClickAllowed' : clickActions[h % 100 < 86 ? 0 : h % 100 < 95 ? 1 : h % 100 < 98 ? 2 : 3]!;
    const redirect = msg.plant < 0 && (h >>> 8) % 100 < 20;
    const chain = redirect ? [url, `https://${ctx.pop.sites[(h >>> 12) % ctx.pop.sites.length]!.host}/`] : [url];
    const delay = plantOf(mm, m) >= 0 && mm.M - 1 - m < mm.forced ? 30_000 + ((h >>> 4) % (20 * 60_000)) : 30_000 + ((h >>> 4) % (90 * 60_000));
    const time = Math.min(mm.endMs - 1, msg.time + delay);
    return {
      Timestamp: new Date(time),
      Url: url,
      ActionType: action,
      AccountUpn: msg.recipient.upn,
      Workload: 'Email',
      NetworkMessageId: msg.nmid,
      ThreatTypes: action === 'ClickBlocked' ? 'Phish' : '',
      DetectionMethods: action === 'ClickBlocked' ? 'URL detonation reputation' : '',
      IPAddress: ctx.pop.egressIp,
      IsClickedThrough: action === 'ClickBlocked' && (h >>> 20) % 100 < 30,
      UrlChain: JSON.stringify(chain),
      ReportId: reportId(mm, 4, c),
    };
  },
};
