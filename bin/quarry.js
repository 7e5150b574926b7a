#!/usr/bin/env node
// Entry point of the `quarry` command. The TypeScript sources are compiled to dist/ by `npm ci` (prepare).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write(JSON.stringify({ code: 'core/not-built', message: 'Quarry is not built: run `npm ci` (or `npm run build`) first.' }) + '\n');
  process.exit(1);
}
const { runCli } = await import(main.href);
await runCli(process.argv);
