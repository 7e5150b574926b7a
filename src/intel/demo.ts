/**
 * Demo intel for `serve --demo`, written by Quarry itself: an actor profile ("Dancing Tempest", alias
 * STORM-0000 — the activity group of the generator's planted indicators), a tool profile (the planted
 * dropper "Quarry.Demo.Dropper"), ATT&CK techniques they use, a featured article, and the planted live
 * indicators (`src/generate/plant.ts`) as STIX indicators.
 *
 * The indicators reuse the generator's STIX ids and legacy IndicatorIds (`x_quarry_sentinel_indicator_id`),
 * so their TI-table rows are new versions of the generated rows, not duplicates; validity matches the
 * generator's (valid_from = end − 6 days, valid_until = end + 30 days). Loaded once per store (marker
 * `demo.intel.loaded` in `_quarry_meta`).
 */
import type { Logger } from '../core/log.js';
import { DEMO_SEED } from '../generate/demo.js';
import { defaultEnd } from '../generate/options.js';
import { defaultIndicators, type PlantedIndicator } from '../generate/plant.js';
import { legacyIndicatorId, stixIndicatorId } from '../generate/tables/indicators.js';
import { getMeta, setMeta } from '../store/meta.js';
import type { Store } from '../store/store.js';
import { patternFor, type ObservableKind } from './normalize.js';
import { writeObjects, type WriteCounts } from './object-store.js';
import { deterministicId, type StixObject } from './stix.js';
import { tlp2Marking } from './tlp.js';

export const DEMO_INTEL_MARKER = 'demo.intel.loaded';
export const DEMO_SOURCE = 'Quarry demo';
const DAY = 86_400_000;

const kindOf: Record<PlantedIndicator['kind'], ObservableKind> = {
  domain: 'domain', ipv4: 'ipv4', cidr: 'ipv4', url: 'url', sha256: 'sha256', sha1: 'sha1', email: 'email',
};

const IMAGE =
  'data:image/svg+xml;utf8,' +
  encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" width="320" height="160"><rect width="320" height="160" fill="#1b2a3a"/><text x="20" y="90" fill="#f0c040" font-family="sans-serif" font-size="22">Dancing Tempest</text></svg>');

/** The demo intel objects for a demo window ending at `end`. */
export function demoIntelObjects(end: Date = defaultEnd()): StixObject[] {
  const e = end.getTime();
  const iso = (ms: number) => new Date(ms).toISOString();
  const t0 = iso(e - 6 * DAY);
  const ident = { type: 'identity', spec_version: '2.1', id: deterministicId('identity', 'quarry-demo'), created: t0, modified: t0, name: DEMO_SOURCE, identity_class: 'organization' };
  const amber = tlp2Marking('amber');
  const common = { created_by_ref: ident.id, object_marking_refs: [amber.id] };
  const sdo = (type: string, key: string, props: Record<string, unknown>) =>
    ({ type, spec_version: '2.1', id: deterministicId(type, 'quarry-demo', key), created: t0, modified: t0, ...common, ...props }) as StixObject;
  const actor = sdo('threat-actor', 'actor', {
    name: 'Dancing Tempest', x_quarry_demo: true, aliases: ['STORM-0000', 'DanceVida kit operators'],
    threat_actor_types: ['crime-syndicate'], first_seen: iso(e - 30 * DAY), primary_motivation: 'personal-gain',
    description:
      'Dancing Tempest is the financially motivated actor behind the **dancevida.com** phishing kit in the Quarry demo.\n\n' +
      'It sends invoice-themed mails from `billing-notice.example.org`, harvests credentials on an Outlook Web Access look-alike and ' +
      'drops an ISO image that loads an implant talking to `cdn-sync.example.net`.',
    x_quarry_targets: ['Financial services', 'Professional services'],
  });
  const tool = sdo('malware', 'dropper', {
    name: 'Quarry.Demo.Dropper', is_family: true, malware_types: ['dropper'], x_mitre_aliases: ['Invoice ISO dropper'],
    description: 'ISO-packaged dropper delivered by Dancing Tempest; it loads the `msupdate.dll` implant.',
  });
  const technique = (tid: string, name: string) =>
    sdo('attack-pattern', tid, { name, external_references: [{ source_name: 'mitre-attack', external_id: tid, url: `https://attack.mitre.org/techniques/${tid.replace('.', '/')}/` }] });
  const ttps = [
    technique('T1566.001', 'Phishing: Spearphishing Attachment'), technique('T1566.002', 'Phishing: Spearphishing Link'),
    technique('T1071.001', 'Application Layer Protocol: Web Protocols'), technique('T1553.005', 'Subvert Trust Controls: Mark-of-the-Web Bypass'),
  ];
  const rel = (src: StixObject, type: string, tgt: StixObject) =>
    ({ type: 'relationship', spec_version: '2.1', id: deterministicId('relationship', src.id, type, tgt.id), created: t0, modified: t0, relationship_type: type, source_ref: src.id, target_ref: tgt.id, ...common }) as StixObject;
  const live = defaultIndicators.filter((i) => i.status === 'active');
  const indicators = live.map((ind, k) => {
    const kind = kindOf[ind.kind];
    return {
      type: 'indicator', spec_version: '2.1', id: stixIndicatorId(DEMO_SEED, ind), created: iso(e - 6 * DAY - k * 3_600_000), modified: iso(e - 6 * DAY - k * 3_600_000),
      name: ind.value, description: ind.description, indicator_types: ['malicious-activity'], pattern: patternFor(kind, ind.value), pattern_type: 'stix',
      valid_from: iso(e - 6 * DAY - k * 3_600_000), valid_until: iso(e + 30 * DAY), confidence: ind.confidence, labels: [ind.threatType],
      kill_chain_phases: [{ kill_chain_name: 'lockheed-martin-cyber-kill-chain', phase_name: ind.role === 'c2' ? 'command-and-control' : 'delivery' }],
      x_quarry_sentinel_indicator_id: legacyIndicatorId(DEMO_SEED, ind), ...common,
    } as StixObject;
  });
  const relationships = [
    rel(actor, 'uses', tool), ...ttps.map((t) => rel(actor, 'uses', t)),
    ...indicators.map((i) => rel(i, 'indicates', actor)),
    ...indicators.filter((_, k) => live[k]!.role === 'payload').map((i) => rel(i, 'indicates', tool)),
  ];
  const article = {
    type: 'report', spec_version: '2.1', id: deterministicId('report', 'quarry-demo', 'featured'), created: t0, modified: t0, published: iso(e - 5 * DAY),
    name: 'Dancing Tempest: invoice lures lead to the dancevida.com phishing kit', report_types: ['threat-actor', 'campaign'],
    labels: ['phishing', 'credential-theft', 'demo'], x_quarry_featured: true, x_quarry_image_url: IMAGE,
    x_quarry_summary: 'Invoice-themed mails lure users to a fake Outlook Web Access page on dancevida.com; an ISO dropper follows.',
    description:
      '## What happened\n\nOver the last week Dancing Tempest sent invoice-themed mails from `accounts@billing-notice.example.org`. ' +
      'Recipients who clicked reached `https://login.dancevida.com/owa/auth/logon.aspx`, a credential-harvesting page.\n\n' +
      '## Infrastructure\n\n- `dancevida.com` and its subdomains host the kit\n- `cdn-sync.example.net`, `203.0.113.77` and the `198.51.100.0/24` range serve command and control\n\n' +
      '## Hunting\n\nThe indicators below are in `ThreatIntelligenceIndicator` and `ThreatIntelIndicators`; the TI-map rules pick them up. ' +
      'Pivot from `dancevida.com` in Intel Explorer to its host pairs.',
    object_refs: [actor.id, tool.id, ...indicators.map((i) => i.id)], ...common,
  } as StixObject;
  return [ident as StixObject, amber, actor, tool, ...ttps, ...indicators, ...relationships, article];
}

/** Loads the demo intel once per store; returns the write counts (null when it was already loaded). */
export async function loadDemoIntel(store: Pick<Store, 'query' | 'exec' | 'transaction'>, opts: { end?: Date; log?: Logger } = {}): Promise<WriteCounts | null> {
  if (await getMeta(store, DEMO_INTEL_MARKER)) return null;
  const w = await writeObjects(store, demoIntelObjects(opts.end), { source: DEMO_SOURCE, method: 'demo' });
  await setMeta(store, DEMO_INTEL_MARKER, new Date().toISOString());
  opts.log?.info({ created: w.created, updated: w.updated }, 'demo intel loaded');
  return w;
}
