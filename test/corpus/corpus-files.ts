/**
 * Reading the shared KQL corpus (`../shared/kql-corpus/*.kql`) and its exclusion list.
 * Test support only: no compiler imports here, so the parse-only gate can run on its own.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const sharedDir = path.resolve(repoRoot, '../shared');
export const corpusDir = path.join(sharedDir, 'kql-corpus');
export const exclusionsPath = path.join(path.dirname(fileURLToPath(import.meta.url)), 'exclusions.tsv');

/**
 * Queries the research note (`kql-engine-notes.md` §3.2) documents as genuine syntax bugs in the
 * published source (a missing `|`, a missing `or`). They are negative cases: they must NOT parse.
 * They may be absent from the corpus subset checked in under `shared/`; that is fine.
 */
export const knownSyntaxBugs: ReadonlyMap<string, string> = new Map([
  ['bjp-email-aireffectiveness.kql', 'missing `|` between operators in the published query'],
  ['bjp-ttp-t1219-netsupportrat-fin7.kql', 'missing `or` between two predicates in the published query'],
]);

export interface CorpusQuery {
  readonly file: string;
  /** The query text without the two provenance comment lines. */
  readonly text: string;
}

/** Why the corpus cannot be read, or null when it can. */
export function corpusUnavailableReason(): string | null {
  if (!existsSync(corpusDir)) return `shared corpus not found at ${corpusDir} (expected ../shared beside the repo)`;
  return null;
}

/**
 * Each corpus file starts with `// owner/name:path` and `// commit …; licence …`. They are valid
 * KQL comments, but we strip them so spans reported on failure point into the query itself.
 */
export function stripProvenance(raw: string): string {
  const lines = raw.split(/\r?\n/);
  let i = 0;
  while (i < 2 && i < lines.length && /^\s*\/\//.test(lines[i]!)) i++;
  return lines.slice(i).join('\n');
}

export function readCorpus(): CorpusQuery[] {
  return readdirSync(corpusDir)
    .filter((f) => f.endsWith('.kql'))
    .sort()
    .map((file) => ({ file, text: stripProvenance(readFileSync(path.join(corpusDir, file), 'utf8')) }));
}

export interface Exclusion {
  readonly file: string;
  readonly reason: string;
}

/** `exclusions.tsv`: `file<TAB>reason` per line; `#` lines and blank lines are ignored. */
export function parseExclusions(text: string): Exclusion[] {
  const out: Exclusion[] = [];
  const seen = new Set<string>();
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    const tab = line.indexOf('\t');
    const file = (tab < 0 ? line : line.slice(0, tab)).trim();
    const reason = tab < 0 ? '' : line.slice(tab + 1).trim();
    if (!file.endsWith('.kql')) throw new Error(`exclusions.tsv line ${i + 1}: "${file}" is not a .kql file name`);
    if (reason === '') throw new Error(`exclusions.tsv line ${i + 1}: ${file} has no reason (file<TAB>reason)`);
    if (seen.has(file)) throw new Error(`exclusions.tsv line ${i + 1}: ${file} is listed twice`);
    seen.add(file);
    out.push({ file, reason });
  });
  return out;
}

export function readExclusions(): Exclusion[] {
  return parseExclusions(readFileSync(exclusionsPath, 'utf8'));
}
