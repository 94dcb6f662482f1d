/** `peridio store purge` */
import { Command } from 'commander';
import { purgeStore, type PurgeResult } from '../../../core/store-purge.js';
import type { Cli } from '../../cli.js';
import { documented } from '../../help.js';
import { parseDuration } from '../../parse.js';
import type { Rendering } from '../../output.js';
import { withProgress } from '../../progress.js';

const rendering: Rendering<PurgeResult> = {
  quiet: (r) => String(r.total),
  human: (r, view) =>
    view.fields([
      ...Object.entries(r.removed).map(([kind, n]) => [`${kind.replaceAll('_', ' ')} removed`, n] as const),
      ['spent before', r.before],
      ['space given back', `${r.reclaimed_bytes} bytes`],
      ['free inside the file', `${r.free_bytes} bytes`],
    ]),
};

export function purgeCommand(cli: Cli): Command {
  const command = new Command('purge')
    .option('--older-than <duration>', 'remove records spent (consumed, expired, invalidated) at least this long ago', '30d')
    .option('--compact', 'then rewrite the whole file without its free space (holds the store for the rewrite)')
    .action(async (opts: { olderThan: string; compact?: boolean }) => {
      const olderThanMs = parseDuration(opts.olderThan, '--older-than');
      const ctx = await cli.core();
      const result = await withProgress(cli, (progress) =>
        purgeStore(ctx, { olderThanMs, compact: opts.compact === true, onProgress: (removed) => progress.update(`purging: ${removed} records removed`) }),
      );
      cli.output.result(result, rendering);
    });
  return documented(command, {
    summary: 'remove codes consumed, expired or invalidated longer ago than a duration',
    description: [
      'Remove codes that were consumed, expired or invalidated at least --older-than ago (default 30d). Active codes and audit events are never removed; each batch is recorded in the audit log with its counts. Safe to run while other processes issue and redeem codes.',
      '',
      'The freed space is given back to the file system as the purge goes, on stores created by this version or compacted once. An older store keeps it inside the file for reuse (store info shows how much) until a purge with --compact rewrites the file; the rewrite holds the store, so other writers wait, and those waiting more than 5 seconds fail (exit 7): compact at a quiet moment.',
    ].join('\n'),
    examples: ['peridio store purge', 'peridio store purge --older-than 7d --json', 'peridio store purge --compact'],
  });
}
