/**
 * The `quarry` command line. Each command lives in `cli/commands/<name>.ts` and registers itself here.
 * Exit codes: 0 ok, 2 bad input (JSON error on stderr), 1 internal error.
 */
import { Command } from 'commander';
import { toQuarryError } from '../core/errors.js';

export function buildProgram(): Command {
  const program = new Command('quarry')
    .description('Quarry: threat intelligence and KQL threat hunting, self-hosted')
    .version('0.1.0')
    .showHelpAfterError();
  return program;
}

export async function runCli(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (e) {
    const err = toQuarryError(e);
    process.stderr.write(JSON.stringify(err.toJSON()) + '\n');
    process.exitCode = err.isUserError ? 2 : 1;
  }
}
