/** `peridio ca-certificates list` */
import { Command } from 'commander';
import type { Cli } from '../../cli.js';
import { documented } from '../../help.js';
import { parseLimit } from '../../parse.js';
import { caPageRendering } from './render.js';

export function listCommand(cli: Cli): Command {
  const command = new Command('list')
    .option('--limit <n>', 'at most this many CAs (1 to 1000)', '50')
    .option('--page <token>', 'continue from the next_page of the previous list')
    .option('--search <text>', 'only CAs whose name, subject, description or fingerprint contains this (any case)')
    .action(async (opts: { limit: string; page?: string; search?: string }) => {
      const limit = parseLimit(opts.limit);
      const ctx = await cli.core();
      const { listCaCertificates } = await import('../../../core/ca-certificates/query.js');
      const page = listCaCertificates(ctx, { organizationId: await cli.organizationId(), limit, page: opts.page, search: opts.search });
      cli.output.result(page, caPageRendering);
      if (page.next_page) cli.output.hint(`more CA certificates: add --page ${page.next_page}`);
    });
  return documented(command, {
    summary: 'list registered CA certificates, newest first',
    examples: ['peridio ca-certificates list', 'peridio ca-certificates list --search factory --json', 'peridio ca-certificates list --limit 10 -q'],
  });
}
