/**
 * Every `quarry` command, one line each. To add a command, write `src/cli/commands/<name>.ts` exporting
 * `register(program: Command): void` and add one line here:
 *
 *     export { register as <name> } from './<name>.js';
 *
 * (`generate`, `query`, `compile`, `check` and later commands plug in the same way.)
 */
export { register as serve } from './serve.js';
export { register as tables } from './tables.js';
export { register as generate } from './generate.js';
export { register as query } from './query.js';
export { register as blob } from './blob.js';
export { register as users } from './users.js';
export { register as tokens } from './tokens.js';
export { register as ingest } from './ingest.js';
export { register as rules } from './rules.js';
export { register as incidents } from './incidents.js';
export { register as intel } from './intel.js';
export { register as explorer } from './explorer.js';
