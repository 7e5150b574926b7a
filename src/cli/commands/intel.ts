/**
 * `quarry intel import FILE… [--format F] [--source NAME] [--detect-all] [--quiet]` — prints one JSON report per file.
 * `quarry intel export [--format stix|csv] [--profile ID|--article ID|--tag T|--project ID] [--out FILE]`.
 * `quarry intel show ID|NAME|VALUE` — an object, a profile (by any alias) or an observable.
 * `quarry intel tag TARGET TAG…` — custom tags on an object or artifact.
 * `quarry intel poll URL --name NAME` — one TAXII 2.1 poll of a collection with a saved cursor.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { openQuarryStore } from '../../app/open-store.js';
import { QuarryError } from '../../core/errors.js';
import {
  addTags, exportBundle, findObservable, getObject, getProfile, importIntelFile, indicatorCsv, pollCollection, type ExportScope, type IntelFormat,
} from '../../intel/index.js';
import { isStixId } from '../../intel/stix.js';
import type { Store } from '../../store/store.js';
import { configFor } from '../global-options.js';

async function withStore<T>(cmd: Command, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openQuarryStore(configFor(cmd).dataDir);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

const out = (v: unknown) => process.stdout.write(`${JSON.stringify(v, null, 2)}\n`);
const formats = ['stix', 'misp-event', 'misp-galaxy', 'csv', 'text'];

export function register(program: Command): void {
  const intel = program.command('intel').description('threat intelligence: import, export, show, tag');

  intel
    .command('import')
    .description('import STIX 2.x bundles, MISP events/galaxies, CSV (type,value,…) or free text')
    .argument('<files...>')
    .option('--format <format>', `force a format: ${formats.join(', ')}`)
    .option('--source <name>', 'provider name (default: the file name)')
    .option('--detect-all', 'treat MISP to_ids=false attributes as active for detection')
    .option('--quiet', 'print only the totals')
    .action(async (files: string[], opts: { format?: string; source?: string; detectAll?: boolean; quiet?: boolean }, cmd: Command) => {
      if (opts.format && !formats.includes(opts.format)) throw new QuarryError('core/bad-argument', `--format must be one of ${formats.join(', ')}`);
      await withStore(cmd, async (store) => {
        const totals = { files: 0, created: 0, updated: 0, unchanged: 0, rejected: 0, skipped: 0 };
        for (const f of files) {
          const started = Date.now();
          const r = await importIntelFile(store, f, {
            ...(opts.format ? { format: opts.format as IntelFormat } : {}), ...(opts.source ? { source: opts.source } : {}), detectAll: opts.detectAll === true,
          });
          totals.files++;
          for (const k of ['created', 'updated', 'unchanged', 'rejected', 'skipped'] as const) totals[k] += r[k];
          if (!opts.quiet) process.stdout.write(`${JSON.stringify({ file: f, ...r, ms: Date.now() - started })}\n`);
        }
        process.stdout.write(`${JSON.stringify({ totals })}\n`);
      });
    });

  intel
    .command('export')
    .description('export a STIX 2.1 bundle (whole store or one scope) or indicators as MDTI CSV (type,value,source)')
    .option('--format <format>', 'stix or csv', 'stix')
    .option('--profile <id>', 'one intel profile (id or any alias)')
    .option('--article <id>', 'one article (report id)')
    .option('--tag <tag>', 'objects with a tag or label')
    .option('--project <id>', 'one project')
    .option('--out <file>', 'write to a file instead of stdout')
    .action(async (opts: { format: string; profile?: string; article?: string; tag?: string; project?: string; out?: string }, cmd: Command) => {
      if (opts.format !== 'stix' && opts.format !== 'csv') throw new QuarryError('core/bad-argument', `--format must be stix or csv, got '${opts.format}'`);
      const scope: ExportScope = opts.profile ? { kind: 'profile', id: opts.profile } : opts.article ? { kind: 'article', id: opts.article }
        : opts.tag ? { kind: 'tag', tag: opts.tag } : opts.project ? { kind: 'project', id: opts.project } : { kind: 'all' };
      const text = await withStore(cmd, async (store) => {
        const bundle = await exportBundle(store, scope);
        if (opts.format === 'stix') return `${JSON.stringify(bundle, null, 2)}\n`;
        const ids = bundle.objects.filter((o) => o.type === 'indicator' && o.revoked !== true).map((o) => o.id);
        const rows: { kind: string; value: string; source: string }[] = [];
        for (const id of ids) {
          const r = await store.query('SELECT ob.kind, ob.value, o.source FROM intel_observables ob JOIN intel_objects o ON o.id = ob.indicator_id AND o.is_current WHERE ob.indicator_id = $1', { params: [id] });
          for (const [kind, value, source] of r.rows as [string, string, string | null][]) rows.push({ kind, value, source: source ?? 'Quarry' });
        }
        return indicatorCsv(rows);
      });
      if (opts.out) fs.writeFileSync(opts.out, text);
      else process.stdout.write(text);
    });

  intel
    .command('show')
    .description('show an object (STIX id), a profile (any alias) or an observable (domain, IP, URL, hash, e-mail)')
    .argument('<what>')
    .action(async (what: string, _opts: unknown, cmd: Command) => {
      await withStore(cmd, async (store) => {
        if (isStixId(what)) return out(await getObject(store, what));
        try {
          return out(await getProfile(store, what));
        } catch (e) {
          if (!(e instanceof QuarryError) || e.code !== 'intel/not-found') throw e;
        }
        const hit = await findObservable(store, what);
        if (!hit) throw new QuarryError('intel/not-found', `nothing in the intel store matches '${what}'`, { hints: ['give a STIX id, a profile name or alias, or an indicator value'] });
        return out(hit);
      });
    });

  intel
    .command('tag')
    .description('add custom tags to an object (STIX id) or artifact (domain, IP, …)')
    .argument('<target>')
    .argument('<tags...>')
    .action(async (target: string, tags: string[], _opts: unknown, cmd: Command) => {
      await withStore(cmd, async (store) => out({ target, tags: await addTags(store, target, tags, 'cli') }));
    });

  intel
    .command('poll')
    .description('poll a TAXII 2.1 collection once (cursor saved under --name)')
    .argument('<collectionUrl>')
    .requiredOption('--name <name>', 'feed name (cursor key)')
    .option('--limit <n>', 'page size', '1000')
    .action(async (url: string, opts: { name: string; limit: string }, cmd: Command) => {
      await withStore(cmd, async (store) => out(await pollCollection(store, { name: opts.name, collectionUrl: url, limit: Number(opts.limit) })));
    });
}
