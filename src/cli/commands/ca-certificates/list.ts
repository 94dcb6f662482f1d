/** `peridio ca-certificates list` */
import { Command } from 'commander';
import { UsageError } from '../../../core/errors.js';
import type { Cli } from '../../cli.js';
import { documented } from '../../help.js';
import { checkPageToken, parseLimit, parseListOrder } from '../../parse.js';

/** The longest `--search` text, as the core allows it. */
const SEARCH_LIMIT = 256;
import { caPageRendering } from './render.js';

export function listCommand(cli: Cli): Command {
  const command = new Command('list')
    .option('--limit <n>', 'at most this many CAs (1 to 1000)', '50')
    .option('--page <token>', 'continue from the next_page of the previous list')
    .option('--search <text>', 'only CAs whose name, subject, description or fingerprint contains this (any case)')
    .option('--order <order>', "desc: newest first; asc: oldest first (the Peridio CLI's --order)", 'desc')
    .action(async (opts: { limit: string; page?: string; search?: string; order: string }) => {
      const limit = parseLimit(opts.limit);
      if (opts.search !== undefined && opts.search.trim().length > SEARCH_LIMIT) throw new UsageError(`invalid --search: at most ${SEARCH_LIMIT} characters`);
      const order = parseListOrder(opts.order);
      // A CA list's token carries its position only (the core pages either order from it).
      checkPageToken(opts.page);
      const { listCaCertificates } = await import('../../../core/ca-certificates/query.js');
      const ctx = await cli.core();
      const page = await listCaCertificates(ctx, { organizationId: await cli.organizationId(), limit, page: opts.page, search: opts.search, order });
      cli.output.result(page, caPageRendering);
      const same = order === 'asc' ? ' --order asc' : '';
      if (page.next_page) cli.output.hint(`more CA certificates: add${same} --page ${page.next_page}`);
    });
  return documented(command, {
    summary: 'list registered CA certificates, newest first (or oldest first with --order asc)',
    examples: [
      'peridio ca-certificates list',
      'peridio ca-certificates list --search factory --json',
      'peridio ca-certificates list --limit 10 -q',
      'peridio ca-certificates list --order asc',
    ],
  });
}
