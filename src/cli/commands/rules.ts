/** `quarry rules list|show|run|enable|disable|import|export`: detection rules (logic in src/detect). */
import fs from 'node:fs';
import type { Command } from 'commander';
import { openQuarryStore } from '../../app/open-store.js';
import { stringifyExact } from '../../core/json.js';
import { openDetection } from '../../detect/detection.js';
import { getRule, listRules, ruleVersions, saveRule, setRuleEnabled } from '../../detect/rule-store.js';
import { ruleFromYaml, ruleToYaml } from '../../detect/rule-yaml.js';
import type { Detection } from '../../detect/detection.js';
import { configFor } from '../global-options.js';

async function withDetection<T>(cmd: Command, fn: (d: Detection) => Promise<T>): Promise<void> {
  const store = await openQuarryStore(configFor(cmd).dataDir);
  try {
    const out = await fn(await openDetection(store));
    if (out !== undefined) process.stdout.write(typeof out === 'string' ? out : `${stringifyExact(out, 2)}\n`);
  } finally {
    await store.close();
  }
}

export function register(program: Command): void {
  const rules = program.command('rules').description('detection rules: list, show, run, enable, disable, import, export');
  rules.command('list').description('list rules with their state').action(async (_o, cmd: Command) =>
    withDetection(cmd, async (d) => ({
      rules: await Promise.all((await listRules(d.store)).map(async (r) => ({
        id: r.id, name: r.name, kind: r.kind, enabled: r.enabled, severity: r.severity, revision: r.revision,
        watermark: (await d.scheduler.watermark(r.id)) === null ? null : new Date((await d.scheduler.watermark(r.id))!).toISOString(),
      }))),
    })));
  rules.command('show <id>').description('a rule with its versions and recent runs').action(async (id: string, _o, cmd: Command) =>
    withDetection(cmd, async (d) => ({ rule: await getRule(d.store, id), versions: (await ruleVersions(d.store, id)).map((v) => ({ revision: v.revision, savedAt: v.savedAt, savedBy: v.savedBy })), runs: await d.scheduler.history(id, 20) })));
  rules.command('run [id]').description('run one rule now over its last period, or (without id) every due window of every rule')
    .action(async (id: string | undefined, _o, cmd: Command) =>
      withDetection(cmd, async (d) => (id ? { run: await d.scheduler.runNow(await getRule(d.store, id)) } : { tick: await d.scheduler.tick() })));
  for (const [name, enabled] of [['enable', true], ['disable', false]] as const) {
    rules.command(`${name} <id>`).description(`${name} a rule`).action(async (id: string, _o, cmd: Command) =>
      withDetection(cmd, async (d) => ({ rule: { id, enabled: (await setRuleEnabled(d.store, id, enabled, { nowMs: d.clock(), by: 'cli' })).enabled } })));
  }
  rules.command('import <files...>').description('import Sentinel analytic-rule YAML files').action(async (files: string[], _o, cmd: Command) =>
    withDetection(cmd, async (d) => {
      const out = [];
      for (const f of files) {
        const res = await saveRule(d.store, ruleFromYaml(fs.readFileSync(f, 'utf8')), { nowMs: d.clock(), by: 'cli' });
        out.push({ file: f, id: res.rule.id, revision: res.rule.revision, changed: res.changed });
      }
      return { imported: out };
    }));
  rules.command('export <id>').description('print a rule as Sentinel analytic-rule YAML').action(async (id: string, _o, cmd: Command) =>
    withDetection(cmd, async (d) => ruleToYaml(await getRule(d.store, id))));
}
