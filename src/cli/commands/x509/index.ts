/** `peridio x509 …` */
import type { Command } from 'commander';
import type { Cli } from '../../cli.js';
import { createCommand } from './create.js';
import { csrCommand } from './csr.js';

/** Adds the x509 verbs. */
export function configureX509(noun: Command, cli: Cli): void {
  noun
    .description(
      "Make the certificates that prove possession of a CA's key, offline: a verification certificate signed by the CA, a self-signed development CA, or a CSR for other tooling.",
    )
    .addCommand(createCommand(cli))
    .addCommand(csrCommand(cli));
}
