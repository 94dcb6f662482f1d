/** `peridio ca-certificates …` */
import type { Command } from 'commander';
import type { Cli } from '../../cli.js';
import { createCommand as createVerificationCodeCommand } from '../verification-codes/create.js';
import { verificationCodesCommand } from '../verification-codes/index.js';

/** Adds the ca-certificates verbs. */
export function configureCaCertificates(noun: Command, cli: Cli): void {
  noun
    .description('Register and manage CA certificates, proving possession of each CA\'s private key with a verification code.')
    .addCommand(verificationCodesCommand(cli))
    .addCommand(createVerificationCodeCommand(cli, 'create-verification-code'));
}
