/**
 * Parse-only corpus gate: every query in `../shared/kql-corpus/` parses with the official parser
 * without syntax errors, except the documented syntax bugs (which must still fail, so the list stays
 * honest). Needs nothing of Quarry's compiler.
 */
import { describe, expect, it } from 'vitest';
import { corpusUnavailableReason, knownSyntaxBugs, readCorpus, stripProvenance } from './corpus-files.js';
import { syntaxErrors } from './kusto-official.js';

const unavailable = corpusUnavailableReason();

describe('corpus files', () => {
  it('stripProvenance removes the two leading provenance comment lines only', () => {
    const raw = '// owner/repo:path\n// commit abc; file; license MIT\n// a real comment\nT | take 1';
    expect(stripProvenance(raw)).toBe('// a real comment\nT | take 1');
    expect(stripProvenance('T | take 1')).toBe('T | take 1');
  });

  it('the syntax checker reports a real syntax error with its position', () => {
    const errs = syntaxErrors('T | where x > 1\n| extend y = 1 +');
    expect(errs.length).toBeGreaterThan(0);
    expect(errs[0]!.line).toBe(2);
    expect(syntaxErrors('T | where x > 1 | extend y = 1 + 2')).toEqual([]);
  });
});

describe.skipIf(unavailable !== null)(`corpus parse-only gate${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const corpus = unavailable ? [] : readCorpus();

  it('finds the corpus', () => {
    expect(corpus.length).toBeGreaterThan(100);
  });

  it('every query parses, except the documented syntax bugs', () => {
    const failures: string[] = [];
    const bugsThatParse: string[] = [];
    for (const q of corpus) {
      const errs = syntaxErrors(q.text);
      if (knownSyntaxBugs.has(q.file)) {
        if (errs.length === 0) bugsThatParse.push(q.file);
        continue;
      }
      if (errs.length > 0) {
        const e = errs[0]!;
        failures.push(`${q.file}:${e.line}:${e.column} ${e.code} ${e.message}`);
      }
    }
    const parsed = corpus.length - failures.length;
    console.log(`[corpus] parse-only: ${parsed}/${corpus.length} parse cleanly (${((100 * parsed) / corpus.length).toFixed(1)} %)`);
    expect(failures, 'queries with syntax errors').toEqual([]);
    expect(bugsThatParse, 'documented syntax bugs that now parse: remove them from knownSyntaxBugs').toEqual([]);
  });
});
