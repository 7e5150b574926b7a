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
