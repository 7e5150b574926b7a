/**
 * `quarry blob put|get|ls|rm|sas|share|policy|keys`: the data directory's blob storage from the command
 * line. Storage is plain files (atomic renames), so these commands work while `quarry serve` runs.
 * Targets are `CONTAINER/BLOB` (the blob name may contain further slashes).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { checkKeyName } from '../../blob/account-keys.js';
import { shareCsvForHunting } from '../../blob/one-click.js';
import { storageSettings } from '../../blob/settings.js';
import { openStorage } from '../../blob/storage.js';
import type { QuarryConfig } from '../../core/config.js';
import { QuarryError } from '../../core/errors.js';
import { parseIsoDuration } from '../../core/time.js';
import { configFor } from '../global-options.js';

function target(t: string, needBlob: true): { container: string; blob: string };
function target(t: string, needBlob: false): { container: string; blob?: string };
function target(t: string, needBlob: boolean): { container: string; blob?: string } {
  const i = t.indexOf('/');
  const container = i < 0 ? t : t.slice(0, i);
  const blob = i < 0 || i === t.length - 1 ? undefined : t.slice(i + 1);
  if (needBlob && blob === undefined) throw new QuarryError('core/bad-argument', `'${t}' must be CONTAINER/BLOB`);
  return blob === undefined ? { container } : { container, blob };
}

function instant(v: string | undefined, flag: string): Date | undefined {
  if (v === undefined) return undefined;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw new QuarryError('core/bad-argument', `${flag} '${v}' is not an ISO 8601 date-time`);
  return d;
}

function duration(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  try {
    return Number(parseIsoDuration(v) / 1000n);
  } catch {
    throw new QuarryError('core/bad-argument', `${flag} '${v}' is not an ISO 8601 duration such as PT8H or P7D`);
  }
}

const out = (v: unknown) => process.stdout.write(JSON.stringify(v, null, 2) + '\n');

function ctx(cmd: Command): { config: QuarryConfig; storage: ReturnType<typeof openStorage>; settings: ReturnType<typeof storageSettings> } {
  const config = configFor(cmd);
  return { config, storage: openStorage(config.dataDir), settings: storageSettings(config) };
}

async function fileSize(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    throw new QuarryError('core/bad-argument', `cannot read '${file}'`);
  }
}

export function register(program: Command): void {
  const blob = program.command('blob').description('blob storage: upload files, mint signed (SAS-style) URLs for externaldata');

  blob.command('put <file> <target>')
    .description('upload FILE as CONTAINER/BLOB (the container is created when missing)')
    .option('--content-type <type>', 'content type stored with the blob (default from the extension)')
    .action(async (file: string, t: string, opts: { contentType?: string }, cmd: Command) => {
      const { storage, settings } = ctx(cmd);
      const { container, blob: name } = target(t, true);
      const size = await fileSize(file);
      if (size > settings.maxBlobBytes) throw new QuarryError('core/too-large', `'${file}' (${size} bytes) is larger than the blob limit of ${settings.maxBlobBytes} bytes`);
      await storage.blobs.createContainer(container, { ifMissing: true });
      const type = opts.contentType ?? (/\.csv$/i.test(name) ? 'text/csv' : /\.tsv$/i.test(name) ? 'text/tab-separated-values' : /\.json$/i.test(name) ? 'application/json' : undefined);
      const meta = await storage.blobs.putBlob(container, name, createReadStream(file), { maxBytes: settings.maxBlobBytes, ...(type ? { contentType: type } : {}) });
      const { file: _f, ...shown } = meta;
      out(shown);
    });

  blob.command('get <target>')
    .description('write CONTAINER/BLOB to stdout or --out FILE')
    .option('--out <file>', 'write to this file instead of stdout')
    .action(async (t: string, opts: { out?: string }, cmd: Command) => {
      const { storage } = ctx(cmd);
      const { container, blob: name } = target(t, true);
      const { stream } = await storage.blobs.openBlob(container, name);
      if (opts.out) {
        await pipeline(stream, createWriteStream(opts.out));
      } else await pipeline(stream, process.stdout, { end: false });
    });

  blob.command('ls [target]')
    .description('list containers, or the blobs of CONTAINER[/PREFIX]')
    .action(async (t: string | undefined, _opts: unknown, cmd: Command) => {
      const { storage } = ctx(cmd);
      if (!t) {
        out({ containers: await storage.blobs.listContainers() });
        return;
      }
      const { container, blob: prefix } = target(t, false);
      const blobs = await storage.blobs.listBlobs(container, prefix ?? '');
      out({ container, blobs: blobs.map(({ file: _f, ...m }) => m) });
    });

  blob.command('rm <target>')
    .description('delete CONTAINER/BLOB, or a whole CONTAINER with --container')
    .option('--container', 'delete the container and every blob in it')
    .action(async (t: string, opts: { container?: boolean }, cmd: Command) => {
      const { storage } = ctx(cmd);
      if (opts.container) {
        await storage.blobs.deleteContainer(t);
        out({ deleted: t });
        return;
      }
      const { container, blob: name } = target(t, true);
      await storage.blobs.deleteBlob(container, name);
      out({ deleted: `${container}/${name}` });
    });

  blob.command('sas <target>')
    .description('mint a signed URL for CONTAINER/BLOB (or CONTAINER, for listing)')
    .option('--permissions <letters>', 'r read, w write, d delete, l list (default r, unless --policy gives them)')
    .option('--valid-for <duration>', 'ISO 8601 duration, e.g. PT8H (default PT8H unless --expiry or --policy)')
    .option('--expiry <iso>', 'expiry instant (UTC)')
    .option('--start <iso>', 'start instant (UTC)')
    .option('--ip <ip>', 'allowed caller address or IPv4 range a.b.c.d-e.f.g.h')
    .option('--https-only', 'the URL works only over https')
    .option('--policy <id>', 'sign under this stored access policy (deleting it revokes the URL)')
    .option('--key <name>', 'account key to sign with: key1 or key2', 'key1')
    .option('--base-url <url>', 'server base URL (default QUARRY_PUBLIC_URL or http://host:port)')
    .action(async (t: string, opts: { permissions?: string; validFor?: string; expiry?: string; start?: string; ip?: string; httpsOnly?: boolean; policy?: string; key: string; baseUrl?: string }, cmd: Command) => {
      const { storage, settings } = ctx(cmd);
      const { container, blob: name } = target(t, false);
      const ms = duration(opts.validFor, '--valid-for');
      let expiry = instant(opts.expiry, '--expiry');
      if (ms !== undefined) expiry = new Date(Date.now() + ms);
      if (!expiry && !opts.policy) expiry = new Date(Date.now() + 8 * 3_600_000);
      const start = instant(opts.start, '--start');
      const url = await storage.mintUrl(opts.baseUrl ?? settings.publicUrl, {
        container, ...(name !== undefined ? { blob: name } : {}),
        ...(opts.permissions || !opts.policy ? { permissions: opts.permissions ?? 'r' } : {}),
        ...(expiry ? { expiry } : {}), ...(start ? { start } : {}), ...(opts.ip ? { ip: opts.ip } : {}),
        ...(opts.httpsOnly ? { httpsOnly: true } : {}), ...(opts.policy ? { policy: opts.policy } : {}), key: checkKeyName(opts.key),
      });
      process.stdout.write(url + '\n');
    });

  blob.command('share <file>')
    .description('upload a CSV (e.g. an Intel Explorer download), mint a read-only URL and print the externaldata KQL')
    .option('--name <blob>', 'blob name (default upload-<time>.csv)')
    .option('--container <name>', 'container (default hunting)')
    .option('--valid-for <duration>', 'ISO 8601 duration (default P1D)')
    .option('--base-url <url>', 'server base URL (default QUARRY_PUBLIC_URL or http://host:port)')
    .action(async (file: string, opts: { name?: string; container?: string; validFor?: string; baseUrl?: string }, cmd: Command) => {
      const { storage, settings } = ctx(cmd);
      const size = await fileSize(file);
      if (size > settings.maxBlobBytes) throw new QuarryError('core/too-large', `'${file}' (${size} bytes) is larger than the blob limit of ${settings.maxBlobBytes} bytes`);
      const ms = duration(opts.validFor, '--valid-for');
      const r = await shareCsvForHunting(storage, createReadStream(file), {
        maxBytes: settings.maxBlobBytes, baseUrl: opts.baseUrl ?? settings.publicUrl,
        ...(opts.name ? { name: opts.name } : {}), ...(opts.container ? { container: opts.container } : {}), ...(ms !== undefined ? { validForMs: ms } : {}),
      });
      out({ url: r.url, expiry: r.expiry, layout: r.layout, columns: r.columns, kql: r.kql });
    });

  const policy = blob.command('policy').description('stored access policies of a container (deleting one revokes its URLs)');
  policy.command('set <container> <id>')
    .option('--start <iso>', 'start instant').option('--expiry <iso>', 'expiry instant').option('--permissions <letters>', 'r, w, d, l')
    .action(async (container: string, id: string, opts: { start?: string; expiry?: string; permissions?: string }, cmd: Command) => {
      const { storage } = ctx(cmd);
      instant(opts.start, '--start');
      instant(opts.expiry, '--expiry');
      out(await storage.setPolicy(container, { id, ...opts }));
    });
  policy.command('rm <container> <id>').action(async (container: string, id: string, _o: unknown, cmd: Command) => {
    await ctx(cmd).storage.deletePolicy(container, id);
    out({ deleted: id, container });
  });
  policy.command('ls <container>').action(async (container: string, _o: unknown, cmd: Command) => {
    out({ container, policies: await ctx(cmd).storage.listPolicies(container) });
  });

  blob.command('keys').description('account keys').command('rotate <name>')
    .description('replace key1 or key2: URLs signed with the old value stop working')
    .action(async (name: string, _o: unknown, cmd: Command) => {
      await ctx(cmd).storage.rotateKey(checkKeyName(name));
      out({ rotated: name });
    });
}
