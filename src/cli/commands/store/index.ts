/** `peridio store …` */
import { Command } from 'commander';
import type { Cli } from '../../cli.js';
import { backupCommand } from './backup.js';
import { infoCommand } from './info.js';
import { purgeCommand } from './purge.js';
import { rekeyCommand } from './rekey.js';

export function storeCommand(cli: Cli): Command {
  return new Command('store')
    .summary('inspect, back up, re-key and trim the encrypted store')
    .description('Maintenance of the encrypted store: what it holds, consistent encrypted backups, a crash-safe change of key or passphrase, and purging spent codes.')
    .addCommand(infoCommand(cli))
    .addCommand(backupCommand(cli))
    .addCommand(rekeyCommand(cli))
    .addCommand(purgeCommand(cli));
}
