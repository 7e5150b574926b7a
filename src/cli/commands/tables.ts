/** `quarry tables [--format json|table]`: the table catalog (no store needed). */
import type { Command } from 'commander';
import { tableInfo } from '../../api/routes/tables.js';
import { defaultCatalog } from '../../catalog/catalog.js';
import { QuarryError } from '../../core/errors.js';

function asTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd()).join('\n') + '\n';
}

export function register(program: Command): void {
  program
    .command('tables')
    .description('list the tables of the catalog')
    .option('--format <format>', 'json or table', 'table')
    .action((opts: { format: string }) => {
      const tables = defaultCatalog().listTables().map(tableInfo);
      if (opts.format === 'json') {
        process.stdout.write(JSON.stringify({ tables }, null, 2) + '\n');
      } else if (opts.format === 'table') {
        const rows = [['TABLE', 'ORIGIN', 'CATEGORY', 'COLUMNS', 'TIME COLUMN']];
        for (const t of tables) rows.push([t.name, t.origin, t.category, String(t.columns.length), t.timeColumn ?? '-']);
        process.stdout.write(asTable(rows));
      } else {
        throw new QuarryError('core/bad-argument', `--format must be json or table, got '${opts.format}'`);
      }
    });
}
