/**
 * Checks the case files themselves against the official Kusto binder (`@kusto/language-service-next`):
 * every expected header (column names, KQL types, order) must be the result schema Kusto.Language
 * computes for the query, and every error case must be rejected by it. This keeps hand-written
 * expectations honest about Kusto's naming rules (`count_`, `Column1`, `x1`, …) without needing
 * Quarry's compiler; row values are checked by `conformance.test.ts`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { officialResultSchema } from '../corpus/kusto-official.js';
import { parseCaseFile } from './case-file.js';

const casesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cases');
const files = readdirSync(casesDir).filter((f) => f.endsWith('.kqltest')).sort();

describe('case expectations agree with the official binder', () => {
  for (const file of files) {
    it(file, () => {
      const problems: string[] = [];
      for (const c of parseCaseFile(file, readFileSync(path.join(casesDir, file), 'utf8'))) {
        if (c.binderDiffers) continue;
        const official = officialResultSchema(c.query);
        if (c.error) {
          // Quarry may reject more than Kusto (kql/unsupported), never less: only Kusto-level errors are checked here.
          if (['kql/syntax-error', 'kql/unknown-column', 'kql/unknown-function', 'kql/unknown-table', 'kql/semantic-error'].includes(c.error.code)
            && official.errors.length === 0) {
            problems.push(`${file}:${c.line} "${c.name}": expected ${c.error.code}, but the official binder accepts the query`);
          }
          continue;
        }
        if (official.errors.length > 0) {
          problems.push(`${file}:${c.line} "${c.name}": the official binder reports ${official.errors.join('; ')}`);
          continue;
        }
        const want = c.expect!.columns.map((col) => `${col.name}:${col.type}`).join(', ');
        const got = official.columns.map((col) => `${col.name}:${col.type}`).join(', ');
        if (want !== got) problems.push(`${file}:${c.line} "${c.name}": header (${want}) but Kusto binds (${got})`);
      }
      expect(problems).toEqual([]);
    });
  }
});
