/** `peridio [ca-certificates] verification-codes …` */
import { Command } from 'commander';
import type { Cli } from '../../cli.js';
import { createCommand } from './create.js';
import { getCommand } from './get.js';
import { listCommand } from './list.js';

/** The verification-codes group; built once under ca-certificates and once at the top level. */
export function verificationCodesCommand(cli: Cli, name: string): Command {
  return new Command(name)
    .summary('issue and inspect CA verification codes')
    .description('Issue and inspect the single-use codes that prove possession of a CA\'s private key.')
    .addCommand(createCommand(cli))
    .addCommand(listCommand(cli))
    .addCommand(getCommand(cli));
}
