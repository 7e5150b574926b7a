/**
 * Intel profiles (MDTI / Graph `intelligenceProfile`) computed from the STIX store with alias resolution:
 * threat-actor and intrusion-set objects form `actor` profiles, malware and tool objects `tool` profiles.
 * Objects of one kind are one profile when a name or alias of one equals (normalised: lower-case, letters and
 * digits only, "APT 29" = "apt29") the name of another, transitively — so a Microsoft "Blizzard" name, an APT
 * number and a vendor name listed as aliases of one another resolve to one profile. Alias-to-alias matches
 * alone do not merge (crowd-sourced synonym lists share nicknames between distinct actors); any alias still
 * finds its profile by look-up. The profile's primary object (its id
 * and title) is the Microsoft-named one when present (MDTI shows Microsoft names), else a galaxy threat-actor,
 * else the intrusion-set / malware / tool with the smallest id.
 */
import { QuarryError } from '../core/errors.js';
import type { Store } from '../store/store.js';
import type { Page } from './object-read.js';
import type { StixObject } from './stix.js';

type Reader = Pick<Store, 'query'>;
export type ProfileKind = 'actor' | 'tool';

export interface FormattedContent {
  readonly content: string;
  readonly format: 'markdown';
}

export interface IntelProfile {
  readonly id: string;
  readonly kind: ProfileKind;
  readonly title: string;
  readonly aliases: string[];
  readonly countriesOrRegionsOfOrigin: { code: string; label: string }[];
  readonly description: string;
  readonly firstActiveDateTime: string | null;
  readonly summary: FormattedContent;
  readonly targets: string[];
  readonly tradecraft: FormattedContent;
  /** ATT&CK techniques the profile uses. */
  readonly ttps: { id: string; name: string; stixId: string }[];
  /** STIX ids of the objects merged into this profile. */
  readonly memberIds: string[];
}

export function normalizeName(s: string): string {
  return s.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]/g, '');
}

function namesOf(o: StixObject): string[] {
  const list = [o.name, ...(Array.isArray(o.aliases) ? o.aliases : []), ...(Array.isArray(o.x_mitre_aliases) ? o.x_mitre_aliases : [])];
  return list.filter((x): x is string => typeof x === 'string' && x.trim() !== '');
}

function kindOf(type: string): ProfileKind | null {
  return type === 'threat-actor' || type === 'intrusion-set' ? 'actor' : type === 'malware' || type === 'tool' ? 'tool' : null;
}

function rank(o: StixObject): number {
  if (o.x_quarry_galaxy === 'microsoft-activity-group') return 0;
  if (o.x_quarry_demo === true) return 0;
  if (o.x_quarry_galaxy === 'threat-actor') return 1;
  return 2;
}

interface Clusters {
  readonly key: bigint;
  readonly profiles: { kind: ProfileKind; members: StixObject[]; primary: StixObject }[];
  readonly byMember: Map<string, number>;
  readonly byName: Map<string, number>;
}

const cache = new WeakMap<object, Clusters>();

async function clusters(store: Reader): Promise<Clusters> {
  const key = (await store.query('SELECT coalesce(max(added_us), 0) FROM intel_objects')).rows[0]![0] as bigint;
  const hit = cache.get(store);
  if (hit && hit.key === key) return hit;
  const r = await store.query(
    `SELECT json FROM intel_objects WHERE is_current AND NOT revoked AND type IN ('threat-actor', 'intrusion-set', 'malware', 'tool') ORDER BY id`,
  );
  const objs = r.rows.map((row) => JSON.parse(row[0] as string) as StixObject);
  const parent = objs.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  // edges only from an alias to another object's *name*: alias-to-alias collisions in crowd-sourced galaxies
  // (shared vendor nicknames) would otherwise chain unrelated actors together
  const byPrimary = new Map<string, number[]>();
  objs.forEach((o, i) => {
    if (typeof o.name !== 'string') return;
    const k = `${kindOf(o.type)}:${normalizeName(o.name)}`;
    byPrimary.set(k, [...(byPrimary.get(k) ?? []), i]);
  });
  objs.forEach((o, i) => {
    const kind = kindOf(o.type)!;
    for (const n of namesOf(o)) {
      const norm = normalizeName(n);
      if (norm === '') continue;
      for (const j of byPrimary.get(`${kind}:${norm}`) ?? []) parent[find(i)] = find(j);
    }
  });
  const groups = new Map<number, StixObject[]>();
  objs.forEach((o, i) => groups.set(find(i), [...(groups.get(find(i)) ?? []), o]));
  const profiles: Clusters['profiles'] = [];
  const byMember = new Map<string, number>();
  const byName = new Map<string, number>();
  for (const members of groups.values()) {
    const primary = [...members].sort((a, b) => rank(a) - rank(b) || a.id.localeCompare(b.id))[0]!;
    const ix = profiles.length;
    profiles.push({ kind: kindOf(primary.type)!, members, primary });
    for (const m of members) {
      byMember.set(m.id, ix);
      for (const n of namesOf(m)) byName.set(`${kindOf(m.type)}:${normalizeName(n)}`, ix);
    }
  }
  const c = { key, profiles, byMember, byName };
  cache.set(store, c);
  return c;
}

let regionNames: Intl.DisplayNames | undefined;
let codeByName: Map<string, string> | undefined;
function country(v: string): { code: string; label: string } {
  regionNames ??= new Intl.DisplayNames(['en'], { type: 'region' });
  if (/^[A-Z]{2}$/.test(v)) return { code: v, label: regionNames.of(v) ?? v };
  if (!codeByName) {
    codeByName = new Map();
    for (let a = 65; a <= 90; a++) for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      const label = regionNames.of(code);
      if (label && label !== code) codeByName.set(label.toLowerCase(), code);
    }
  }
  const code = codeByName.get(v.toLowerCase());
  return { code: code ?? '', label: v };
}

async function ttpsOf(store: Reader, members: StixObject[]): Promise<IntelProfile['ttps']> {
  const ids = members.map((m) => m.id);
  const uuids = members.flatMap((m) => (Array.isArray(m.x_quarry_uses) ? (m.x_quarry_uses as string[]) : []));
  const params = [...ids, ...uuids.map((u) => `attack-pattern--${u}`)];
  if (params.length === 0) return [];
  const inList = (from: number, n: number) => Array.from({ length: n }, (_, i) => `$${from + i + 1}`).join(',');
  const r = await store.query(
    `SELECT DISTINCT ap.id, ap.json FROM intel_objects ap WHERE ap.is_current AND ap.type = 'attack-pattern' AND (
       ap.id IN (SELECT json_extract_string(rel.json, '$.target_ref') FROM intel_objects rel WHERE rel.is_current AND rel.type = 'relationship'
                 AND json_extract_string(rel.json, '$.relationship_type') = 'uses' AND json_extract_string(rel.json, '$.source_ref') IN (${inList(0, ids.length)}))
       ${uuids.length ? `OR ap.id IN (${inList(ids.length, uuids.length)})` : ''})`,
    { params },
  );
  const out = r.rows.map((row) => {
    const o = JSON.parse(row[1] as string) as StixObject;
    const ext = (Array.isArray(o.external_references) ? (o.external_references as { source_name?: string; external_id?: string }[]) : [])
      .find((e) => /mitre/.test(e.source_name ?? '') && e.external_id);
    return { id: ext?.external_id ?? '', name: String(o.name ?? ''), stixId: o.id };
  });
  const seen = new Set<string>();
  return out.filter((t) => (seen.has(t.id || t.stixId) ? false : (seen.add(t.id || t.stixId), true))).sort((a, b) => a.id.localeCompare(b.id));
}

function firstParagraph(s: string): string {
  return s.split(/\n\s*\n/)[0]!.trim();
}

async function shape(store: Reader, p: Clusters['profiles'][number]): Promise<IntelProfile> {
  const title = String(p.primary.name);
  const aliases = [...new Set(p.members.flatMap(namesOf))].filter((n) => normalizeName(n) !== normalizeName(title)).sort((a, b) => a.localeCompare(b));
  const description = p.members.map((m) => (typeof m.description === 'string' ? m.description : '')).find((d) => d) ?? '';
  const countries = [...new Set(p.members.map((m) => m.x_quarry_country).filter((c): c is string => typeof c === 'string'))].map(country);
  const targets = [...new Set(p.members.flatMap((m) => (Array.isArray(m.x_quarry_targets) ? (m.x_quarry_targets as string[]) : [])))].sort();
  const firsts = p.members.map((m) => m.first_seen).filter((x): x is string => typeof x === 'string').sort();
  const ttps = await ttpsOf(store, p.members);
  const tradecraft = ttps.length ? ttps.map((t) => `- ${t.id ? `**${t.id}** ` : ''}${t.name}`).join('\n') : '';
  return {
    id: p.primary.id, kind: p.kind, title, aliases, countriesOrRegionsOfOrigin: countries, description,
    firstActiveDateTime: firsts[0] ?? null, summary: { content: firstParagraph(description), format: 'markdown' }, targets,
    tradecraft: { content: tradecraft, format: 'markdown' }, ttps, memberIds: p.members.map((m) => m.id).sort(),
  };
}

export async function listProfiles(store: Reader, f: { kind?: ProfileKind; search?: string; skip?: number; top?: number } = {}): Promise<Page<IntelProfile>> {
  const c = await clusters(store);
  let list = c.profiles.filter((p) => !f.kind || p.kind === f.kind);
  if (f.search) {
    const s = normalizeName(f.search);
    list = list.filter((p) => p.members.some((m) => namesOf(m).some((n) => normalizeName(n).includes(s))));
  }
  list.sort((a, b) => String(a.primary.name).localeCompare(String(b.primary.name)));
  const page = list.slice(f.skip ?? 0, (f.skip ?? 0) + (f.top ?? 100));
  return { items: await Promise.all(page.map((p) => shape(store, p))), total: list.length };
}

/** A profile by the id of any merged object, or by any of its names (alias resolution). */
export async function getProfile(store: Reader, idOrName: string, kind?: ProfileKind): Promise<IntelProfile> {
  const c = await clusters(store);
  let ix = c.byMember.get(idOrName);
  if (ix === undefined) {
    for (const k of kind ? [kind] : (['actor', 'tool'] as const)) {
      ix = c.byName.get(`${k}:${normalizeName(idOrName)}`);
      if (ix !== undefined) break;
    }
  }
  if (ix === undefined) throw new QuarryError('intel/not-found', `no intel profile '${idOrName}'`, { hints: ['search by any alias, e.g. APT29 or Midnight Blizzard'] });
  return shape(store, c.profiles[ix]!);
}

export async function profileMemberIds(store: Reader, id: string): Promise<string[]> {
  return (await getProfile(store, id)).memberIds;
}

export interface ProfileIndicator {
  readonly id: string;
  readonly source: 'microsoft' | 'osint' | 'public';
  readonly provider: string | null;
  readonly firstSeenDateTime: string | null;
  readonly lastSeenDateTime: string | null;
  readonly artifact: { id: string; kind: string } | null;
  readonly pattern: string;
}

/** Indicators that `indicates` a member, or sit in a report that names a member. */
export async function profileIndicators(store: Reader, id: string, page: { skip?: number; top?: number } = {}): Promise<Page<ProfileIndicator>> {
  const members = await profileMemberIds(store, id);
  const ph = members.map((_, i) => `$${i + 1}`).join(',');
  const base = `FROM intel_objects i WHERE i.is_current AND i.type = 'indicator' AND NOT i.revoked AND (
      i.id IN (SELECT json_extract_string(r.json, '$.source_ref') FROM intel_objects r WHERE r.is_current AND r.type = 'relationship'
               AND json_extract_string(r.json, '$.relationship_type') = 'indicates' AND json_extract_string(r.json, '$.target_ref') IN (${ph}))
   OR i.id IN (SELECT unnest(CAST(json_extract(rp.json, '$.object_refs') AS VARCHAR[])) FROM intel_objects rp WHERE rp.is_current AND rp.type = 'report'
               AND list_has_any(CAST(json_extract(rp.json, '$.object_refs') AS VARCHAR[]), [${ph}])))`;
  const total = Number((await store.query(`SELECT count(*) ${base}`, { params: members })).rows[0]![0]);
  const r = await store.query(
    `SELECT i.json, i.source, (SELECT first(ob.kind || '|' || ob.value) FROM intel_observables ob WHERE ob.indicator_id = i.id) ${base}
     ORDER BY i.id LIMIT ${page.top ?? 100} OFFSET ${page.skip ?? 0}`,
    { params: members },
  );
  const items = r.rows.map((row) => {
    const o = JSON.parse(row[0] as string) as StixObject;
    const ob = row[2] as string | null;
    const bar = ob ? ob.indexOf('|') : -1;
    return {
      id: o.id, source: (row[1] === 'Quarry demo' ? 'microsoft' : 'osint') as ProfileIndicator['source'], provider: (row[1] as string | null) ?? null,
      firstSeenDateTime: (o.valid_from as string | undefined) ?? (o.created as string | undefined) ?? null,
      lastSeenDateTime: (o.modified as string | undefined) ?? null,
      artifact: ob ? { kind: ob.slice(0, bar), id: ob.slice(bar + 1) } : null, pattern: String(o.pattern),
    };
  });
  return { items, total };
}
