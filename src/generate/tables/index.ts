/** The row maker of every generated table. */
import type { GeneratedTableName } from '../options.js';
import type { TableGenerator } from '../table-gen.js';
import { deviceEvents } from './device-events.js';
import { deviceFileEvents } from './device-file.js';
import { deviceNetworkEvents } from './device-network.js';
import { deviceLogonEvents, deviceProcessEvents } from './device-process.js';
import { identityLogonEvents, identityQueryEvents, cloudAppEvents } from './identity.js';
import { threatIntelIndicators, threatIntelligenceIndicator } from './indicators.js';
import { emailAttachmentInfo, emailEvents, emailUrlInfo, urlClickEvents } from './mail.js';
import { commonSecurityLog, dnsEvents } from './sentinel.js';

export const tableGenerators: Readonly<Record<GeneratedTableName, TableGenerator>> = {
  DeviceNetworkEvents: deviceNetworkEvents,
  DeviceProcessEvents: deviceProcessEvents,
  DeviceFileEvents: deviceFileEvents,
  DeviceEvents: deviceEvents,
  DeviceLogonEvents: deviceLogonEvents,
  EmailEvents: emailEvents,
  EmailUrlInfo: emailUrlInfo,
  EmailAttachmentInfo: emailAttachmentInfo,
  UrlClickEvents: urlClickEvents,
  IdentityQueryEvents: identityQueryEvents,
  IdentityLogonEvents: identityLogonEvents,
  CloudAppEvents: cloudAppEvents,
  DnsEvents: dnsEvents,
  CommonSecurityLog: commonSecurityLog,
  ThreatIntelligenceIndicator: threatIntelligenceIndicator,
  ThreatIntelIndicators: threatIntelIndicators,
};
