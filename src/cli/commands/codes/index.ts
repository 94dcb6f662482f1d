/** `peridio codes …`: one-time codes for users. */
import type { Command } from 'commander';
import type { Cli } from '../../cli.js';
import { authorizeCommand } from './authorize.js';
import { getCommand } from './get.js';
import { invalidateCommand } from './invalidate.js';
import { issueCommand } from './issue.js';
import { listCommand } from './list.js';
import { redeemCommand } from './redeem.js';

/** Adds the codes verbs. */
export function configureCodes(noun: Command, cli: Cli): void {
  noun
    .description(
      'Issue one-time codes tied to a user and a purpose (adding a device, one-time authentication, account recovery), authorize and redeem them once, invalidate them. Codes are shown once and stored only hashed.',
    )
    .addCommand(issueCommand(cli, 'short'))
    .addCommand(issueCommand(cli, 'long'))
    .addCommand(issueCommand(cli, 'phrase'))
    .addCommand(authorizeCommand(cli))
    .addCommand(redeemCommand(cli))
    .addCommand(invalidateCommand(cli))
    .addCommand(listCommand(cli))
    .addCommand(getCommand(cli));
}
