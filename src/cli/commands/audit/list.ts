/** `peridio audit list` */
import { Command } from 'commander';
import type { AuditEvent } from '../../../core/audit.js';
import { DEFAULT_AUDIT_PAGE, listAuditPage } from '../../../core/audit-list.js';
import type { Page } from '../../../core/pagination.js';
import type { Cli } from '../../cli.js';
import { documented } from '../../help.js';
import type { Rendering } from '../../output.js';
import { checkPageToken, parseLimit, parseListOrder, parseTimestamp } from '../../parse.js';

const rendering: Rendering<Page<AuditEvent>> = {
  quiet: (page) => page.items.map((e) => String(e.seq)),
  human: (page, view) =>
    view.table(
      ['SEQ', 'AT', 'ACTION', 'OUTCOME', 'REASON', 'SUBJECT'],
      page.items.map((e) => [
        e.seq,
        e.at,
        e.action,
        e.outcome === 'failure' ? view.style.red(e.outcome) : e.outcome,
        e.reason,
        e.subject?.startsWith('prn:') ? view.id(e.subject) : e.subject,
      ]),
    ),
};

interface ListOptions {
  since?: string;
  action?: string;
  limit: string;
  page?: string;
  order: string;
}

export function listCommand(cli: Cli): Command {
  const command = new Command('list')
    .option('--since <time>', 'only events at or after this ISO 8601 time')
    .option('--action <action>', 'only this action, or family of actions (verification_code matches verification_code.create)')
    .option('--limit <n>', 'at most this many events (1 to 1000)', String(DEFAULT_AUDIT_PAGE))
    .option('--page <token>', 'continue from the next_page of the previous list')
    .option('--order <order>', "desc: newest first; asc: oldest first (the chain's order)", 'desc')
    .action(async (opts: ListOptions) => {
      // Flags are checked before the store is opened (or created on first use).
      const order = parseListOrder(opts.order, 'asc (oldest first) or desc (newest first)');
      const limit = parseLimit(opts.limit);
      if (opts.since !== undefined) parseTimestamp(opts.since, '--since');
      checkPageToken(opts.page, order);
      const page = await listAuditPage(await cli.core(), { since: opts.since, action: opts.action, limit, page: opts.page, order });
      cli.output.result(page, rendering);
      if (page.next_page) cli.output.hint(`more events: add --page ${page.next_page}${order === 'asc' ? ' --order asc' : ''}`);
    });
  return documented(command, {
    summary: 'list audit events, newest first, a page at a time',
    description:
      "List audit events, newest first (--order asc: oldest first, the chain's order), 50 at a time: the hint on stderr and next_page in --json give the token of the next page. audit export writes the whole log.",
    examples: [
      'peridio audit list',
      'peridio audit list --order asc --since 2024-01-01T00:00:00Z',
      'peridio audit list --action verification_code --limit 200 --json',
    ],
  });
}
