/** Runs the `quarry` CLI from the TypeScript sources (tests spawn it with tsx; no build needed). */
import { runCli } from '../../src/cli/main.js';

await runCli(process.argv);
