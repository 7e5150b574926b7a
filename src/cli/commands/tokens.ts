/**
 * `quarry tokens create --user NAME --name LABEL [--role R] [--scopes hunt,intel:read] [--expires P90D]`
 * prints the new API token once (only its hash is stored). Also `tokens list [--user NAME]` and
 * `tokens revoke ID`. Run while the server is stopped (or use the API: POST /api/auth/tokens).
 */
import type { Command } from 'commander';
import { appendAudit } from '../../auth/audit.js';
import { parseRole } from '../../auth/roles.js';
import { createToken, listTokens, revokeToken } from '../../auth/tokens.js';
import { cliActor, withStore } from './users.js';

function out(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

export function register(program: Command): void {
  const tokens = program.command('tokens').description('manage API tokens (run while the server is stopped)');

  tokens
    .command('create')
    .description('create an API token; the secret is printed once')
    .requiredOption('--user <name>', 'owner of the token')
    .option('--name <label>', 'what the token is for', 'cli')
    .option('--role <role>', "role of the token, at most the owner's (default the owner's)")
    .option('--scopes <list>', 'comma-separated: * (default), an area (hunt, intel, explorer, storage, …) or <area>:read')
    .option('--expires <when>', 'ISO 8601 duration (P90D) or instant; default never')
    .action(async (opts: { user: string; name: string; role?: string; scopes?: string; expires?: string }, cmd: Command) => {
      const t = await withStore(cmd, async (store) => {
        const created = await createToken(store, {
          username: opts.user, name: opts.name,
          ...(opts.role ? { role: parseRole(opts.role) } : {}), ...(opts.scopes ? { scopes: opts.scopes } : {}), ...(opts.expires ? { expires: opts.expires } : {}),
        });
        await appendAudit(store, { actor: cliActor(), actorKind: 'cli', action: 'tokens.create', target: created.id, details: { owner: created.username, role: created.role, scopes: created.scopes } });
        return created;
      });
      out(t);
      process.stderr.write('The token above is shown once; store it now. Send it as "Authorization: Bearer <token>".\n');
    });

  tokens
    .command('list')
    .description('list API tokens (never their secrets)')
    .option('--user <name>', 'only this user’s tokens')
    .action(async (opts: { user?: string }, cmd: Command) => out({ tokens: await withStore(cmd, (s) => listTokens(s, opts.user)) }));

  tokens
    .command('revoke <id>')
    .description('revoke an API token')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const t = await withStore(cmd, async (store) => {
        const r = await revokeToken(store, id);
        await appendAudit(store, { actor: cliActor(), actorKind: 'cli', action: 'tokens.revoke', target: id });
        return r;
      });
      out(t);
    });
}
