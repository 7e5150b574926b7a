/**
 * `quarry generate` as a real child process (run from source through tsx): summary line, JSON format,
 * the planted truth file, idempotent determinism across two data directories, and bad input → exit 2.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/duckdb/open-store.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const entry = path.join(repoRoot, 'test/generate/quarry-from-source.ts');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'quarry-generate-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function quarry(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, QUARRY_LOG_LEVEL: 'warn' };
    delete env.QUARRY_DATA;
    const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], { cwd: repoRoot, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function dump(dir: string, table: string): Promise<string> {
  const store = await openStore(dir);
  try {
    const r = await store.query(`SELECT * FROM ${table} ORDER BY ReportId`);
    return JSON.stringify(r.rows, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  } finally {
    await store.close();
  }
}

describe('quarry generate', () => {
  it('generates into --data, prints a JSON summary, writes the truth; same options give the same stored rows', async () => {
    const args = ['--rows', '3000', '--seed', '5', '--end', '2024-05-01T00:00:00Z', '--days', '2', '--format', 'json', '--quiet'];
    const a = await quarry(['generate', '--data', path.join(tmp, 'a'), ...args, '--truth', path.join(tmp, 'truth.json')]);
    expect(a.code, a.stderr).toBe(0);
    const lines = a.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const summary = JSON.parse(lines[0]!) as { rows: number; tables: Record<string, number>; end: string; start: string; plantedRefs: number };
    expect(summary.rows).toBe(3000 + 40);
    expect(summary.end).toBe('2024-05-01T00:00:00.000Z');
    expect(summary.start).toBe('2024-04-29T00:00:00.000Z');
    const truth = JSON.parse(fs.readFileSync(path.join(tmp, 'truth.json'), 'utf8')) as { refs: unknown[]; indicators: unknown[] };
    expect(truth.refs.length).toBe(summary.plantedRefs);
    expect(truth.indicators.length).toBe(10);

    const b = await quarry(['generate', '--data', path.join(tmp, 'b'), ...args, '--tables', 'EmailEvents,UrlClickEvents,EmailUrlInfo']);
    expect(b.code, b.stderr).toBe(0);
    const tables = (JSON.parse(b.stdout) as { tables: Record<string, number> }).tables;
    expect(Object.keys(tables)).toEqual(['EmailEvents', 'EmailUrlInfo', 'UrlClickEvents']);
    const c = await quarry(['generate', '--data', path.join(tmp, 'c'), ...args]);
    expect(c.code, c.stderr).toBe(0);
    expect(await dump(path.join(tmp, 'c'), 'DeviceNetworkEvents')).toBe(await dump(path.join(tmp, 'a'), 'DeviceNetworkEvents'));
  }, 120_000);

  it('prints a one-line text summary by default', async () => {
    const r = await quarry(['generate', '--data', path.join(tmp, 'd'), '--rows', '500', '--tables', 'DnsEvents', '--end', '2024-05-01T00:00:00Z']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^generated 500 rows in 1 tables in [\d.]+s \([\d,]+ rows\/s\)/);
  }, 60_000);

  it('exits 2 with a JSON error on bad input', async () => {
    for (const args of [['--rows', 'many'], ['--tables', 'NoSuchTable'], ['--end', 'soon'], ['--format', 'xml']]) {
      const r = await quarry(['generate', '--data', path.join(tmp, 'bad'), '--quiet', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      const err = JSON.parse(r.stderr.trim().split('\n').pop()!) as { code: string; message: string };
      expect(['core/bad-argument', 'generate/bad-option']).toContain(err.code);
      expect(err.message.length).toBeGreaterThan(10);
    }
  }, 60_000);
});
