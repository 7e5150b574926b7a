/** `quarry incidents list|show|update`: incidents raised by detection (logic in src/detect). */
import type { Command } from 'commander';
import { openQuarryStore } from '../../app/open-store.js';
import { stringifyExact } from '../../core/json.js';
import { openDetection } from '../../detect/detection.js';
import { listIncidents, showIncident } from '../../detect/incidents.js';
import { configFor } from '../global-options.js';

export function register(program: Command): void {
  const inc = program.command('incidents').description('incidents: list, show, update');
  const run = async (cmd: Command, fn: (store: Awaited<ReturnType<typeof openQuarryStore>>) => Promise<unknown>) => {
    const store = await openQuarryStore(configFor(cmd).dataDir);
    try {
      process.stdout.write(`${stringifyExact(await fn(store), 2)}\n`);
    } finally {
      await store.close();
    }
  };
  inc.command('list').option('--status <status>', 'New, Active or Closed').option('--limit <n>', 'at most this many', '100')
    .action(async (o: { status?: string; limit: string }, cmd: Command) =>
      run(cmd, async (s) => ({ incidents: await listIncidents(s, { ...(o.status ? { status: o.status } : {}), limit: Number(o.limit) }) })));
  inc.command('show <id>').description('an incident (number or id) with alerts, comments and timeline')
    .action(async (id: string, _o, cmd: Command) => run(cmd, (s) => showIncident(s, id)));
  inc.command('update <id>').description('change status, owner, severity, classification; add a comment')
    .option('--status <status>').option('--owner <owner>').option('--severity <severity>').option('--classification <c>')
    .option('--reason <reason>', 'classification reason').option('--comment <text>').option('--exclude-indicators', 'with --status Closed --classification FalsePositive: stop matching these indicators')
    .action(async (id: string, o: Record<string, string | boolean | undefined>, cmd: Command) =>
      run(cmd, async (s) => (await openDetection(s)).updateIncident(id, {
        ...(o.status ? { status: String(o.status) } : {}), ...(o.owner ? { owner: String(o.owner) } : {}), ...(o.severity ? { severity: String(o.severity) } : {}),
        ...(o.classification ? { classification: String(o.classification) } : {}), ...(o.reason ? { classificationReason: String(o.reason) } : {}),
        ...(o.comment ? { comment: String(o.comment) } : {}), ...(o.excludeIndicators ? { excludeIndicators: true } : {}),
      }, 'cli')));
}
