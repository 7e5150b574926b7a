/**
 * The catalog against real hunting queries: every table the shared KQL corpus and the acceptance files
 * read exists, and every column and name they use binds (official Kusto language service) against the
 * Defender view (m365d-* and MDTI queries) or the Sentinel view (sentinel-* rules).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../../src/catalog/catalog.js';
import { globalStateFor, nameErrors } from './kusto-schema-check.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const shared = path.resolve(repoRoot, '../shared');
const corpusDir = path.join(shared, 'kql-corpus');
const acceptanceDir = path.join(shared, 'acceptance');
const haveShared = fs.existsSync(path.join(corpusDir, 'MANIFEST.tsv'));
const skipReason = `shared data not found at ${shared}`;

/** Names in the MANIFEST `tables` column that are not tables (function parameters in the queries). */
const notTables = new Set(['SourceData']);

describe.skipIf(!haveShared)(`KQL corpus binds against the catalog${haveShared ? '' : ` (skipped: ${skipReason})`}`, () => {
  const catalog = defaultCatalog();
  const globals = { defender: globalStateFor(catalog, 'defender'), sentinel: globalStateFor(catalog, 'sentinel') };

  it('holds every table the MANIFEST lists', () => {
    const lines = fs.readFileSync(path.join(corpusDir, 'MANIFEST.tsv'), 'utf8').trim().split('\n');
    const header = lines[0]!.split('\t');
    const col = header.indexOf('tables');
    expect(col).toBeGreaterThan(0);
    const tables = new Set(lines.slice(1).flatMap((l) => (l.split('\t')[col] ?? '').split(',')).map((t) => t.trim()).filter(Boolean));
    const missing = [...tables].filter((t) => !notTables.has(t) && !catalog.hasTable(t));
    expect(missing).toEqual([]);
  });

  // The view follows the file name: the MANIFEST labels one Sentinel rule (urlentity-urlclickevents) defender-xdr.
  const files = haveShared ? fs.readdirSync(corpusDir).filter((f) => f.endsWith('.kql')).sort() : [];
  it.each(files)('%s binds without unknown tables or columns', (file) => {
    const view = file.startsWith('sentinel-') ? 'sentinel' : 'defender';
    const errors = nameErrors(fs.readFileSync(path.join(corpusDir, file), 'utf8'), globals[view]);
    expect(errors).toEqual([]);
  });

  it('the MDTI sample hunting queries bind against the Defender view', () => {
    const text = fs.readFileSync(path.join(acceptanceDir, 'mdti-queries.kql'), 'utf8');
    expect(nameErrors(text, globals.defender)).toEqual([]);
  });

  it('each Sentinel TI-map rule binds against the Sentinel view', () => {
    const text = fs.readFileSync(path.join(acceptanceDir, 'sentinel-ti-map-rules.kql'), 'utf8');
    // The file concatenates rules, each starting with a `// SOURCE:` header.
    const rules = text.split(/^(?=\/\/ =+\n\/\/ SOURCE:)/m).filter((r) => /\bSOURCE:/.test(r));
    expect(rules.length).toBeGreaterThanOrEqual(7);
    for (const rule of rules) {
      const name = /^\/\/ name: (.*)$/m.exec(rule)?.[1] ?? rule.slice(0, 80);
      expect(nameErrors(rule, globals.sentinel), name).toEqual([]);
    }
  });
});
