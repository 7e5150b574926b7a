/**
 * Traffic Light Protocol markings: the STIX 2.1 predefined TLP 1.0 marking-definitions (§7.2.1.4, fixed ids)
 * and the OASIS TLP 2.0 marking-definitions (property extension `tlp_2_0`). `tlpLevelOf` maps an object's
 * `object_marking_refs` to the level Sentinel shows (white/clear, green, amber, amber+strict, red).
 */
import type { StixObject } from './stix.js';

export type TlpLevel = 'clear' | 'white' | 'green' | 'amber' | 'amber+strict' | 'red';

const TLP1: Record<'white' | 'green' | 'amber' | 'red', string> = {
  white: 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9',
  green: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da',
  amber: 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82',
  red: 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed',
};

const TLP2: Record<'clear' | 'green' | 'amber' | 'amber+strict' | 'red', string> = {
  clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'amber+strict': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

export const TLP2_EXTENSION = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

const byId = new Map<string, TlpLevel>([
  ...Object.entries(TLP1).map(([k, v]) => [v, k as TlpLevel] as const),
  ...Object.entries(TLP2).map(([k, v]) => [v, k as TlpLevel] as const),
]);

export function tlp1Marking(level: keyof typeof TLP1): StixObject {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: TLP1[level],
    created: '2017-01-20T00:00:00.000Z',
    definition_type: 'tlp',
    name: `TLP:${level.toUpperCase()}`,
    definition: { tlp: level },
  };
}

export function tlp2Marking(level: keyof typeof TLP2): StixObject {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: TLP2[level],
    created: '2022-10-01T00:00:00.000Z',
    name: `TLP:${level.toUpperCase()}`,
    extensions: { [TLP2_EXTENSION]: { extension_type: 'property-extension', tlp_2_0: level } },
  };
}

/** The marking for a TLP word as it appears in tags (`tlp:clear`, `TLP:AMBER+STRICT`, `white`): TLP 2.0 when the word is 2.0-only. */
export function tlpMarkingFor(word: string): StixObject | null {
  const w = word.trim().toLowerCase().replace(/^tlp[:\s-]*/, '').replace(/"/g, '');
  if (w === 'clear' || w === 'amber+strict') return tlp2Marking(w);
  if (w === 'white' || w === 'green' || w === 'amber' || w === 'red') return tlp1Marking(w);
  return null;
}

export function tlpLevelOf(o: StixObject): TlpLevel | null {
  const refs = Array.isArray(o.object_marking_refs) ? (o.object_marking_refs as string[]) : [];
  for (const r of refs) {
    const l = byId.get(r);
    if (l) return l;
  }
  return null;
}

export function isTlpMarkingId(id: string): boolean {
  return byId.has(id);
}
