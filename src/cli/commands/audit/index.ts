/** `peridio audit …` */
import type { Command } from 'commander';
import type { Cli } from '../../cli.js';
import { anchorCommand } from './anchor.js';
import { listCommand } from './list.js';
import { exportCommand } from './export.js';
import { verifyCommand } from './verify.js';

/** Adds the audit verbs. */
export function configureAudit(noun: Command, cli: Cli): void {
  noun
    .description('Every change and every failed attempt is an audit event, hash-chained so that any edit, removal or reordering is detected by audit verify.')
    .addCommand(listCommand(cli))
    .addCommand(verifyCommand(cli))
    .addCommand(exportCommand(cli))
    .addCommand(anchorCommand(cli));
}
