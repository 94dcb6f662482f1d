/** `peridio audit export` */
import { Command } from 'commander';
import { exportAudit } from '../../../core/audit-export.js';
import type { Cli } from '../../cli.js';
import { documented } from '../../help.js';
import { parseTimestamp } from '../../parse.js';

export function exportCommand(cli: Cli): Command {
  const command = new Command('export')
    .option('--since <time>', 'start at the first event at or after this ISO 8601 time, and include every event after it')
    .action(async (opts: { since?: string }) => {
      // Flags are checked before the store is opened.
      if (opts.since !== undefined) parseTimestamp(opts.since, '--since');
      const ctx = await cli.core();
      const summary = await exportAudit(ctx, { since: opts.since }, (event) => cli.output.line(JSON.stringify(event)));
      if (summary.events === 0) cli.output.notice('no audit events to export');
    });
  return documented(command, {
    summary: 'write the audit events with their hashes as JSON Lines',
    description: [
      'Write every audit event, oldest first, as one JSON object per line on stdout, with all its fields and its prev_hash and hash, so the chain can be checked with other tools.',
      '',
      "Each hash is SHA-256 over the prev_hash (64 hex characters, as text) followed by the canonical JSON of the event without prev_hash and hash: object keys sorted at every depth, no whitespace. The first event of a store has a prev_hash of 64 zeros; with --since, the first exported event's prev_hash anchors the rest. The output is JSON Lines whatever --json says.",
    ].join('\n'),
    examples: ['peridio audit export > audit.jsonl', 'peridio audit export --since 2025-01-01T00:00:00Z | gzip > audit-2025.jsonl.gz'],
  });
}
