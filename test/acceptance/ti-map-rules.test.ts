/**
 * Acceptance: the Sentinel "TI map" analytics rules (`../shared/acceptance/sentinel-ti-map-rules.kql`,
 * verbatim from Azure/Azure-Sentinel) compile unchanged. Running them on generated indicators and events
 * is the lead's next step (see the last describe block).
 */
import { describe, expect, it } from 'vitest';
import { compileKql } from '../../src/hunt/compile.js';
import { acceptanceUnavailableReason, readAcceptance, splitSentinelRules } from './acceptance-files.js';

const FILE = 'sentinel-ti-map-rules.kql';
const unavailable = acceptanceUnavailableReason(FILE);

describe.skipIf(unavailable !== null)(`Sentinel TI-map rules: split and compile${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const rules = unavailable ? [] : splitSentinelRules(readAcceptance(FILE));

  it('splits the file into the 7 rules, each starting with its own let statements', () => {
    expect(rules).toHaveLength(7);
    for (const r of rules) {
      expect(r.text.startsWith('let dt_lookBack = 1h;'), r.name).toBe(true);
      expect(r.text).not.toMatch(/^\/\/ (SOURCE|name|id):/m);
    }
    expect(new Set(rules.map((r) => r.source)).size).toBe(7);
  });

  for (const r of rules) {
    it(`compiles: ${r.name} (${r.source.split('/').pop()!.replace(/\.yaml$/, '')})`, () => {
      const compiled = compileKql(r.text, { view: 'sentinel', now: new Date('2024-06-01T00:00:00Z') });
      expect(compiled.sql.length).toBeGreaterThan(0);
      expect(compiled.schema.length).toBeGreaterThan(0);
    });
  }
});

describe('Sentinel TI-map rules: run on generated indicators and events', () => {
  it.todo('lead: generate ThreatIntelligenceIndicator/ThreatIntelIndicators and matching DeviceNetworkEvents/DnsEvents/UrlClickEvents/DeviceFileEvents rows, run each rule unchanged and check it matches once per indicator');
});
