/**
 * `quarry explorer …`: look up an artifact (`show`), and run the collectors — Zeek DNS/x509/ssl logs, the
 * store's DNS telemetry, CIRCL COF, WHOIS/RDAP files, the crawler — from the command line.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { openQuarryStore } from '../../app/open-store.js';
import { QuarryError } from '../../core/errors.js';
import { exportCof, importCof } from '../../explorer/collectors/cof.js';
import { collectZeekCertificates } from '../../explorer/collectors/certs-zeek.js';
import { collectStoreDns, type StoreDnsSource } from '../../explorer/collectors/pdns-store.js';
import { collectZeekDns } from '../../explorer/collectors/pdns-zeek.js';
import { collectWhois } from '../../explorer/collectors/whois-collect.js';
import { collectCrawl } from '../../explorer/crawler/crawl.js';
import { exportDatasetCsv, type CsvDateFormat } from '../../explorer/csv-export.js';
import { datasetPage } from '../../explorer/lookup.js';
import { presentRow, presentSummary } from '../../explorer/present.js';
import { classifyArtifact } from '../../explorer/search.js';
import { artifactSummary } from '../../explorer/summary.js';
import type { Store } from '../../store/store.js';
import { configFor } from '../global-options.js';

async function withStore<T>(cmd: Command, fn: (s: Store) => Promise<T>): Promise<T> {
  const store = await openQuarryStore(configFor(cmd).dataDir);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

const out = (v: unknown) => process.stdout.write(JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? Number(x) : x), 2) + '\n');

export function register(program: Command): void {
  const explorer = program.command('explorer').description('Intel Explorer: Internet data sets, collectors, reputation');

  explorer
    .command('show <artifact>')
    .description('summary of an artifact, or one data set (--dataset) as JSON or MDTI CSV')
    .option('--dataset <name>', 'one data set: resolutions, hostPairs, whois, certificates, subdomains, trackers, components, cookies, dns, reverseDns, services')
    .option('--format <format>', 'json or csv (csv needs --dataset)', 'json')
    .option('--dates <format>', 'CSV dates: iso or mdy (mm/dd/yyyy hh:mm)', 'iso')
    .option('--top <n>', 'rows per data set', '25')
    .option('--filter <key=value...>', 'data set filters, e.g. direction=parent cause=script.src')
    .action(async (artifact: string, opts: { dataset?: string; format: string; dates: string; top: string; filter?: string[] }, cmd: Command) => {
      if (opts.format !== 'json' && opts.format !== 'csv') throw new QuarryError('core/bad-argument', `--format must be json or csv, got '${opts.format}'`);
      if (opts.format === 'csv' && !opts.dataset) throw new QuarryError('core/bad-argument', '--format csv needs --dataset (a CSV holds one data set)');
      if (opts.dates !== 'iso' && opts.dates !== 'mdy') throw new QuarryError('core/bad-argument', `--dates must be iso or mdy, got '${opts.dates}'`);
      const top = Number(opts.top);
      if (!Number.isInteger(top) || top < 0) throw new QuarryError('core/bad-argument', '--top must be a whole number');
      const filters = Object.fromEntries((opts.filter ?? []).map((f) => {
        const i = f.indexOf('=');
        if (i <= 0) throw new QuarryError('core/bad-argument', `--filter '${f}' must be key=value`);
        return [f.slice(0, i), f.slice(i + 1)];
      }));
      const a = classifyArtifact(artifact);
      await withStore(cmd, async (store) => {
        if (opts.dataset && opts.format === 'csv') {
          process.stdout.write(await exportDatasetCsv(store, opts.dataset, a, { filters, dateFormat: opts.dates as CsvDateFormat }));
        } else if (opts.dataset) {
          const p = await datasetPage(store, opts.dataset, a, { top, filters });
          out({ artifact: a, dataset: p.dataset, total: p.total, rows: p.rows.map((r) => presentRow(p.dataset, r)) });
        } else out(presentSummary(await artifactSummary(store, artifact, { top })));
      });
    });

  const collect = explorer.command('collect').description('run a collector into the Explorer data sets');
  collect.command('zeek-dns <file>').description('passive DNS from a Zeek dns.log (plain or .gz)').action(async (file: string, _o: unknown, cmd: Command) => {
    await withStore(cmd, async (s) => {
      const r = await collectZeekDns(s, file);
      out({ events: r.events, merged: r.merged });
    });
  });
  collect
    .command('zeek-certs')
    .description('certificates from Zeek x509.log and host links from ssl.log')
    .option('--x509 <file>').option('--ssl <file>')
    .action(async (o: { x509?: string; ssl?: string }, cmd: Command) => {
      if (!o.x509 && !o.ssl) throw new QuarryError('core/bad-argument', 'give --x509 FILE and/or --ssl FILE');
      await withStore(cmd, async (s) => out({ merged: await collectZeekCertificates(s, o) }));
    });
  collect.command('store-dns <table>').description('passive DNS from DnsEvents, DeviceEvents or IdentityQueryEvents in the store').action(async (table: string, _o: unknown, cmd: Command) => {
    if (!['DnsEvents', 'DeviceEvents', 'IdentityQueryEvents'].includes(table)) throw new QuarryError('core/bad-argument', 'table must be DnsEvents, DeviceEvents or IdentityQueryEvents');
    await withStore(cmd, async (s) => out(await collectStoreDns(s, table as StoreDnsSource)));
  });
  collect.command('cof <file>').description('import CIRCL passive DNS COF (NDJSON)').action(async (file: string, _o: unknown, cmd: Command) => {
    const text = await readFile(file, 'utf8');
    await withStore(cmd, async (s) => out({ merged: await importCof(s, text) }));
  });
  collect
    .command('whois <file...>')
    .description('raw WHOIS text or RDAP JSON files')
    .option('--domain <name>', 'the queried domain (default: the one the record names)')
    .action(async (files: string[], o: { domain?: string }, cmd: Command) => {
      const inputs = await Promise.all(files.map(async (f) => {
        const text = await readFile(f, 'utf8');
        const isJson = /^\s*\{/.test(text);
        return { ...(isJson ? { rdap: JSON.parse(text) as unknown } : { text }), ...(o.domain ? { domain: o.domain } : {}) };
      }));
      await withStore(cmd, async (s) => out({ merged: await collectWhois(s, inputs) }));
    });
  collect
    .command('crawl <url...>')
    .description('load pages in headless Chromium and record host pairs, trackers, components, cookies, certificates')
    .option('--resolve <host=address...>', 'serve a hostname from this address (like curl --resolve)')
    .option('--no-robots', 'do not check robots.txt')
    .option('--timeout <ms>', 'page timeout', '20000')
    .option('--per-host <n>', 'pages of one host at a time', '1')
    .action(async (urls: string[], o: { resolve?: string[]; robots: boolean; timeout: string; perHost: string }, cmd: Command) => {
      const resolve = o.resolve ? Object.fromEntries(o.resolve.map((r) => r.split('=') as [string, string])) : undefined;
      await withStore(cmd, async (s) => {
        const r = await collectCrawl(s, urls, { ...(resolve ? { resolve } : {}), robots: o.robots, timeoutMs: Number(o.timeout), perHostConcurrency: Number(o.perHost) });
        out({ pages: r.pages.map((p) => ({ url: p.url, finalUrl: p.finalUrl, status: p.status, title: p.title, pairs: p.pairs.length, error: p.error })), merged: r.merged });
      });
    });

  explorer.command('export-cof <host>').description('resolutions of a host as CIRCL COF').action(async (host: string, _o: unknown, cmd: Command) => {
    await withStore(cmd, async (s) => process.stdout.write(await exportCof(s, host)));
  });
}
