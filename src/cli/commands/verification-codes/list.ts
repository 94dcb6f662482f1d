/** `peridio ca-certificates verification-codes list` */
import { Command } from 'commander';
import { listVerificationCodes, VERIFICATION_CODE_STATUS_FILTERS } from '../../../core/verification-codes.js';
import type { Cli } from '../../cli.js';
import { documented } from '../../help.js';
import { checkPageToken, parseChoice, parseLimit } from '../../parse.js';
import { pageRendering } from './render.js';

export function listCommand(cli: Cli): Command {
  const command = new Command('list')
    .option('--status <status>', 'active, consumed, expired or all', 'all')
    .option('--limit <n>', 'at most this many codes (1 to 1000)', '50')
    .option('--page <token>', 'continue from the next_page of the previous list')
    .action(async (opts: { status: string; limit: string; page?: string }) => {
      // Flags are checked before the store is opened (or created on first use).
      const status = parseChoice(opts.status, '--status', VERIFICATION_CODE_STATUS_FILTERS);
      const limit = parseLimit(opts.limit);
      checkPageToken(opts.page);
      const ctx = await cli.core();
      const page = await listVerificationCodes(ctx, { organizationId: await cli.organizationId(), status, limit, page: opts.page });
      cli.output.result(page, pageRendering);
      if (page.next_page) cli.output.hint(`more codes: add --page ${page.next_page}`);
    });
  return documented(command, {
    summary: 'list verification codes and their status (never the codes)',
    examples: ['peridio ca-certificates verification-codes list --status active', 'peridio verification-codes list --limit 10 --json'],
  });
}
