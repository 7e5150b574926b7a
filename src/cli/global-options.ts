/**
 * Options every command understands (`--data`, `--log-level`) and the config they resolve to.
 */
import type { Command } from 'commander';
import { resolveConfig, type ConfigFlags, type QuarryConfig } from '../core/config.js';

export function addGlobalOptions(program: Command): Command {
  return program
    .option('--data <dir>', 'data directory (default ./.quarry, env QUARRY_DATA)')
    .option('--log-level <level>', 'log level: fatal, error, warn, info, debug, trace, silent (env QUARRY_LOG_LEVEL)');
}

/** The config for a command: its own flags plus the global ones (flags > env > defaults). */
export function configFor(cmd: Command, extra: ConfigFlags = {}): QuarryConfig {
  const opts = cmd.optsWithGlobals<{ data?: string; logLevel?: string }>();
  return resolveConfig({ data: opts.data, logLevel: opts.logLevel, ...extra });
}
