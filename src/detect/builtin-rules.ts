/**
 * The rules shipped with Quarry: every `*.yaml` file in the repository's `rules/` folder (Sentinel
 * analytic-rule shape), read at startup. `src/detect/x.ts` and `dist/detect/x.js` both sit two levels
 * below the package root, so `../../rules` finds the folder from either.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { QuarryError } from '../core/errors.js';
import { ruleFromYaml } from './rule-yaml.js';
import type { RuleSpec } from './rule-types.js';

export const MATCHING_RULE_ID = 'quarry-ti-matching-analytics';

export const builtInRulesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../rules');

export function loadBuiltInRules(dir = builtInRulesDir): RuleSpec[] {
  if (!existsSync(dir)) return [];
  const out: RuleSpec[] = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.yaml')).sort()) {
    try {
      out.push(ruleFromYaml(readFileSync(path.join(dir, f), 'utf8'), { builtIn: true }));
    } catch (e) {
      if (e instanceof QuarryError) throw new QuarryError(e.code, `${f}: ${e.message}`, { details: { file: f } });
      throw e;
    }
  }
  return out;
}
