/** `peridio audit anchor` */
import { Command } from 'commander';
import { auditAnchor } from '../../../core/audit.js';
import type { Cli } from '../../cli.js';
import { documented } from '../../help.js';
import { writeNewFiles } from '../../write-output.js';

export function anchorCommand(cli: Cli): Command {
  const command = new Command('anchor')
    .option('--out <file>', 'write the anchor to this new file (0600, never overwritten) instead of stdout')
    .action(async (opts: { out?: string }) => {
      const anchor = await auditAnchor(await cli.core());
      if (opts.out === undefined) {
        cli.output.line(JSON.stringify(anchor));
        return;
      }
      writeNewFiles([{ path: opts.out, data: `${JSON.stringify(anchor)}\n`, mode: 0o600, label: 'anchor file' }]);
      cli.output.result(
        { path: opts.out, ...anchor },
        {
          quiet: (r) => r.path,
          human: (r, view) =>
            view.fields([
              ['anchor', r.path],
              ['seq', r.seq],
              ['hash', r.hash],
              ['at', r.at],
            ]),
        },
      );
    });
  return documented(command, {
    summary: 'print or write the head of the audit log, to check later with audit verify --anchor',
    description: [
      'Print the head of the audit log as one JSON document {"seq", "hash", "at"} on stdout (whatever --json says), or write it to a new file with --out.',
      '',
      "Keep anchors where the store's owner cannot change them (a ticket, another machine, paper). The hash chain shows that the log is consistent; only an anchor shows that it was not truncated, rolled back to an older copy, or rebuilt by someone holding the key: peridio audit verify --anchor FILE fails unless the log still holds that event with that hash.",
    ].join('\n'),
    examples: ['peridio audit anchor', 'peridio audit anchor --out /media/offline/anchor-$(date +%F).json'],
    exitCodes: [[2, 'the --out file already exists or cannot be written']],
  });
}
