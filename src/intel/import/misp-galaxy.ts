/**
 * MISP galaxy cluster files (`{name, type, uuid, values:[…]}`) → STIX objects, one per cluster value:
 * threat-actor / microsoft-activity-group → threat-actor, mitre-intrusion-set → intrusion-set, mitre-attack-pattern
 * → attack-pattern, mitre-tool → tool, tool (MISP's malware families) → malware. ATT&CK clusters keep their ATT&CK
 * uuid (`intrusion-set--<uuid>`), so ids agree with the ATT&CK STIX bundle; others use the cluster uuid.
 * Synonyms become `aliases`; country, victims and target categories are kept as `x_quarry_*` properties for
 * profiles; `related` "uses" links are kept as `x_quarry_uses` (uuids) and resolved when a profile is read,
 * so the import order of galaxy files does not matter. Galaxy clusters carry no timestamps: versions are
 * stamped at import time (report.ts).
 */
import type { ImportIssue } from '../object-store.js';
import type { StixObject } from '../stix.js';
import type { Conversion } from './report.js';

type Rec = Record<string, unknown>;

const typeOfGalaxy: Record<string, string> = {
  'threat-actor': 'threat-actor', 'microsoft-activity-group': 'threat-actor', 'mitre-intrusion-set': 'intrusion-set',
  'mitre-attack-pattern': 'attack-pattern', 'mitre-tool': 'tool', 'mitre-malware': 'malware', tool: 'malware',
  malpedia: 'malware', ransomware: 'malware', rat: 'malware', banker: 'malware', stealer: 'malware', botnet: 'malware',
};

export function isMispGalaxy(v: unknown): boolean {
  const o = v as Rec;
  return !!o && typeof o === 'object' && !Array.isArray(o) && Array.isArray(o.values) && typeof o.type === 'string' && typeof o.uuid === 'string';
}

function strs(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];
}

export function convertMispGalaxy(v: unknown): Conversion {
  const g = v as Rec;
  const galaxy = String(g.type);
  const type = typeOfGalaxy[galaxy];
  const objects: StixObject[] = [];
  const rejected: ImportIssue[] = [];
  if (!type) {
    return { objects, skipped: [{ reason: `galaxy type '${galaxy}' holds no actors, tools or techniques Quarry keeps` }], rejected, importTimeVersioned: true };
  }
  (g.values as Rec[]).forEach((c, index) => {
    if (typeof c.value !== 'string' || typeof c.uuid !== 'string') {
      rejected.push({ index, reason: 'cluster without value or uuid' });
      return;
    }
    const meta = (c.meta ?? {}) as Rec;
    const ext = /^(.*?) - ([TGSM]\d{4}(?:\.\d{3})?)$/.exec(c.value);
    const name = ext ? ext[1]! : c.value;
    const refs = strs(meta.refs).map((url) => ({ source_name: `misp-galaxy:${galaxy}`, url }));
    const externalId = typeof meta.external_id === 'string' ? meta.external_id : ext?.[2];
    const o: Rec = {
      type, spec_version: '2.1', id: `${type}--${c.uuid.toLowerCase()}`, name,
      ...(typeof c.description === 'string' && c.description ? { description: c.description } : {}),
      external_references: [...(externalId ? [{ source_name: 'mitre-attack', external_id: externalId, url: refs[0]?.url }] : []), ...refs]
        .map((r) => Object.fromEntries(Object.entries(r).filter(([, x]) => x !== undefined))),
      x_quarry_galaxy: galaxy,
    };
    if ((o.external_references as unknown[]).length === 0) delete o.external_references;
    const syn = strs(meta.synonyms);
    if (type === 'threat-actor' || type === 'intrusion-set') o.aliases = [name, ...syn.filter((s) => s !== name)];
    else if (syn.length > 0) o.x_mitre_aliases = syn;
    if (type === 'malware') o.is_family = true;
    const country = strs(meta.country)[0] ?? strs(meta['cfr-suspected-state-sponsor'])[0];
    if (country) o.x_quarry_country = country;
    const targets = strs(meta['cfr-target-category']);
    if (targets.length) o.x_quarry_targets = targets;
    const victims = strs(meta['cfr-suspected-victims']);
    if (victims.length) o.x_quarry_victims = victims;
    if (typeof meta['attribution-confidence'] === 'string') o.confidence = Math.min(100, Math.max(0, Number(meta['attribution-confidence']) || 0));
    const killChain = strs(meta.kill_chain);
    if (killChain.length) o.kill_chain_phases = killChain.map((k) => ({ kill_chain_name: k.split(':').slice(0, -1).join(':') || 'mitre-attack', phase_name: k.split(':').pop() }));
    const uses = (Array.isArray(c.related) ? (c.related as Rec[]) : []).filter((r) => r.type === 'uses' && typeof r['dest-uuid'] === 'string').map((r) => String(r['dest-uuid']));
    if (uses.length) o.x_quarry_uses = uses;
    objects.push(o as StixObject);
  });
  return { objects, skipped: [], rejected, importTimeVersioned: true };
}
