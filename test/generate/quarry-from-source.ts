/** `quarry` run from the TypeScript sources (child processes in tests use it: no build needed). */
import { runCli } from '../../src/cli/main.js';

await runCli(process.argv);
