/**
 * `quarry ingest` and `quarry connectors` as real child processes (`node bin/quarry.js`, built).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runQuarry, stderrError } from '../cli/quarry-process.js';
import { ensureIngestBuilt, networkRow, removeTempDirs, tempDir } from './helpers.js';

beforeAll(() => ensureIngestBuilt(), 240_000);
afterAll(removeTempDirs);

describe('quarry ingest', () => {
  it('prints {accepted, rejected, duplicate, …}; the same files again are all duplicates; connectors shows them', async () => {
    const dir = tempDir();
    const data = path.join(dir, 'data');
    const nd = path.join(dir, 'events.ndjson');
    fs.writeFileSync(nd, [JSON.stringify(networkRow(1)), '{"oops"', JSON.stringify(networkRow(2))].join('\n'));
    const csv = path.join(dir, 'Syslog.csv');
    fs.writeFileSync(csv, 'TimeGenerated,Computer,SyslogMessage\n2024-05-01T00:00:00Z,h1,hello\n');
    const first = await runQuarry(['ingest', '--data', data, '--table', 'DeviceNetworkEvents', '--format', 'ndjson', nd]);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ records: 3, accepted: 2, rejected: 1, duplicate: 0, tables: { DeviceNetworkEvents: { accepted: 2, rejected: 1 } } });
    const csvRun = await runQuarry(['ingest', '--data', data, csv]);
    expect(JSON.parse(csvRun.stdout)).toMatchObject({ accepted: 1, tables: { Syslog: { accepted: 1, rejected: 0 } } });
    const again = await runQuarry(['ingest', '--data', data, '--table', 'DeviceNetworkEvents', nd]);
    expect(JSON.parse(again.stdout)).toMatchObject({ accepted: 0, rejected: 0, duplicate: 3 });

    const status = await runQuarry(['connectors', '--data', data, '--format', 'json']);
    expect(status.code, status.stderr).toBe(0);
    const rows = (JSON.parse(status.stdout) as { connectors: { source: string; table: string; rowsToday: number; rejectsToday: number }[] }).connectors;
    expect(rows).toEqual([
      expect.objectContaining({ source: 'cli', table: 'DeviceNetworkEvents', rowsToday: 2, rejectsToday: 1 }),
      expect.objectContaining({ source: 'cli', table: 'Syslog', rowsToday: 1, rejectsToday: 0 }),
    ]);
    const table = await runQuarry(['connectors', '--data', data]);
    expect(table.stdout).toMatch(/^SOURCE\s+TABLE\s+LAST EVENT/);
  }, 60_000);

  it('refuses bad arguments with a JSON error and exit 2', async () => {
    const dir = tempDir();
    const r = await runQuarry(['ingest', '--data', path.join(dir, 'data'), '--table', 'NoSuchTable', '--format', 'ndjson', __filename]);
    expect(r.code).toBe(2);
    expect(stderrError(r.stderr)).toMatchObject({ code: 'catalog/unknown-table' });
    const f = await runQuarry(['ingest', '--data', path.join(dir, 'data'), path.join(dir, 'missing.ndjson')]);
    expect(f.code).toBe(2);
    expect(stderrError(f.stderr).message).toMatch(/does not exist/);
  }, 60_000);
});
