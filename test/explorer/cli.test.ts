/**
 * `quarry explorer` as a real child process (from the sources through tsx): collect COF, show a summary,
 * one data set as JSON and as MDTI CSV; bad arguments exit 2 with a JSON error.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from './helpers.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quarry-explorer-cli-'));
const data = path.join(dir, 'data');
const quarry = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'test/generate/quarry-from-source.ts'), ...args, '--data', data], {
    cwd: repoRoot, encoding: 'utf8', timeout: 120_000,
  });

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('quarry explorer CLI', () => {
  it('collects COF and shows the artifact as JSON and CSV', () => {
    const cof = path.join(dir, 'pdns.json');
    fs.writeFileSync(cof, JSON.stringify({ rrname: 'cli.example.com', rrtype: 'A', rdata: '192.0.2.9', time_first: 1700000000, time_last: 1700003600, count: 3 }) + '\n');
    const c = quarry('explorer', 'collect', 'cof', cof);
    expect(c.status, c.stderr).toBe(0);
    const show = quarry('explorer', 'show', 'cli.example.com');
    expect(show.status, show.stderr).toBe(0);
    const s = JSON.parse(show.stdout);
    expect(s.artifact.kind).toBe('host');
    expect(s.datasets.resolutions.rows[0]).toMatchObject({ Resolve: '192.0.2.9', FirstSeen: '2023-11-14T22:13:20.000Z', SeenCount: 3 });
    const csv = quarry('explorer', 'show', 'cli.example.com', '--dataset', 'resolutions', '--format', 'csv', '--dates', 'mdy');
    expect(csv.status, csv.stderr).toBe(0);
    expect(csv.stdout).toBe('Resolve,Location,Network,autonomousSystemNumber,firstSeen,lastSeen,Source,Tags\r\n192.0.2.9,,,,11/14/2023 22:13,11/14/2023 23:13,cof,\r\n');
  });

  it('exits 2 with a JSON error on bad input', () => {
    const r = quarry('explorer', 'show', 'x.example.com', '--format', 'csv');
    expect(r.status).toBe(2);
    expect(JSON.parse(r.stderr.trim().split('\n').pop()!).code).toBe('core/bad-argument');
  });
});
