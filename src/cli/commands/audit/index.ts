/** `peridio audit …` */
import { Command } from 'commander';
import type { Cli } from '../../cli.js';
import { listCommand } from './list.js';
import { exportCommand } from './export.js';
import { verifyCommand } from './verify.js';

export function auditCommand(cli: Cli): Command {
  return new Command('audit')
    .summary('read and check the tamper-evident audit log')
    .description('Every change and every failed attempt is an audit event, hash-chained so that any edit, removal or reordering is detected by audit verify.')
    .addCommand(listCommand(cli))
    .addCommand(verifyCommand(cli))
    .addCommand(exportCommand(cli));
}
