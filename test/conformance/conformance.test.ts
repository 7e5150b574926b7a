/**
 * KQL conformance suite: every case in `cases/*.kqltest` runs on every available backend and must
 * give the documented Kusto result (schema names and types in order, rows, value encoding).
 * Format and rules: README.md beside this file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { HuntResult, RunOptions } from '../../src/hunt/run.js';
import { conformanceBackends, type BackendSession } from './backends.js';
import { parseCaseFile, type ConformanceCase } from './case-file.js';
import { compareRows, decodeExpected, formatRows } from './compare.js';

/** `now()` for cases without `--- now:`, so that no case depends on the wall clock. */
const DEFAULT_NOW = '2024-01-01T00:00:00Z';

const casesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cases');
const caseFiles = readdirSync(casesDir).filter((f) => f.endsWith('.kqltest')).sort()
  .map((file) => ({ file, cases: parseCaseFile(file, readFileSync(path.join(casesDir, file), 'utf8')) }));

function describeFailure(c: ConformanceCase, session: BackendSession, opts: RunOptions, body: string): Error {
  const sql = session.sqlFor(c.query, opts);
  return new Error([
    `${c.file}:${c.line} — ${c.name}`,
    `docs: ${c.docs.join(' ')}`,
    'query:', indent(c.query),
    'sql:', indent(sql),
    body,
  ].join('\n'));
}

function indent(s: string): string {
  return s.split('\n').map((l) => `  ${l}`).join('\n');
}

function describeResult(r: HuntResult): string {
  const header = r.schema.map((s) => `${s.name}:${s.type}`).join(', ');
  const rows = r.results.map((row) => r.schema.map((s) => row[s.name]));
  return `  ${header}\n${formatRows(rows)}${r.truncated ? '\n  (truncated)' : ''}`;
}

async function runCase(session: BackendSession, c: ConformanceCase): Promise<void> {
  const opts: RunOptions = { now: new Date(c.now ?? DEFAULT_NOW), maxRows: 10_000, timeoutMs: 20_000 };
  if (c.error) {
    let result: HuntResult;
    try {
      result = await session.run(c.query, opts);
    } catch (e) {
      const err = e as { code?: string; span?: { line: number; column: number }; message?: string };
      const problems: string[] = [];
      if (err.code !== c.error.code) problems.push(`expected error ${c.error.code}, got ${err.code ?? '(no code)'}: ${err.message}`);
      if (c.error.line !== undefined && (err.span?.line !== c.error.line || err.span?.column !== c.error.column)) {
        problems.push(`expected the error at ${c.error.line}:${c.error.column}, got ${err.span ? `${err.span.line}:${err.span.column}` : 'no position'}`);
      }
      if (problems.length > 0) throw describeFailure(c, session, opts, problems.join('\n'));
      return;
    }
    throw describeFailure(c, session, opts, `expected error ${c.error.code}, but the query ran:\n${describeResult(result)}`);
  }

  const expect = c.expect!;
  let result: HuntResult;
  try {
    result = await session.run(c.query, opts);
  } catch (e) {
    const err = e as { code?: string; message?: string };
    throw describeFailure(c, session, opts, `the query failed: ${err.code ?? ''} ${err.message}`);
  }
  const expectedHeader = expect.columns.map((col) => `${col.name}:${col.type}`).join(', ');
  const actualHeader = result.schema.map((s) => `${s.name}:${s.type}`).join(', ');
  const expectedRows = expect.rows.map((row) => row.map((v, i) => decodeExpected(expect.columns[i]!.type, v)));
  const problems: string[] = [];
  if (expectedHeader !== actualHeader) problems.push(`schema differs: expected (${expectedHeader}), got (${actualHeader})`);
  if (result.truncated) problems.push('result was truncated');
  if (problems.length === 0) {
    const actualRows = result.results.map((row) => expect.columns.map((col) => row[col.name]));
    problems.push(...compareRows(expect.columns, expectedRows, actualRows, { ordered: c.ordered, unorderedArrays: c.unorderedArrays }).problems);
  }
  if (problems.length > 0) {
    throw describeFailure(c, session, opts, [
      'expected:', `  ${expectedHeader}`, formatRows(expectedRows),
      'actual:', describeResult(result),
      'problems:', ...problems.map((p) => `  - ${p}`),
    ].join('\n'));
  }
}

for (const backend of conformanceBackends) {
  const unavailable = backend.unavailable();
  describe.skipIf(unavailable !== null)(`conformance on ${backend.name}${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
    let session: BackendSession | undefined;
    beforeAll(async () => {
      session = await backend.open();
    });
    afterAll(async () => {
      await session?.close();
    });
    for (const { file, cases } of caseFiles) {
      describe(file, () => {
        for (const c of cases) {
          if (c.skip) it.skip(`${c.name} (skipped: ${c.skip})`, () => {});
          else it(c.name, async () => runCase(session!, c));
        }
      });
    }
  });
}
