#!/usr/bin/env node
// `npm test`: builds Quarry (so CLI tests run the real `quarry` binary) and runs every test with Vitest.
// Browser tests need Debian's chromium: when it is missing and we are root, it is installed here;
// otherwise the browser tests say exactly what to install and skip.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

if (process.env.QUARRY_SKIP_BUILD !== '1') {
  const status = run('npm', ['run', '-s', 'build']);
  if (status !== 0) process.exit(status);
}

// Debian packages the tests use: chromium (portal and crawler tests) and clickhouse-server (the real-server
// ClickHouse check). Installed when missing and we are root; otherwise those tests skip saying what to install.
const wanted = [
  ['chromium', '/usr/bin/chromium'],
  ['clickhouse-server', '/usr/sbin/clickhouse-server'],
].filter(([, bin]) => !existsSync(bin));
if (wanted.length > 0 && process.getuid?.() === 0 && process.env.QUARRY_NO_INSTALL !== '1') {
  const names = wanted.map(([p]) => p);
  console.log(`[test] installing Debian packages: ${names.join(', ')}`);
  run('apt-get', ['update', '-qq']);
  const status = run('apt-get', ['install', '-y', '-qq', ...names], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (status !== 0) console.log('[test] apt-get install failed: the tests that need these packages will skip and say so');
}

// chdb (embedded ClickHouse, ~540 MB with its native library) drives the DuckDB-vs-ClickHouse differential tests.
// It is not in package.json: its lock entries cannot be complete (the registry lacks some platforms' native
// packages), which would break `npm ci`. Installed here without touching package.json/package-lock.json; when it
// cannot be installed, those tests skip and say so.
if (!existsSync('node_modules/chdb') && process.env.QUARRY_NO_INSTALL !== '1') {
  console.log('[test] installing chdb for the ClickHouse differential tests (npm install --no-save chdb@3.4.0)');
  const st = run('npm', ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', 'chdb@3.4.0']);
  if (st !== 0) console.log('[test] chdb could not be installed: the ClickHouse differential tests will skip');
}

const report = 'test-results/vitest.json';
const status = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)]);
// One plain closing line with the counts, whatever reporter the CI reads.
try {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
} catch {
  console.log('tests: no summary (the run did not finish)');
}
process.exit(status);
