/** `peridio store backup` */
import { Command } from 'commander';
import { backupStore } from '../../../core/store-backup.js';
import { UsageError } from '../../../core/errors.js';
import type { Cli } from '../../cli.js';
import { documented } from '../../help.js';

export function backupCommand(cli: Cli): Command {
  const command = new Command('backup').requiredOption('--out <file>', 'the new backup file (never overwritten)').action(async (opts: { out: string }) => {
    if (opts.out.trim() === '') throw new UsageError('--out needs a file name');
    const result = await backupStore(await cli.core(), opts.out);
    cli.output.result(result, {
      quiet: (r) => r.path,
      human: (r, view) =>
        view.fields([
          ['backup', r.path],
          ['size', `${r.bytes} bytes`],
          ['audit events', r.audit.events],
          ['audit head', r.audit.head_hash],
        ]),
    });
    if (!result.event_recorded) cli.output.warn('the store is read-only: this backup is not recorded in its audit log (no store.backup event)');
  });
  return documented(command, {
    summary: 'write a consistent, encrypted copy of the store to a new file',
    description:
      'Write a consistent copy of the store to a new file (mode 0600), encrypted with the same key file or passphrase, while other processes keep using the store. The copy is checked by reopening it. An existing file is never overwritten. To restore, stop using the store and point --store (or VERICODE_STORE) at the copy, or move it into place.',
    examples: ['peridio store backup --out /media/backup/vericode-$(date +%F).db', 'peridio store backup --out store.bak --json'],
    exitCodes: [[5, 'the --out file already exists']],
  });
}
