/**
 * Network facts from raw RIR WHOIS text (ARIN `NetRange/CIDR/NetName/OriginAS`, RIPE/APNIC/AFRINIC
 * `inetnum/netname/origin/country`, LACNIC `inetnum/aut-num`): used for the Network and ASN columns of
 * Resolutions and the IP summary.
 */
import { whoisEntries } from './parse-whois.js';

export interface IpWhoisFacts {
  range?: string;
  cidr?: string;
  networkName?: string;
  asn?: number;
  country?: string;
  organization?: string;
}

export function parseIpWhois(text: string): IpWhoisFacts {
  const f: IpWhoisFacts = {};
  for (const e of whoisEntries(text)) {
    const k = e.key;
    const v = e.value;
    if ((k === 'netrange' || k === 'inetnum' || k === 'inet6num') && !f.range) f.range = v;
    else if ((k === 'cidr' || k === 'route' || k === 'route6') && !f.cidr) f.cidr = v.split(/[\s,]+/)[0];
    else if ((k === 'netname' || k === 'network-name' || k === 'ownerid') && !f.networkName) f.networkName = v; // LACNIC: ownerid
    else if ((k === 'originas' || k === 'origin' || k === 'aut-num') && f.asn === undefined) {
      const m = /AS?(\d+)/i.exec(v);
      if (m) f.asn = Number(m[1]);
    } else if (k === 'country' && !f.country) f.country = v.toUpperCase();
    else if ((k === 'organization' || k === 'orgname' || k === 'org-name' || k === 'owner' || k === 'descr') && !f.organization) f.organization = v;
  }
  if (!f.cidr && f.range && /\//.test(f.range)) f.cidr = f.range;
  return f;
}
