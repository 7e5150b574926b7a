/**
 * The `.kqltest` case-file format (documented in `README.md` beside this file):
 *
 *   # comment (anywhere; `# doc: URL` lines are kept as the documentation source)
 *   === case name
 *   --- now: 2024-01-01T00:00:00Z        (optional directives, before `--- expect`)
 *   --- ordered
 *   datatable(x:long) [1, 2]             (the query: every other line up to `--- expect`)
 *   | where x > 1
 *   --- expect
 *   x:long                                (header: name:type, comma-separated)
 *   [2]                                   (one JSON array per row; no rows = empty result)
 *
 * or, instead of `--- expect`, a directive `--- error: kql/unknown-column [at LINE:COL]`.
 */
import { isKqlScalarType, type KqlScalarType } from '../../src/catalog/types.js';
import { parseExactJson, type ExactJson } from './exact-json.js';

export interface CaseColumn {
  readonly name: string;
  readonly type: KqlScalarType;
}

export interface ExpectedError {
  readonly code: string;
  readonly line?: number;
  readonly column?: number;
}

export interface ConformanceCase {
  readonly file: string;
  readonly name: string;
  /** 1-based line of the `===` line, for messages. */
  readonly line: number;
  readonly query: string;
  /** ISO instant used as `now()` / `ago()` reference, when given. */
  readonly now?: string;
  /** Rows must come back in this order. */
  readonly ordered: boolean;
  /** Arrays inside dynamic values compare as multisets (make_set and friends have no defined order). */
  readonly unorderedArrays: boolean;
  /** Reason to skip the case (must be given); skipped cases are reported, never silently dropped. */
  readonly skip?: string;
  /**
   * Why the documented schema differs from what the official binder computes (the schema oracle in
   * `official-schema.test.ts` then skips this case); must name the doc statement relied on.
   */
  readonly binderDiffers?: string;
  /**
   * Why ClickHouse cannot run this case (file-level `# clickhouse-gap: reason`): the differential test then
   * expects the compiler's `kql/unsupported` error on ClickHouse instead of identical rows.
   */
  readonly clickhouseGap?: string;
  /** Documentation pages that state the expected behaviour (file-level `# doc:` plus the case's own). */
  readonly docs: readonly string[];
  readonly error?: ExpectedError;
  readonly expect?: { readonly columns: readonly CaseColumn[]; readonly rows: readonly (readonly ExactJson[])[] };
}

export class CaseFileError extends Error {
  constructor(readonly file: string, readonly line: number, message: string) {
    super(`${file}:${line}: ${message}`);
    this.name = 'CaseFileError';
  }
}

const typeAliases: Readonly<Record<string, KqlScalarType>> = {
  boolean: 'bool', double: 'real', date: 'datetime', time: 'timespan', uniqueid: 'guid', int64: 'long', int32: 'int',
};

/** Parses `name:type, name:type`; names may be bracket-quoted (`['a b']:string`). */
export function parseHeader(text: string): CaseColumn[] {
  const cols: CaseColumn[] = [];
  const re = /\s*(\['(?:[^'\\]|\\.)*'\]|\["(?:[^"\\]|\\.)*"\]|[^:,\s]+)\s*:\s*([A-Za-z0-9]+)\s*(,|$)/y;
  let i = 0;
  while (i < text.length) {
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m) throw new Error(`bad header near ${JSON.stringify(text.slice(i))}: expected name:type, name:type`);
    let name = m[1]!;
    if (name.startsWith('[')) name = name.slice(2, -2).replace(/\\(.)/g, '$1');
    const rawType = m[2]!.toLowerCase();
    const type = typeAliases[rawType] ?? rawType;
    if (!isKqlScalarType(type)) throw new Error(`unknown KQL type "${m[2]}" for column ${name}`);
    cols.push({ name, type });
    i = re.lastIndex;
    if (m[3] === '') break;
  }
  if (cols.length === 0) throw new Error('empty header: an expected result needs at least one column');
  return cols;
}

function parseError(value: string): ExpectedError {
  const m = /^([a-z-]+\/[a-z0-9-]+)(?:\s+at\s+(\d+):(\d+))?$/.exec(value.trim());
  if (!m) throw new Error(`bad error directive "${value}": expected area/code [at LINE:COL]`);
  return m[2] ? { code: m[1]!, line: Number(m[2]), column: Number(m[3]) } : { code: m[1]! };
}

interface Draft {
  name: string;
  line: number;
  queryLines: string[];
  directives: Map<string, string>;
  docs: string[];
  header?: { text: string; line: number };
  rows: { text: string; line: number }[];
  inExpect: boolean;
}

const knownDirectives = new Set(['now', 'ordered', 'unordered-arrays', 'error', 'skip', 'doc', 'binder-differs']);

/** Parses one `.kqltest` file. Throws CaseFileError (file:line) on any malformed input. */
export function parseCaseFile(file: string, text: string): ConformanceCase[] {
  const lines = text.split(/\r?\n/);
  const fileDocs: string[] = [];
  let clickhouseGap: string | undefined;
  const cases: ConformanceCase[] = [];
  const names = new Set<string>();
  let draft: Draft | undefined;

  const finish = (d: Draft) => {
    const err = (msg: string): never => {
      throw new CaseFileError(file, d.line, `case "${d.name}": ${msg}`);
    };
    while (d.queryLines.length > 0 && d.queryLines[d.queryLines.length - 1]!.trim() === '') d.queryLines.pop();
    while (d.queryLines.length > 0 && d.queryLines[0]!.trim() === '') d.queryLines.shift();
    const query = d.queryLines.join('\n');
    if (query === '') err('no query text');
    if (names.has(d.name)) err('duplicate case name in this file');
    names.add(d.name);
    const errorText = d.directives.get('error');
    if (errorText !== undefined && d.inExpect) err('has both "--- error" and "--- expect"');
    if (errorText === undefined && !d.inExpect) err('needs "--- expect" (or "--- error: code")');
    if (d.inExpect && !d.header) err('"--- expect" needs a header line name:type, …');
    const skip = d.directives.get('skip');
    if (skip !== undefined && skip.trim() === '') err('"--- skip" needs a reason');
    const binderDiffers = d.directives.get('binder-differs');
    if (binderDiffers !== undefined && binderDiffers.trim() === '') err('"--- binder-differs" needs a reason');
    const now = d.directives.get('now');
    if (now !== undefined && Number.isNaN(Date.parse(now))) err(`"--- now: ${now}" is not an ISO instant`);
    let expect: ConformanceCase['expect'];
    if (d.header) {
      let columns: CaseColumn[];
      try {
        columns = parseHeader(d.header.text);
      } catch (e) {
        throw new CaseFileError(file, d.header.line, (e as Error).message);
      }
      const rows = d.rows.map((r) => {
        let v: ExactJson;
        try {
          v = parseExactJson(r.text);
        } catch (e) {
          throw new CaseFileError(file, r.line, `row is not JSON: ${(e as Error).message}`);
        }
        if (!Array.isArray(v)) throw new CaseFileError(file, r.line, 'a row must be a JSON array');
        if (v.length !== columns.length) {
          throw new CaseFileError(file, r.line, `row has ${v.length} values but the header has ${columns.length} columns`);
        }
        return v;
      });
      expect = { columns, rows };
    }
    let error: ExpectedError | undefined;
    if (errorText !== undefined) {
      try {
        error = parseError(errorText);
      } catch (e) {
        err((e as Error).message);
      }
    }
    cases.push({
      file, name: d.name, line: d.line, query,
      ...(now !== undefined ? { now } : {}),
      ordered: d.directives.has('ordered'),
      unorderedArrays: d.directives.has('unordered-arrays'),
      ...(skip !== undefined ? { skip: skip.trim() } : {}),
      ...(binderDiffers !== undefined ? { binderDiffers: binderDiffers.trim() } : {}),
      ...(clickhouseGap !== undefined ? { clickhouseGap } : {}),
      docs: [...fileDocs, ...d.docs],
      ...(error ? { error } : {}),
      ...(expect ? { expect } : {}),
    });
  };

  lines.forEach((raw, idx) => {
    const lineNo = idx + 1;
    const trimmed = raw.trim();
    const caseStart = /^===\s*(.*)$/.exec(trimmed);
    if (caseStart) {
      if (draft) finish(draft);
      const name = caseStart[1]!.trim();
      if (name === '') throw new CaseFileError(file, lineNo, '"===" needs a case name');
      draft = { name, line: lineNo, queryLines: [], directives: new Map(), docs: [], rows: [], inExpect: false };
      return;
    }
    const doc = /^#\s*doc:\s*(\S+)/.exec(trimmed);
    const gap = /^#\s*clickhouse-gap:\s*(.*)$/.exec(trimmed);
    if (gap) {
      if (draft) throw new CaseFileError(file, lineNo, '"# clickhouse-gap:" belongs before the first case');
      if (gap[1]!.trim() === '') throw new CaseFileError(file, lineNo, '"# clickhouse-gap:" needs a reason');
      clickhouseGap = gap[1]!.trim();
      return;
    }
    if (trimmed.startsWith('#')) {
      if (doc) (draft ? draft.docs : fileDocs).push(doc[1]!);
      return;
    }
    if (!draft) {
      if (trimmed !== '') throw new CaseFileError(file, lineNo, 'text before the first "=== name" line (use # comments)');
      return;
    }
    const directive = /^---\s*([a-z-]+)\s*(?::\s*(.*))?$/.exec(trimmed);
    if (directive) {
      const key = directive[1]!;
      if (key === 'expect') {
        if (draft.inExpect) throw new CaseFileError(file, lineNo, 'second "--- expect"');
        draft.inExpect = true;
        return;
      }
      if (draft.inExpect) throw new CaseFileError(file, lineNo, `directive "--- ${key}" after "--- expect"`);
      if (!knownDirectives.has(key)) throw new CaseFileError(file, lineNo, `unknown directive "--- ${key}"`);
      if (key === 'doc') draft.docs.push((directive[2] ?? '').trim());
      else draft.directives.set(key, (directive[2] ?? '').trim());
      return;
    }
    if (draft.inExpect) {
      if (trimmed === '') return;
      if (!draft.header) draft.header = { text: trimmed, line: lineNo };
      else draft.rows.push({ text: trimmed, line: lineNo });
      return;
    }
    draft.queryLines.push(raw);
  });
  if (draft) finish(draft);
  return cases;
}
