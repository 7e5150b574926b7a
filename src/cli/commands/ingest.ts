/**
 * `quarry ingest --table T [--format ndjson|json|csv|m365d|sentinel|zeek] FILE…` — streams each file through
 * the ingest pipeline and prints one JSON summary `{accepted, rejected, duplicate, …}` (progress on a
 * terminal, on stderr). `--watch DIR` runs the watched-folder connector instead, until interrupted.
 * `quarry connectors [--format json|table]` prints the data connectors status.
 * Both own the data directory (stop the server first, or use the HTTP API while it runs).
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { openQuarryStore } from '../../app/open-store.js';
import { QuarryError } from '../../core/errors.js';
import { createLogger } from '../../core/log.js';
import { ingestFile } from '../../ingest/files.js';
import { connectorStatus } from '../../ingest/status.js';
import type { IngestProgress, IngestSummary } from '../../ingest/types.js';
import { watchFolder } from '../../ingest/watch-folder.js';
import { configFor } from '../global-options.js';

interface IngestCliOptions {
  table?: string;
  format?: string;
  batchId?: string;
  batchRows?: string;
  zeekPath?: string;
  tenantId?: string;
  watch?: string;
  quiet?: boolean;
}

function progressLine(file: string, size: number, p: IngestProgress): string {
  const rate = p.records / Math.max(p.ms / 1000, 1e-3);
  const pct = size > 0 ? Math.min(100, (p.bytes / size) * 100) : 0;
  const eta = size > 0 && p.bytes > 0 ? ((size - p.bytes) / (p.bytes / p.ms)) / 1000 : 0;
  return `\r${file}: ${p.records.toLocaleString('en-US')} records (${p.accepted.toLocaleString('en-US')} accepted, ${p.rejected} rejected, ${p.duplicate} duplicate) ${Math.round(rate).toLocaleString('en-US')}/s ${pct.toFixed(0)}% ETA ${eta.toFixed(0)}s   `;
}

function addUp(total: IngestSummary, s: IngestSummary): void {
  total.records += s.records;
  total.accepted += s.accepted;
  total.rejected += s.rejected;
  total.duplicate += s.duplicate;
  total.batches += s.batches;
  total.duplicateBatches += s.duplicateBatches;
  for (const [t, c] of Object.entries(s.tables)) {
    const x = (total.tables[t] ??= { accepted: 0, rejected: 0 });
    x.accepted += c.accepted;
    x.rejected += c.rejected;
  }
  for (const r of s.sampleReasons) if (total.sampleReasons.length < 5) total.sampleReasons.push(r);
}

async function runWatch(dir: string, opts: IngestCliOptions, cmd: Command): Promise<void> {
  const config = configFor(cmd);
  const logger = createLogger(config.logLevel);
  const store = await openQuarryStore(config.dataDir, { logger });
  const watcher = watchFolder(store, {
    dir,
    ...(opts.table ? { table: opts.table } : {}),
    ...(opts.format ? { format: opts.format } : {}),
    logger,
    onFile: (file, o) => process.stdout.write(JSON.stringify({ file, ...(o.summary ? { accepted: o.summary.accepted, rejected: o.summary.rejected, duplicate: o.summary.duplicate } : { error: o.error }) }) + '\n'),
  });
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await watcher.stop();
  await store.close();
}

export function register(program: Command): void {
  program
    .command('ingest')
    .description('ingest event files into a table (NDJSON, JSON array, CSV, Defender streaming envelopes, Sentinel, Zeek)')
    .argument('[files...]', 'files to ingest (gzip is recognised)')
    .option('--table <table>', 'target table (default: from the file name; routed by the data for m365d and zeek)')
    .option('--format <format>', 'ndjson, json, csv, m365d, sentinel or zeek (default: from the file extension)')
    .option('--batch-id <id>', 'batch id prefix (default: content hash); batches are <id>#<n>')
    .option('--batch-rows <n>', 'records per committed batch (default 10000)')
    .option('--zeek-path <name>', 'Zeek log name (dns, conn, ssl, x509) for JSON logs without _path')
    .option('--tenant-id <id>', 'TenantId for rows without one')
    .option('--watch <dir>', 'watch a folder: ingest each dropped file once, move it to done/ or failed/')
    .option('--quiet', 'no progress output')
    .action(async (files: string[], opts: IngestCliOptions, cmd: Command) => {
      if (opts.watch) return runWatch(opts.watch, opts, cmd);
      if (files.length === 0) throw new QuarryError('core/bad-argument', 'name at least one file to ingest (or --watch DIR)');
      for (const f of files) if (!fs.existsSync(f)) throw new QuarryError('core/bad-argument', `file '${f}' does not exist`);
      let batchRows: number | undefined;
      if (opts.batchRows !== undefined) {
        batchRows = Number(opts.batchRows);
        if (!Number.isInteger(batchRows) || batchRows < 1) throw new QuarryError('core/bad-argument', `--batch-rows must be a whole number >= 1, got '${opts.batchRows}'`);
      }
      const config = configFor(cmd);
      const logger = createLogger(config.logLevel);
      const store = await openQuarryStore(config.dataDir, { logger });
      const tty = !opts.quiet && process.stderr.isTTY === true;
      const total: IngestSummary = { records: 0, accepted: 0, rejected: 0, duplicate: 0, batches: 0, duplicateBatches: 0, tables: {}, batchIds: [], sampleReasons: [], ms: 0 };
      const t0 = performance.now();
      try {
        for (const [i, file] of files.entries()) {
          const size = fs.statSync(file).size;
          const s = await ingestFile(store, file, {
            source: 'cli',
            ...(opts.table ? { table: opts.table } : {}),
            ...(opts.format ? { format: opts.format } : {}),
            ...(opts.batchId ? { batchId: files.length > 1 ? `${opts.batchId}/${i}` : opts.batchId } : {}),
            ...(batchRows ? { batchRows } : {}),
            ...(opts.zeekPath ? { zeekPath: opts.zeekPath } : {}),
            ...(opts.tenantId ? { tenantId: opts.tenantId } : {}),
            ...(tty ? { onProgress: (p: IngestProgress) => process.stderr.write(progressLine(file, size, p)) } : {}),
          });
          addUp(total, s);
          if (tty) process.stderr.write('\n');
        }
      } finally {
        await store.close();
      }
      total.ms = Math.round(performance.now() - t0);
      const { batchIds: _ids, ...out } = total;
      process.stdout.write(JSON.stringify({ ...out, rowsPerSecond: Math.round(total.records / Math.max(total.ms / 1000, 1e-3)) }) + '\n');
    });

  program
    .command('connectors')
    .description('data connectors status: per source and table, last event time, rows today, rejects, last error')
    .option('--format <format>', 'json or table', 'table')
    .action(async (opts: { format: string }, cmd: Command) => {
      if (opts.format !== 'json' && opts.format !== 'table') throw new QuarryError('core/bad-argument', `--format must be json or table, got '${opts.format}'`);
      const config = configFor(cmd);
      const store = await openQuarryStore(config.dataDir, { logger: createLogger(config.logLevel) });
      try {
        const rows = await connectorStatus(store);
        if (opts.format === 'json') {
          process.stdout.write(JSON.stringify({ connectors: rows }, null, 2) + '\n');
          return;
        }
        const table = [['SOURCE', 'TABLE', 'LAST EVENT', 'ROWS TODAY', 'REJECTS TODAY', 'LAST ERROR']];
        for (const r of rows) table.push([r.source, r.table, r.lastEventTime ?? '-', String(r.rowsToday), String(r.rejectsToday), r.lastError ?? '-']);
        const widths = table[0]!.map((_, c) => Math.max(...table.map((r) => r[c]!.length)));
        process.stdout.write(table.map((r) => r.map((x, c) => x.padEnd(widths[c]!)).join('  ').trimEnd()).join('\n') + '\n');
      } finally {
        await store.close();
      }
    });
}
