/** `peridio organizations …` */
import type { Command } from 'commander';
import type { Cli } from '../../cli.js';
import { createCommand } from './create.js';
import { getCommand } from './get.js';
import { listCommand } from './list.js';
import { useCommand } from './use.js';

/** Adds the organizations verbs. */
export function configureOrganizations(noun: Command, cli: Cli): void {
  noun
    .description('Manage organizations. Codes and CA certificates belong to one organization and are never visible from another.')
    .addCommand(createCommand(cli))
    .addCommand(listCommand(cli))
    .addCommand(getCommand(cli))
    .addCommand(useCommand(cli));
}
