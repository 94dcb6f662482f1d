/** `peridio device-certificates …` */
import { Command } from 'commander';
import type { Cli } from '../../cli.js';
import { verifyCommand } from './verify.js';

export function deviceCertificatesCommand(cli: Cli): Command {
  return new Command('device-certificates')
    .summary('check device certificates against the registered CAs')
    .description('Check device certificates offline against the CAs registered (and verified, and active) in the organization.')
    .addCommand(verifyCommand(cli));
}
