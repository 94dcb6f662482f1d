/** `peridio store purge` */
import { Command } from 'commander';
import { parseDuration } from '../../../core/duration.js';
import { purgeStore, type PurgeResult } from '../../../core/store-purge.js';
import type { Cli } from '../../cli.js';
import { documented } from '../../help.js';
import type { Rendering } from '../../output.js';
import { withProgress } from '../../progress.js';

const rendering: Rendering<PurgeResult> = {
  quiet: (r) => String(r.total),
  human: (r, view) => view.fields([
    ...Object.entries(r.removed).map(([kind, n]) => [`${kind.replaceAll('_', ' ')} removed`, n] as const),
    ['spent before', r.before],
  ]),
};

export function purgeCommand(cli: Cli): Command {
  const command = new Command('purge')
    .option('--older-than <duration>', 'remove records spent (consumed, expired, invalidated) at least this long ago', '30d')
    .action(async (opts: { olderThan: string }) => {
      const olderThanMs = parseDuration(opts.olderThan, '--older-than');
      const ctx = await cli.core();
      const result = withProgress(cli, (progress) => purgeStore(ctx, { olderThanMs, onProgress: (removed) => progress.update(`peridio: purging: ${removed} records removed`) }));
      cli.output.result(result, rendering);
    });
  return documented(command, {
    summary: 'remove codes consumed, expired or invalidated longer ago than a duration',
    description: 'Remove codes that were consumed, expired or invalidated at least --older-than ago (default 30d). Active codes and audit events are never removed; each batch is recorded in the audit log with its counts. Safe to run while other processes issue and redeem codes.',
    examples: ['peridio store purge', 'peridio store purge --older-than 7d --json'],
  });
}
