/** `peridio store …` */
import type { Command } from 'commander';
import type { Cli } from '../../cli.js';
import { backupCommand } from './backup.js';
import { infoCommand } from './info.js';
import { migrateCommand } from './migrate.js';
import { purgeCommand } from './purge.js';
import { rekeyCommand } from './rekey.js';

/** Adds the store verbs. */
export function configureStore(noun: Command, cli: Cli): void {
  noun
    .description(
      'Maintenance of the encrypted store: what it holds, consistent encrypted backups, a crash-safe change of key or passphrase, purging spent codes, and copying the whole store into a new file or an empty PostgreSQL database.',
    )
    .addCommand(infoCommand(cli))
    .addCommand(backupCommand(cli))
    .addCommand(rekeyCommand(cli))
    .addCommand(purgeCommand(cli))
    .addCommand(migrateCommand(cli));
}
