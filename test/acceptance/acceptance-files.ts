/**
 * Splitting the verbatim acceptance files in `../shared/acceptance/` into individual queries.
 * - `mdti-queries.kql`: blocks between `// BEGIN <source>` and `// END <source>`; lines starting with `#`
 *   (not KQL) are removed; the SAS placeholder is replaced by a URL the caller chooses.
 * - `sentinel-ti-map-rules.kql`: each rule starts with a `// SOURCE:` header framed by `// ====` lines;
 *   the query runs from the closing frame line to the next frame line (or the end of the file).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const acceptanceDir = path.resolve(repoRoot, '../shared/acceptance');

/** The placeholder the MDTI samples use where the analyst pastes a blob SAS URL. */
export const SAS_PLACEHOLDER = "@'Replace-with-your-Storage-Generated-SAS-URL-Token'";

export interface AcceptanceQuery {
  /** Where the query comes from (`owner/repo:path`) and a short name. */
  readonly source: string;
  readonly name: string;
  readonly text: string;
}

export function acceptanceUnavailableReason(file: string): string | null {
  const p = path.join(acceptanceDir, file);
  return existsSync(p) ? null : `${p} not found (expected ../shared beside the repo)`;
}

/** Lines starting with `#` are headings in the MDTI originals, not KQL: drop them. */
export function stripHashLines(text: string): string {
  return text.split(/\r?\n/).filter((l) => !/^\s*#/.test(l)).join('\n');
}

/** A KQL verbatim string literal holding `url` (single quotes doubled). */
export function kqlUrlLiteral(url: string): string {
  return `@'${url.replace(/'/g, "''")}'`;
}

export function splitMdtiQueries(text: string, sasUrl: string): AcceptanceQuery[] {
  const out: AcceptanceQuery[] = [];
  const lines = text.split(/\r?\n/);
  let source: string | null = null;
  let body: string[] = [];
  for (const line of lines) {
    const begin = /^\/\/\s*BEGIN\s+(.+)$/.exec(line);
    const end = /^\/\/\s*END\s+(.+)$/.exec(line);
    if (begin) {
      if (source !== null) throw new Error(`BEGIN ${begin[1]} inside the block of ${source}`);
      source = begin[1]!.trim();
      body = [];
    } else if (end) {
      if (source === null || end[1]!.trim() !== source) throw new Error(`END ${end[1]} without a matching BEGIN`);
      const query = stripHashLines(body.join('\n')).split(SAS_PLACEHOLDER).join(kqlUrlLiteral(sasUrl)).trim();
      out.push({ source, name: path.basename(source.split(':').pop()!, '.txt'), text: query });
      source = null;
    } else if (source !== null && !/^\/\/\s*=+\s*$/.test(line)) {
      body.push(line);
    }
  }
  if (source !== null) throw new Error(`BEGIN ${source} has no END`);
  return out;
}

export function splitSentinelRules(text: string): AcceptanceQuery[] {
  const lines = text.split(/\r?\n/);
  const isFrame = (l: string) => /^\/\/\s*={10,}\s*$/.test(l);
  const out: AcceptanceQuery[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^\/\/\s*SOURCE:\s*(.+?)(?:\s+\(commit [0-9a-f]+\))?\s*$/.exec(lines[i]!);
    if (!m) continue;
    let j = i + 1;
    let name = '';
    while (j < lines.length && !isFrame(lines[j]!)) {
      const n = /^\/\/\s*name:\s*(.+)$/.exec(lines[j]!);
      if (n) name = n[1]!.trim();
      j++;
    }
    let k = j + 1;
    while (k < lines.length && !isFrame(lines[k]!)) k++;
    const query = stripHashLines(lines.slice(j + 1, k).join('\n')).trim();
    out.push({ source: m[1]!, name: name || m[1]!, text: query });
    i = k - 1;
  }
  return out;
}

export function readAcceptance(file: string): string {
  return readFileSync(path.join(acceptanceDir, file), 'utf8');
}
