#!/usr/bin/env node
// `npm test`: builds Quarry (so CLI tests run the real `quarry` binary) and runs every test with Vitest.
// Browser tests need Debian's chromium: when it is missing and we are root, it is installed here;
// otherwise the browser tests say exactly what to install and skip.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

if (process.env.QUARRY_SKIP_BUILD !== '1') {
  const status = run('npm', ['run', '-s', 'build']);
  if (status !== 0) process.exit(status);
}

if (!existsSync('/usr/bin/chromium') && process.getuid?.() === 0 && process.env.QUARRY_NO_INSTALL !== '1') {
  console.log('[test] Debian chromium is missing: installing it (apt-get install -y chromium)');
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', 'chromium']);
}

const status = run('npx', ['vitest', 'run', ...process.argv.slice(2)]);
process.exit(status);
