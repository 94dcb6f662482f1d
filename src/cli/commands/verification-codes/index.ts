/** `peridio [ca-certificates] verification-codes …` */
import { Command } from 'commander';
import type { Cli } from '../../cli.js';
import { createCommand } from './create.js';
import { getCommand } from './get.js';
import { listCommand } from './list.js';

/** Adds the verification-codes verbs to `group` (top level, or under ca-certificates). */
export function configureVerificationCodes(group: Command, cli: Cli): void {
  group
    .description("Issue and inspect the single-use codes that prove possession of a CA's private key.")
    .addCommand(createCommand(cli))
    .addCommand(listCommand(cli))
    .addCommand(getCommand(cli));
}

/** The verification-codes group as a sub-command of ca-certificates. */
export function verificationCodesCommand(cli: Cli): Command {
  const group = new Command('verification-codes').summary('issue and inspect CA verification codes');
  configureVerificationCodes(group, cli);
  return group;
}
