/**
 * `quarry blob …` and `quarry query` as real child processes on a temp data dir: upload, list, mint a
 * signed URL, read it back with `externaldata` through the CLI's storage-aware fetcher, and refusals as
 * JSON errors with exit 2.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runQuarry, stderrError } from '../cli/quarry-process.js';
import { removeTempDirs, tempDataDir } from '../store/temp-dir.js';

let dir: string;
let csv: string;
const env = { QUARRY_EXTERNALDATA_ALLOW_HOSTS: '' };

beforeAll(() => {
  ensureBuilt();
  dir = tempDataDir('quarry-blob-cli-');
  csv = path.join(dir, 'hostpairs.csv');
  fs.writeFileSync(csv, 'parentHostname,childHostname,firstSeen,lastSeen,attributeCause,Tags\ndancevida.com,www.dancevida.com,05/03/2023 14:20,05/04/2023 09:00,redirect,Phishing\n');
}, 240_000);
afterAll(() => removeTempDirs());

const q = (...args: string[]) => runQuarry(['--data', dir, ...args], env);

describe('quarry blob', () => {
  it('put, ls, sas, then query reads the signed URL with externaldata', async () => {
    const put = await q('blob', 'put', csv, 'mdti/dancevida-hostpairs.csv');
    expect(put.code, put.stderr).toBe(0);
    expect(JSON.parse(put.stdout)).toMatchObject({ container: 'mdti', name: 'dancevida-hostpairs.csv', contentType: 'text/csv' });
    const ls = await q('blob', 'ls', 'mdti');
    expect(JSON.parse(ls.stdout).blobs.map((b: { name: string }) => b.name)).toEqual(['dancevida-hostpairs.csv']);
    const sas = await q('blob', 'sas', 'mdti/dancevida-hostpairs.csv', '--valid-for', 'PT1H');
    expect(sas.code, sas.stderr).toBe(0);
    const url = sas.stdout.trim();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:7070\/storage\/mdti\/dancevida-hostpairs\.csv\?sv=2022-11-02&se=.*&sr=b&sp=r&spr=https%2Chttp&sig=/);
    const kql = `externaldata (parentHostName:string, childHostName:string, firstSeen:datetime, lastSeen:datetime, attributeCause:string, tags:string) [h@'${url}'] with (format='csv', ignorefirstrecord=true)`;
    const res = await q('query', kql);
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout).results).toEqual([{
      parentHostName: 'dancevida.com', childHostName: 'www.dancevida.com', firstSeen: '2023-05-03T14:20:00.0000000Z', lastSeen: '2023-05-04T09:00:00.0000000Z', attributeCause: 'redirect', tags: 'Phishing',
    }]);
    const get = await q('blob', 'get', 'mdti/dancevida-hostpairs.csv');
    expect(get.stdout).toBe(fs.readFileSync(csv, 'utf8'));
  }, 60_000);

  it('an expired or tampered URL fails the query with a JSON error and exit 2, without the signature', async () => {
    const sas = await q('blob', 'sas', 'mdti/dancevida-hostpairs.csv', '--start', '2020-01-01T00:00:00Z', '--expiry', '2020-01-02T00:00:00Z');
    const url = sas.stdout.trim();
    const res = await q('query', `externaldata (a:string) [@'${url}'] with (format='csv')`);
    expect(res.code).toBe(2);
    const err = stderrError(res.stderr);
    expect(err.code).toBe('blob/authentication-failed');
    expect(err.message).toMatch(/expired/);
    expect(res.stderr).not.toContain(new URL(url).searchParams.get('sig')!);
  }, 60_000);

  it('policy set/ls/rm, keys rotate and rm (no query process: their effect is covered in sas.test.ts)', async () => {
    expect((await q('blob', 'policy', 'set', 'mdti', 'soc', '--permissions', 'r', '--expiry', new Date(Date.now() + 3_600_000).toISOString())).code).toBe(0);
    expect(JSON.parse((await q('blob', 'policy', 'ls', 'mdti')).stdout).policies).toMatchObject([{ id: 'soc', permissions: 'r' }]);
    expect((await q('blob', 'sas', 'mdti/dancevida-hostpairs.csv', '--policy', 'soc')).stdout).toMatch(/&si=soc&sig=/);
    expect((await q('blob', 'policy', 'rm', 'mdti', 'soc')).code).toBe(0);
    const bad = await q('blob', 'sas', 'mdti/dancevida-hostpairs.csv', '--policy', 'soc');
    expect(bad.code).toBe(2);
    expect(stderrError(bad.stderr).message).toMatch(/no stored access policy 'soc'/);
    const keys = path.join(dir, 'storage', 'account-keys.json');
    const before = JSON.parse(fs.readFileSync(keys, 'utf8'));
    expect((await q('blob', 'keys', 'rotate', 'key1')).code).toBe(0);
    const after = JSON.parse(fs.readFileSync(keys, 'utf8'));
    expect(after.keys[0].value).not.toBe(before.keys[0].value);
    expect(after.keys[1].value).toBe(before.keys[1].value);
    expect(fs.statSync(keys).mode & 0o777).toBe(0o600);
    expect((await q('blob', 'rm', 'mdti/dancevida-hostpairs.csv')).code).toBe(0);
    const gone = await q('blob', 'get', 'mdti/dancevida-hostpairs.csv');
    expect(gone.code).toBe(2);
    expect(stderrError(gone.stderr).code).toBe('blob/not-found');
  }, 90_000);
});
