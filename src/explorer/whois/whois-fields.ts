/**
 * Which WHOIS keys mean which field, across registries. Keys arrive normalised (`normKey`): lowercase,
 * padding and brackets removed. A key inside a section (Nominet's `Relevant dates:` block, SIDN's
 * `Registrar:` block) is matched with its section too.
 */
export type WhoisField = 'domain' | 'registrar' | 'whoisServer' | 'created' | 'updated' | 'expires' | 'status' | 'nameServer';

const exact: Record<string, WhoisField> = {};
function add(field: WhoisField, ...keys: string[]): void {
  for (const k of keys) exact[k] = field;
}

add('domain', 'domain name', 'domain', 'domainname', 'domain information', 'nom de domaine', 'dominio', 'domain name (ascii)');
add(
  'registrar',
  'registrar', 'registrar name', 'sponsoring registrar', 'registrar organization', 'registrar organisation', 'registrar-name',
  'sponsoring registrar organization', 'registration service provider', 'registrar of record', 'registrar company', 'authorized agency',
  'registrar handle', 'provider', 'registration service providers', 'sponsoring registrar name', 'registrant agent',
);
add('whoisServer', 'registrar whois server', 'whois server', 'whois', 'registrar whois');
add(
  'created',
  'creation date', 'created', 'created on', 'created date', 'registered', 'registered on', 'registration date', 'registration time',
  'domain registration date', 'domain record activated', 'domain create date', 'record created', 'commencement date',
  'domain name commencement date', 'created at', 'activation date', 'registration', 'domain created', 'create date', 'creation time',
  'registered date', 'first registration date', 'date created', 'registrated', 'registered at', '登録年月日', 'registration date and time',
  'registerd', 'date de creation', 'data de registo',
);
add(
  'updated',
  'updated date', 'last updated', 'last modified', 'changed', 'modified', 'last update', 'domain record last updated', 'updated on',
  'last updated on', 'updated', 'modified date', 'last modified date', 'domain last updated date', 'last updated date', 'update date',
  'record last updated on', '最終更新', 'last-update', 'modification date', 'last change', 'record last updated', 'modified on',
  'domain datelastmodified', 'last update of whois database', 'last-modified', 'date modified', 'derniere modification',
);
add(
  'expires',
  'registry expiry date', 'expiration date', 'expiry date', 'expires', 'expires on', 'paid-till', 'renewal date', 'expire date',
  'registrar registration expiration date', 'expiration time', 'valid until', '有効期限', 'domain expiration date', 'expire', 'expiry',
  'record expires on', 'registry expiration date', 'domain expires', 'expiration', 'free-date', 'date d\'expiration', 'expires at',
  'renewal', 'validity', 'date expires', 'expiration date (dd/mm/yyyy)', 'domain expiry date', 'data de expiracao',
);
add('status', 'domain status', 'status', 'state', 'registration status', 'domain state', 'estado');
add(
  'nameServer',
  'name server', 'name servers', 'nameserver', 'nameservers', 'nserver', 'name server (host name)', 'dns servers', 'hostname',
  'domain name servers', 'name servers information',
  'domain nameservers', 'nameservers information', 'name servers information', 'domain servers in listed order', 'host name',
  'ネームサーバ', 'primary server', 'secondary server', 'ns', 'dns server', 'name server handle', 'nameserver hostname',
);

/** Section names under which keys mean something else (contacts' `created`, the registrar's address). */
const contactSections = /^(registrant|admin|administrative|tech|technical|billing|owner|holder|zone|abuse|contact|person|organisation|organization|registrar abuse|nic-hdl|role)/;

/** Lines that head a block of values without a colon (`Name servers`, `Nameservers`, `Registrar`). */
export function isHeaderKey(k: string): boolean {
  const f = exact[k];
  return f === 'nameServer' || f === 'registrar' || k === 'registrar information';
}

export function fieldOf(key: string, section: string): WhoisField | undefined {
  if (section) {
    if (/date|dates/.test(section)) {
      const f = exact[key];
      if (f === 'created' || f === 'updated' || f === 'expires') return f;
      if (/register|creat/.test(key)) return 'created';
      if (/expir|renew/.test(key)) return 'expires';
      if (/updat|modif|chang/.test(key)) return 'updated';
    }
    if (contactSections.test(section) && section !== 'registrar') return undefined;
    if (/^registrar$|^sponsoring registrar$|^registrar information$/.test(section)) {
      if (key === section || key === 'name' || key === 'organization' || key === 'registrar name') return 'registrar';
      return undefined;
    }
    if (/name ?servers?|dns|nserver|domain servers/.test(section)) {
      if (key === section || exact[key] === 'nameServer' || key === 'name' || key === 'host') return 'nameServer';
    }
    if (key === section) return exact[key];
  }
  const f = exact[key];
  if (f) return f;
  if (/^(domain )?name ?server\s*\d*$|^nserver\d*$|^ns\s*\d+$|^dns\s*\d+$/.test(key)) return 'nameServer';
  return undefined;
}

const roleWords: [RegExp, string][] = [
  [/^(registrant|owner|holder|titular|registrant contact)/, 'registrant'],
  [/^(admin|administrative|ac )/, 'admin'],
  [/^(tech|technical|tc )/, 'technical'],
  [/^billing/, 'billing'],
  [/^(registrar abuse|abuse)/, 'abuse'],
  [/^zone/, 'zone'],
  [/^noc/, 'noc'],
];

export function contactRoleOf(key: string, section: string): { role: string } | undefined {
  for (const [re, role] of roleWords) {
    if (re.test(key) && !/-c$|handle|id$/.test(key)) return { role };
    if (section && re.test(section)) return { role };
  }
  return undefined;
}

type ContactField = 'name' | 'organization' | 'email' | 'street' | 'city' | 'state' | 'postalCode' | 'country' | 'phone' | 'fax';

export function contactFieldOf(key: string, section: string): ContactField | undefined {
  const k = section && !roleWords.some(([re]) => re.test(key)) ? key : key.replace(/^(registrant|owner|holder|admin|administrative|tech|technical|billing|zone|noc|registrar abuse|abuse)( contact)?\s*/, '');
  if (/e-?mail/.test(k)) return 'email';
  if (/fax/.test(k)) return 'fax';
  if (/phone|tel/.test(k)) return 'phone';
  if (/organi[sz]ation|^org$|company/.test(k)) return 'organization';
  if (/street|address/.test(k)) return 'street';
  if (/city|locality/.test(k)) return 'city';
  if (/state|province/.test(k)) return 'state';
  if (/postal|zip/.test(k)) return 'postalCode';
  if (/country/.test(k)) return 'country';
  if (/name$|^name|^$/.test(k) && !/server/.test(k)) return 'name';
  return undefined;
}
