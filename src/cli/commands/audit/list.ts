/** `peridio audit list` */
import { Command } from 'commander';
import { listAudit, type AuditEvent } from '../../../core/audit.js';
import type { Cli } from '../../cli.js';
import { documented } from '../../help.js';
import type { Rendering } from '../../output.js';
import { parseLimit } from '../../parse.js';

const rendering: Rendering<AuditEvent[]> = {
  quiet: (events) => events.map((e) => String(e.seq)),
  human: (events, view) => view.table(
    ['SEQ', 'AT', 'ACTION', 'OUTCOME', 'REASON', 'SUBJECT'],
    events.map((e) => [e.seq, e.at, e.action, e.outcome === 'failure' ? view.style.red(e.outcome) : e.outcome, e.reason, e.subject]),
  ),
};

export function listCommand(cli: Cli): Command {
  const command = new Command('list')
    .option('--since <time>', 'only events at or after this ISO 8601 time')
    .option('--action <action>', 'only this action, or family of actions (verification_code matches verification_code.create)')
    .option('--limit <n>', 'at most this many events')
    .action(async (opts: { since?: string; action?: string; limit?: string }) => {
      const limit = opts.limit === undefined ? undefined : parseLimit(opts.limit, 1_000_000);
      cli.output.result(listAudit(await cli.core(), { since: opts.since, action: opts.action, limit }), rendering);
    });
  return documented(command, {
    summary: 'list audit events, oldest first',
    examples: ['peridio audit list --since 2024-01-01T00:00:00Z', 'peridio audit list --action verification_code --json'],
  });
}
