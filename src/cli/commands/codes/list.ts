/** `peridio codes list [--user U] [--purpose P] [--status S]` */
import { Command, Option } from 'commander';
import { listOneTimeCodes, ONE_TIME_CODE_STATUS_FILTERS } from '../../../core/one-time-codes/index.js';
import type { Cli } from '../../cli.js';
import { documented } from '../../help.js';
import { checkPageToken, parseChoice, parseLimit } from '../../parse.js';
import { parsePurposeFlag, parseUserFlag } from './flags.js';
import { pageRendering } from './render.js';

interface ListOptions {
  user?: string;
  purpose?: string;
  status: string;
  limit: string;
  page?: string;
}

export function listCommand(cli: Cli): Command {
  const command = new Command('list')
    .addOption(new Option('--user <id>', "only this user's codes").argParser(parseUserFlag))
    .addOption(new Option('--purpose <purpose>', 'only codes for this purpose').argParser(parsePurposeFlag))
    .option('--status <status>', 'active, consumed, expired, invalidated, locked or all', 'all')
    .option('--limit <n>', 'at most this many codes (1 to 1000)', '50')
    .option('--page <token>', 'continue from the next_page of the previous list')
    .action(async (opts: ListOptions) => {
      const status = parseChoice(opts.status, '--status', ONE_TIME_CODE_STATUS_FILTERS, (text) => JSON.stringify(text));
      const limit = parseLimit(opts.limit);
      checkPageToken(opts.page);
      const ctx = await cli.core();
      const organizationId = await cli.organizationId();
      const page = await listOneTimeCodes(ctx, { organizationId, userId: opts.user, purpose: opts.purpose, status, limit, page: opts.page });
      cli.output.result(page, pageRendering);
      if (page.next_page) cli.output.hint(`more codes: add --page ${page.next_page}`);
    });
  return documented(command, {
    summary: 'list one-time codes and their status (never the codes)',
    examples: ['peridio codes list --user alice@example.com', 'peridio codes list --status locked --json'],
  });
}
