/**
 * The `quarry` command line. Each command lives in `cli/commands/<name>.ts` and is listed (one line) in
 * `cli/commands/index.ts`. Exit codes: 0 ok, 2 bad input (JSON error on stderr), 1 internal error.
 */
import { Command, CommanderError } from 'commander';
import { QuarryError, toQuarryError } from '../core/errors.js';
import { quarryVersion } from '../api/version.js';
import * as commands from './commands/index.js';
import { addGlobalOptions } from './global-options.js';

export function buildProgram(): Command {
  const program = new Command('quarry')
    .description('Quarry: threat intelligence and KQL threat hunting, self-hosted')
    .version(quarryVersion())
    // Errors are reported once, as JSON, by runCli; commander must not print or exit on its own.
    .exitOverride()
    .configureOutput({ outputError: () => undefined });
  addGlobalOptions(program);
  for (const register of Object.values(commands)) register(program);
  return program;
}

/** Commander's own errors: help/version are successes, the rest are bad input. */
function fromCommanderError(e: CommanderError): QuarryError | 'ok' {
  if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' || e.exitCode === 0) return 'ok';
  return new QuarryError('core/bad-argument', e.message.replace(/^error:\s*/, ''), { details: { reason: e.code } });
}

export async function runCli(argv: string[]): Promise<void> {
  // `quarry tables | head`: a closed pipe is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
  });
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (e) {
    const mapped = e instanceof CommanderError ? fromCommanderError(e) : toQuarryError(e);
    if (mapped === 'ok') {
      process.exitCode = 0;
      return;
    }
    process.stderr.write(JSON.stringify(mapped.toJSON()) + '\n');
    process.exitCode = mapped.isUserError ? 2 : 1;
  }
}
