/** `peridio x509 …` */
import { Command } from 'commander';
import type { Cli } from '../../cli.js';
import { createCommand } from './create.js';
import { csrCommand } from './csr.js';

export function x509Command(cli: Cli): Command {
  return new Command('x509')
    .summary('make verification certificates, development CAs and CSRs offline')
    .description('Make the certificates that prove possession of a CA\'s key, offline: a verification certificate signed by the CA, a self-signed development CA, or a CSR for other tooling.')
    .addCommand(createCommand(cli))
    .addCommand(csrCommand(cli));
}
