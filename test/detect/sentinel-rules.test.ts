/**
 * Acceptance: the Sentinel TI-map rules in `../shared/acceptance/sentinel-ti-map-rules.kql` imported
 * unchanged as rules (YAML built from each block's metadata comments: entityMappings, customDetails,
 * alertDetailsOverride) and run by the scheduler on generated indicators and events. The DnsEvents rule's
 * `externaldata` (a public GitHub CSV) is served an empty local CSV: tests never fetch from the Internet.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDetection } from '../../src/detect/detection.js';
import { saveRule } from '../../src/detect/rule-store.js';
import { ruleFromYaml } from '../../src/detect/rule-yaml.js';
import { stringifyYaml, type YamlValue } from '../../src/detect/yaml.js';
import { generateInto } from '../../src/generate/index.js';
import { acceptanceUnavailableReason, readAcceptance } from '../acceptance/acceptance-files.js';
import { openDetectStore, removeTempDirs, tempDir } from './detect-fixture.js';

afterAll(removeTempDirs);
const FILE = 'sentinel-ti-map-rules.kql';
const unavailable = acceptanceUnavailableReason(FILE);
const END = Date.parse('2024-06-01T00:00:00Z');

interface Block { meta: Record<string, string>; query: string }

function blocks(text: string): Block[] {
  const lines = text.split(/\r?\n/);
  const frame = (l: string) => /^\/\/\s*={10,}\s*$/.test(l);
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^\/\/\s*SOURCE:/.test(lines[i]!)) continue;
    const meta: Record<string, string> = {};
    let j = i + 1;
    for (; j < lines.length && !frame(lines[j]!); j++) {
      for (const m of lines[j]!.matchAll(/(\w[\w.]*):\s(.*?)(?=\s{3}\w[\w.]*:\s|$)/g)) meta[m[1]!.replace(/^\/\/\s*/, '')] = m[2]!.trim();
    }
    let k = j + 1;
    while (k < lines.length && !frame(lines[k]!)) k++;
    out.push({ meta, query: lines.slice(j + 1, k).join('\n').trim() });
    i = k - 1;
  }
  return out;
}

/** `IP{Address<-IoCIP}; Host{HostName<-DeviceName}` → Sentinel entityMappings. */
function mappings(text: string | undefined): YamlValue[] {
  return [...(text ?? '').matchAll(/(\w+)\{([^}]*)\}/g)].map((m) => ({
    entityType: m[1]!,
    fieldMappings: m[2]!.split(',').map((p) => {
      const [identifier, columnName] = p.split('<-').map((s) => s.trim());
      return { identifier: identifier!, columnName: columnName! };
    }),
  }));
}

describe.skipIf(unavailable !== null)(`Sentinel TI-map rules imported unchanged${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  it('run on generated data and raise alerts with their entity mappings and titles', async () => {
    const dir = tempDir();
    const emptyCsv = path.join(dir, 'empty.csv');
    fs.writeFileSync(emptyCsv, 'TimeGenerated,IoC,IoC_Type,ExpirationDateTime,Description,Action,ConfidenceScore,ThreatType,Active,Type,TrafficLightProtocolLevel,ActivityGroupNames\n');
    const store = await openDetectStore(path.join(dir, 'store'));
    try {
      await generateInto(store, { seed: 7, rows: 6000, days: 0.25, end: new Date(END).toISOString() });
      const det = await openDetection(store, { clock: () => END, builtInRules: false, fetchExternal: async () => emptyCsv });
      const list = blocks(readAcceptance(FILE));
      expect(list).toHaveLength(7);
      const results: { id: string; status: string; alerts: number; error: string | null }[] = [];
      for (const b of list) {
        const [, id] = /^(\S+)/.exec(b.meta.id ?? '') ?? [];
        const ado: Record<string, string> = {};
        if (b.meta['alertDetailsOverride.alertDisplayNameFormat']) ado.alertDisplayNameFormat = b.meta['alertDetailsOverride.alertDisplayNameFormat'];
        const custom = Object.fromEntries((b.meta.customDetails ?? '').split(',').filter((p) => p.includes('<-')).map((p) => p.split('<-').map((s) => s.trim()) as [string, string]));
        const yaml = stringifyYaml({
          id: id!, name: b.meta.name!, severity: 'Medium', kind: 'Scheduled', queryFrequency: '1h', queryPeriod: '14d', triggerOperator: 'gt', triggerThreshold: 0,
          tactics: (b.meta.tactics ?? '').split(',').map((s) => s.trim()).filter(Boolean), query: `${b.query}\n`,
          entityMappings: mappings(b.meta.entityMappings), customDetails: custom, ...(Object.keys(ado).length ? { alertDetailsOverride: ado } : {}),
        });
        const rule = ruleFromYaml(yaml);
        expect(rule.query).toBe(b.query); // unchanged
        const saved = (await saveRule(store, rule, { nowMs: END })).rule;
        const run = await det.scheduler.runNow(saved, { from: END - 3_600_000, to: END });
        results.push({ id: saved.id, status: run.status, alerts: run.alerts ?? 0, error: run.error });
        if (run.alerts) {
          const a = await store.query('SELECT title, entities FROM detect_alerts WHERE rule_id = $1', { params: [saved.id] });
          for (const row of a.rows) {
            const types = new Set((JSON.parse(String(row[1])) as { Type: string }[]).map((e) => e.Type));
            // Every alert carries at least one of the rule's mapped entity types.
            expect([...types].some((t) => rule.entityMappings.some((m) => m.entityType.toLowerCase() === t)), saved.id).toBe(true);
            if (ado.alertDisplayNameFormat) expect(String(row[0])).toMatch(/^A network session (Source|Destination) address \S+ matched an IoC\.$/);
            else expect(String(row[0])).toBe(rule.name);
          }
        }
      }
      expect(results.filter((r) => r.status !== 'succeeded'), JSON.stringify(results)).toEqual([]);
      // The IP rules (legacy and STIX table), the URL and the file-hash rules find the planted matches in the last hour.
      const fired = results.filter((r) => r.alerts > 0).map((r) => r.id);
      expect(fired, JSON.stringify(results)).toEqual(expect.arrayContaining(['b2df4979-d34a-48b3-a7d9-f473a4bf8058', '2474343c-9135-42ec-9c40-a1bace43da5c', 'bc0eca2e-db50-44e6-8fa3-b85f91ff5ee7']));
    } finally {
      await store.close();
    }
  }, 240_000);
});
