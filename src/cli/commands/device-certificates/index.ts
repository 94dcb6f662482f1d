/** `peridio device-certificates …` */
import type { Command } from 'commander';
import type { Cli } from '../../cli.js';
import { verifyCommand } from './verify.js';

/** Adds the device-certificates verbs. */
export function configureDeviceCertificates(noun: Command, cli: Cli): void {
  noun
    .description('Check device certificates offline against the CAs registered (and verified, and active) in the organization.')
    .addCommand(verifyCommand(cli));
}
