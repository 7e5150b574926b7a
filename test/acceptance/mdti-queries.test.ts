/**
 * Acceptance: the MDTI sample hunting queries (`../shared/acceptance/mdti-queries.kql`, verbatim from
 * Azure/MDTI-Solutions) compile unchanged once the SAS placeholder holds a URL. Running them on
 * generated Defender data with a real signed URL is the lead's next step (see the last describe block).
 */
import { describe, expect, it } from 'vitest';
import { compileKql } from '../../src/hunt/compile.js';
import { acceptanceUnavailableReason, readAcceptance, SAS_PLACEHOLDER, splitMdtiQueries } from './acceptance-files.js';

/** Stands in for the SAS URL Quarry mints for the uploaded Host pairs CSV (never fetched by these tests). */
const LOCAL_SAS_URL = 'http://127.0.0.1:7070/blob/mdti/dancevida-hostpairs.csv?sv=2024-01-01&se=2030-01-01T00%3A00%3A00Z&sp=r&sig=test';
const FILE = 'mdti-queries.kql';
const unavailable = acceptanceUnavailableReason(FILE);

describe.skipIf(unavailable !== null)(`MDTI sample queries: split and compile${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const queries = unavailable ? [] : splitMdtiQueries(readAcceptance(FILE), LOCAL_SAS_URL);

  it('splits the file into the 4 published queries, without # lines or the placeholder', () => {
    expect(queries.map((q) => q.name)).toEqual([
      'DTI email based events', 'DTI device based events', 'DTI device based events from resolutions', 'DTI DNS queries from domain controller',
    ]);
    for (const q of queries) {
      expect(q.text).not.toMatch(/^\s*#/m);
      expect(q.text).not.toContain(SAS_PLACEHOLDER);
      expect(q.text).toContain(LOCAL_SAS_URL);
    }
  });

  for (const q of queries) {
    it(`compiles: ${q.name}`, () => {
      const compiled = compileKql(q.text, { view: 'defender', now: new Date('2024-06-01T00:00:00Z') });
      expect(compiled.sql.length).toBeGreaterThan(0);
      expect(compiled.schema.length).toBeGreaterThan(0);
      expect(compiled.externals.length, 'reads the Host pairs CSV through externaldata').toBeGreaterThan(0);
    });
  }
});

// Running the four queries unchanged against a Quarry-minted SAS URL over real HTTP, compared with the planted
// truth, is in test/externaldata/mdti-acceptance.test.ts.
