/** `peridio store …` */
import type { Command } from 'commander';
import type { Cli } from '../../cli.js';
import { backupCommand } from './backup.js';
import { infoCommand } from './info.js';
import { purgeCommand } from './purge.js';
import { rekeyCommand } from './rekey.js';

/** Adds the store verbs. */
export function configureStore(noun: Command, cli: Cli): void {
  noun
    .description('Maintenance of the encrypted store: what it holds, consistent encrypted backups, a crash-safe change of key or passphrase, and purging spent codes.')
    .addCommand(infoCommand(cli))
    .addCommand(backupCommand(cli))
    .addCommand(rekeyCommand(cli))
    .addCommand(purgeCommand(cli));
}
