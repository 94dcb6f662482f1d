/** `peridio audit verify` */
import { Command } from 'commander';
import { verifyAuditChain } from '../../../core/audit.js';
import type { Cli } from '../../cli.js';
import { documented } from '../../help.js';

export function verifyCommand(cli: Cli): Command {
  const command = new Command('verify').action(async () => {
    const ctx = await cli.core();
    const showProgress = cli.deps.stderr.isTTY === true && !cli.options.quiet && !cli.options.json;
    const result = verifyAuditChain(ctx, showProgress ? (checked, total) => cli.output.progress(`\rchecked ${checked} of ${total} events`) : undefined);
    if (showProgress && result.events >= 1000) cli.output.progress('\n');
    cli.output.result(result, {
      quiet: (r) => r.head_hash,
      human: (r, view) => view.fields([['status', view.style.green('ok')], ['events', r.events], ['head hash', r.head_hash]]),
    });
  });
  return documented(command, {
    summary: 'recompute the audit chain and report the first bad event',
    examples: ['peridio audit verify', 'peridio audit verify --json'],
    exitCodes: [[3, 'the chain is broken: the message names the first bad event']],
  });
}
