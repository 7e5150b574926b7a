/**
 * MISP events (plain `{"Event":…}`, the API's `{"response":[{"Event":…}]}` wrapper, or a list of either) →
 * STIX 2.1: the event becomes a `report`, its creator org an `identity`, every attribute (top-level and inside
 * objects) an `indicator` with id `indicator--<attribute uuid>` and `modified` = the attribute timestamp.
 * `to_ids` decides detection: `to_ids=false` → `x_quarry_detect: false` (Active=false in the TI tables) unless
 * the import is told `detectAll`. TLP tags become TLP markings; other tags become labels. Galaxy clusters
 * become threat-actor / intrusion-set / attack-pattern / malware / tool objects with `indicates` and `uses`
 * relationships. Attributes that are no indicators (comment, text, link, …) are skipped with the reason.
 */
import type { ImportIssue } from '../object-store.js';
import { normalizeAs, stixString, type ObservableKind } from '../normalize.js';
import { deterministicId, type StixObject } from '../stix.js';
import { tlpMarkingFor } from '../tlp.js';
import type { Conversion, ImportOptions } from './report.js';

type Rec = Record<string, unknown>;

/** MISP attribute type → how to build the pattern from its (pipe-split) value parts. */
const single: Record<string, [ObservableKind, string]> = {
  domain: ['domain', 'domain-name:value'], hostname: ['domain', 'domain-name:value'],
  url: ['url', 'url:value'], uri: ['other', 'url:value'],
  md5: ['md5', 'file:hashes.MD5'], sha1: ['sha1', "file:hashes.'SHA-1'"], sha256: ['sha256', "file:hashes.'SHA-256'"],
  sha512: ['sha512', "file:hashes.'SHA-512'"], ssdeep: ['other', 'file:hashes.SSDEEP'], imphash: ['other', 'file:hashes.IMPHASH'],
  filename: ['filename', 'file:name'], 'email-src': ['email', 'email-message:from_ref.value'], 'email-dst': ['email', 'email-message:to_refs[*].value'],
  email: ['email', 'email-addr:value'], 'email-subject': ['other', 'email-message:subject'], mutex: ['other', 'mutex:name'],
  regkey: ['other', 'windows-registry-key:key'], 'user-agent': ['other', "network-traffic:extensions.'http-request-ext'.request_header.'User-Agent'"],
  AS: ['other', 'autonomous-system:number'], 'x509-fingerprint-sha1': ['other', "x509-certificate:hashes.'SHA-1'"],
};
const NON_INDICATOR = new Set(['comment', 'text', 'link', 'other', 'attachment', 'malware-sample', 'datetime', 'counter', 'float', 'size-in-bytes']);

/** ip-src and ip-dst both become an address observable: direction is the event's story, not the indicator's. */
function ipKey(v: string): [ObservableKind, string] | null {
  const n4 = normalizeAs('ipv4', v);
  const n6 = n4 ? null : normalizeAs('ipv6', v);
  if (!n4 && !n6) return null;
  return n4 ? ['ipv4', 'ipv4-addr:value'] : ['ipv6', 'ipv6-addr:value'];
}

function cmp(key: string, kind: ObservableKind, raw: string): string | null {
  const v = kind === 'other' ? raw : normalizeAs(kind, raw);
  return v === null ? null : `${key} = ${stixString(v)}`;
}

/** The STIX pattern for one MISP attribute, or a reason why there is none. */
export function mispPattern(type: string, value: string): { pattern: string } | { reason: string } {
  if (NON_INDICATOR.has(type)) return { reason: `MISP attribute type '${type}' carries no indicator` };
  const parts = value.split('|');
  const terms: (string | null)[] = [];
  const ip = (v: string) => {
    const k = ipKey(v);
    return k ? cmp(k[1], k[0], v) : null;
  };
  if (type === 'ip-dst' || type === 'ip-src') terms.push(ip(value));
  else if (type === 'ip-dst|port' || type === 'ip-src|port') terms.push(ip(parts[0] ?? ''));
  else if (type === 'domain|ip') terms.push(cmp('domain-name:value', 'domain', parts[0] ?? ''), ip(parts[1] ?? ''));
  else if (type === 'hostname|port') terms.push(cmp('domain-name:value', 'domain', parts[0] ?? ''));
  else if (type === 'regkey|value') terms.push(cmp('windows-registry-key:key', 'other', parts[0] ?? ''), cmp('windows-registry-key:values[*].data', 'other', parts.slice(1).join('|')));
  else if (type.startsWith('filename|')) {
    const h = single[type.slice(9)];
    if (!h) return { reason: `MISP attribute type '${type}' is not supported` };
    terms.push(cmp('file:name', 'filename', parts[0] ?? ''), cmp(h[1], h[0], parts[1] ?? ''));
  } else if (single[type]) terms.push(cmp(single[type]![1], single[type]![0], value));
  else return { reason: `MISP attribute type '${type}' is not supported` };
  if (terms.length === 0 || terms.some((t) => t === null)) return { reason: `value '${value}' is not a valid ${type}` };
  // domain|ip: either observable matches; composite file/registry values describe one object (AND)
  const joiner = type === 'domain|ip' ? ' OR ' : ' AND ';
  return { pattern: type === 'domain|ip' ? terms.map((t) => `[${t}]`).join(joiner) : `[${terms.join(joiner)}]` };
}

function isoOfEpoch(v: unknown): string {
  const n = Number(v);
  return new Date((Number.isFinite(n) ? n : 0) * 1000).toISOString();
}

function events(v: unknown): Rec[] {
  if (Array.isArray(v)) return v.flatMap(events);
  const o = v as Rec;
  if (Array.isArray(o.response)) return o.response.flatMap(events);
  if (o.Event && typeof o.Event === 'object') return [o.Event as Rec];
  return [];
}

export function isMispEvent(v: unknown): boolean {
  return !!v && typeof v === 'object' && events(v).length > 0;
}

const clusterType: Record<string, string> = {
  'threat-actor': 'threat-actor', 'microsoft-activity-group': 'threat-actor', 'mitre-intrusion-set': 'intrusion-set',
  'mitre-enterprise-attack-intrusion-set': 'intrusion-set', 'mitre-attack-pattern': 'attack-pattern',
  'mitre-enterprise-attack-attack-pattern': 'attack-pattern', tool: 'malware', 'mitre-tool': 'tool', 'mitre-malware': 'malware',
  'malpedia': 'malware', ransomware: 'malware', rat: 'malware', banker: 'malware', stealer: 'malware',
};

function clusterObject(galaxyType: string, c: Rec, eventUuid: string, time: string): StixObject | null {
  const type = clusterType[galaxyType];
  if (!type || typeof c.value !== 'string') return null;
  const meta = (c.meta ?? {}) as Rec;
  const ext = /^(.*?) - ([TGS]\d{4}(?:\.\d{3})?)$/.exec(c.value);
  const name = ext ? ext[1]! : c.value;
  const o: Rec = {
    type, spec_version: '2.1', id: deterministicId(type, 'misp-event-cluster', eventUuid, String(c.uuid ?? c.value)),
    created: time, modified: time, name,
    ...(typeof c.description === 'string' && c.description ? { description: c.description } : {}),
  };
  const syn = Array.isArray(meta.synonyms) ? (meta.synonyms as string[]) : [];
  if (type === 'threat-actor' || type === 'intrusion-set') o.aliases = [name, ...syn.filter((s) => s !== name)];
  if (type === 'malware') o.is_family = true;
  if (ext) o.external_references = [{ source_name: 'mitre-attack', external_id: ext[2] }];
  return o as StixObject;
}

export function convertMispEvents(v: unknown, opts: ImportOptions = {}): Conversion {
  const objects: StixObject[] = [];
  const skipped: ImportIssue[] = [];
  const rejected: ImportIssue[] = [];
  for (const ev of events(v)) {
    const evUuid = String(ev.uuid ?? '');
    const evTime = isoOfEpoch(ev.timestamp);
    const orgc = (ev.Orgc ?? {}) as Rec;
    const identityId = orgc.uuid ? `identity--${String(orgc.uuid)}` : undefined;
    if (identityId) {
      objects.push({ type: 'identity', spec_version: '2.1', id: identityId, created: evTime, modified: evTime, name: String(orgc.name ?? 'MISP organisation'), identity_class: 'organization' });
    }
    const tagNames = (Array.isArray(ev.Tag) ? (ev.Tag as Rec[]) : []).map((t) => String(t.name));
    const markings: StixObject[] = [];
    const labels: string[] = [];
    for (const t of tagNames) {
      const m = /tlp[:"=]*"?([a-z+]+)"?$/i.exec(t);
      const mk = m ? tlpMarkingFor(m[1]!) : null;
      if (mk) markings.push(mk);
      else if (!t.startsWith('misp-galaxy:')) labels.push(t);
    }
    objects.push(...markings);
    const markingRefs = markings.length > 0 ? { object_marking_refs: markings.map((m) => m.id) } : {};
    const createdBy = identityId ? { created_by_ref: identityId } : {};
    const refs: string[] = [];
    // galaxy clusters
    const actors: StixObject[] = [];
    const patterns: StixObject[] = [];
    for (const g of Array.isArray(ev.Galaxy) ? (ev.Galaxy as Rec[]) : []) {
      for (const c of Array.isArray(g.GalaxyCluster) ? (g.GalaxyCluster as Rec[]) : []) {
        const o = clusterObject(String(g.type), c, evUuid, evTime);
        if (!o) continue;
        objects.push({ ...o, ...createdBy });
        refs.push(o.id);
        if (o.type === 'attack-pattern') patterns.push(o);
        else if (o.type === 'threat-actor' || o.type === 'intrusion-set') actors.push(o);
      }
    }
    const rel = (src: string, type: string, tgt: string): StixObject => ({
      type: 'relationship', spec_version: '2.1', id: deterministicId('relationship', src, type, tgt),
      created: evTime, modified: evTime, relationship_type: type, source_ref: src, target_ref: tgt, ...createdBy,
    });
    for (const a of actors) for (const p of patterns) objects.push(rel(a.id, 'uses', p.id));
    // attributes, top level and in objects
    const attrs: { a: Rec; obj?: Rec }[] = (Array.isArray(ev.Attribute) ? (ev.Attribute as Rec[]) : []).map((a) => ({ a }));
    for (const ob of Array.isArray(ev.Object) ? (ev.Object as Rec[]) : []) {
      for (const a of Array.isArray(ob.Attribute) ? (ob.Attribute as Rec[]) : []) attrs.push({ a, obj: ob });
    }
    for (const { a, obj } of attrs) {
      const type = String(a.type);
      const value = String(a.value ?? '');
      const id = `indicator--${String(a.uuid)}`;
      if (a.deleted === true) {
        skipped.push({ id, reason: 'MISP attribute is deleted' });
        continue;
      }
      const p = mispPattern(type, value);
      if ('reason' in p) {
        (NON_INDICATOR.has(type) ? skipped : rejected).push({ id, reason: p.reason });
        continue;
      }
      const time = isoOfEpoch(a.timestamp);
      const attrTags = (Array.isArray(a.Tag) ? (a.Tag as Rec[]) : []).map((t) => String(t.name));
      const ind: Rec = {
        type: 'indicator', spec_version: '2.1', id, created: time, modified: time,
        name: `${type}: ${value}`,
        description: String(a.comment ?? '') || `${String(a.category ?? 'MISP')} — ${String(ev.info ?? '')}`,
        indicator_types: ['malicious-activity'],
        pattern: p.pattern, pattern_type: 'stix',
        valid_from: typeof a.first_seen === 'string' && a.first_seen ? new Date(a.first_seen).toISOString() : time,
        labels: [...new Set([...labels, ...attrTags, `misp:category="${String(a.category ?? '')}"`, `misp:type="${type}"`, ...(obj ? [`misp:object="${String(obj.name)}"`] : [])])],
        x_misp_to_ids: a.to_ids === true,
        ...(a.to_ids === true || opts.detectAll ? {} : { x_quarry_detect: false }),
        ...markingRefs, ...createdBy,
      };
      if (typeof a.last_seen === 'string' && a.last_seen) ind.valid_until = new Date(a.last_seen).toISOString();
      objects.push(ind as StixObject);
      refs.push(id);
      for (const act of actors) objects.push(rel(id, 'indicates', act.id));
    }
    if (refs.length === 0 && identityId) refs.push(identityId);
    objects.push({
      type: 'report', spec_version: '2.1', id: `report--${evUuid}`, created: isoOfEpoch(ev.publish_timestamp ?? ev.timestamp) < evTime ? isoOfEpoch(ev.publish_timestamp ?? ev.timestamp) : evTime,
      modified: evTime, name: String(ev.info ?? 'MISP event'), description: String(ev.info ?? ''),
      published: ev.date ? new Date(String(ev.date)).toISOString() : evTime, report_types: ['threat-report'],
      ...(labels.length ? { labels } : {}), object_refs: refs, ...markingRefs, ...createdBy,
      x_misp_event_id: String(ev.id ?? ''),
    } as StixObject);
  }
  return { objects, skipped, rejected };
}
