/** `peridio ca-certificates …` */
import type { Command } from 'commander';
import type { Cli } from '../../cli.js';
import { createCommand as createVerificationCodeCommand } from '../verification-codes/create.js';
import { verificationCodesCommand } from '../verification-codes/index.js';
import { createCommand } from './create.js';
import { deleteCommand } from './delete.js';
import { getCommand } from './get.js';
import { listCommand } from './list.js';
import { updateCommand } from './update.js';
import { verifyCommand } from './verify.js';

/** Adds the ca-certificates verbs. */
export function configureCaCertificates(noun: Command, cli: Cli): void {
  noun
    .description("Register and manage CA certificates, proving possession of each CA's private key with a verification code.")
    .addCommand(createCommand(cli))
    .addCommand(verifyCommand(cli))
    .addCommand(listCommand(cli))
    .addCommand(getCommand(cli))
    .addCommand(updateCommand(cli))
    .addCommand(deleteCommand(cli))
    .addCommand(verificationCodesCommand(cli))
    .addCommand(createVerificationCodeCommand(cli, 'create-verification-code'));
}
