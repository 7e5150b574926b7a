/**
 * `quarry users add NAME [--admin | --role R] [--password-stdin]` — first-run bootstrap and user management
 * on the data directory (stop the server first: one process owns the store). Without --password-stdin a
 * password is generated and printed once. Also `users list`, `users set NAME …`, `users rm NAME`.
 * Every change is written to the audit log with actor `cli:<os user>`.
 */
import os from 'node:os';
import type { Command } from 'commander';
import { openQuarryStore } from '../../app/open-store.js';
import { appendAudit } from '../../auth/audit.js';
import { generatePassword } from '../../auth/password.js';
import { parseRole, type Role } from '../../auth/roles.js';
import { createUser, deleteUser, listUsers, updateUser } from '../../auth/users.js';
import { QuarryError } from '../../core/errors.js';
import type { Store } from '../../store/store.js';
import { configFor } from '../global-options.js';

export async function withStore<T>(cmd: Command, fn: (store: Store) => Promise<T>): Promise<T> {
  const config = configFor(cmd);
  const store = await openQuarryStore(config.dataDir);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export async function readStdinSecret(): Promise<string> {
  if (process.stdin.isTTY) throw new QuarryError('core/bad-argument', '--password-stdin reads the password from a pipe, e.g. `printf %s "$PW" | quarry users add …`');
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

export const cliActor = () => `cli:${os.userInfo().username}`;

function out(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

export function register(program: Command): void {
  const users = program.command('users').description('manage local users (run while the server is stopped)');

  users
    .command('add <name>')
    .description('create a user; prints a generated password once unless --password-stdin')
    .option('--admin', 'give the admin role (first-run bootstrap)')
    .option('--role <role>', 'reader, analyst or admin (default reader)')
    .option('--password-stdin', 'read the password from standard input')
    .action(async (name: string, opts: { admin?: boolean; role?: string; passwordStdin?: boolean }, cmd: Command) => {
      if (opts.admin && opts.role && opts.role !== 'admin') throw new QuarryError('core/bad-argument', '--admin and --role disagree');
      const role: Role = opts.admin ? 'admin' : parseRole(opts.role ?? 'reader');
      const password = opts.passwordStdin ? await readStdinSecret() : generatePassword();
      const user = await withStore(cmd, async (store) => {
        const u = await createUser(store, { username: name, password, role });
        await appendAudit(store, { actor: cliActor(), actorKind: 'cli', action: 'users.add', target: u.username, details: { role } });
        return u;
      });
      out({ ...user, ...(opts.passwordStdin ? {} : { password }) });
      if (!opts.passwordStdin) process.stderr.write('The password above is shown once; store it now.\n');
    });

  users
    .command('list')
    .description('list users')
    .action(async (_opts: unknown, cmd: Command) => out({ users: await withStore(cmd, (s) => listUsers(s)) }));

  users
    .command('set <name>')
    .description('change role, password or disabled state')
    .option('--role <role>', 'reader, analyst or admin')
    .option('--password-stdin', 'set the password read from standard input')
    .option('--reset-password', 'set a generated password and print it once')
    .option('--disable', 'disable the user (ends sessions; tokens stop working)')
    .option('--enable', 'enable the user again')
    .action(async (name: string, opts: { role?: string; passwordStdin?: boolean; resetPassword?: boolean; disable?: boolean; enable?: boolean }, cmd: Command) => {
      if (opts.disable && opts.enable) throw new QuarryError('core/bad-argument', '--disable and --enable exclude each other');
      const password = opts.passwordStdin ? await readStdinSecret() : opts.resetPassword ? generatePassword() : undefined;
      const change = {
        ...(opts.role ? { role: parseRole(opts.role) } : {}),
        ...(password !== undefined ? { password } : {}),
        ...(opts.disable ? { disabled: true } : opts.enable ? { disabled: false } : {}),
      };
      if (Object.keys(change).length === 0) throw new QuarryError('core/bad-argument', 'nothing to change: give --role, --password-stdin, --reset-password, --disable or --enable');
      const user = await withStore(cmd, async (store) => {
        const u = await updateUser(store, name, change);
        await appendAudit(store, { actor: cliActor(), actorKind: 'cli', action: 'users.set', target: u.username, details: { ...change, ...(password ? { password: 'changed' } : {}) } });
        return u;
      });
      out({ ...user, ...(opts.resetPassword ? { password } : {}) });
    });

  users
    .command('rm <name>')
    .description('delete a user (revokes their tokens)')
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      await withStore(cmd, async (store) => {
        await deleteUser(store, name);
        await appendAudit(store, { actor: cliActor(), actorKind: 'cli', action: 'users.rm', target: name });
      });
      out({ deleted: name });
    });
}
