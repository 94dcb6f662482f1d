/** `peridio audit verify` */
import { Command } from 'commander';
import { verifyAuditChain } from '../../../core/audit.js';
import type { Cli } from '../../cli.js';
import { documented } from '../../help.js';
import { withProgress } from '../../progress.js';

export function verifyCommand(cli: Cli): Command {
  const command = new Command('verify').action(async () => {
    const ctx = await cli.core();
    const result = withProgress(cli, (progress) =>
      verifyAuditChain(ctx, (checked, total) => progress.update(`peridio: verifying the audit chain: ${checked} of ${total} events (${Math.floor((checked * 100) / Math.max(total, 1))}%)`)));
    cli.output.result(result, {
      quiet: (r) => r.head_hash,
      human: (r, view) => view.fields([['status', view.style.green('ok')], ['events', r.events], ['head hash', r.head_hash]]),
    });
  });
  return documented(command, {
    summary: 'recompute the audit chain and report the first bad event',
    description: 'Recompute the hash of every audit event and check that each links to the one before it. On a terminal, progress is shown on stderr for long chains.',
    examples: ['peridio audit verify', 'peridio audit verify --json'],
    exitCodes: [[3, 'the chain is broken: the message names the first bad event']],
  });
}
