/** `peridio codes authorize --user U --purpose P [--type T]` (the code on stdin or a prompt) */
import type { Command } from 'commander';
import { authorizeOneTimeCode } from '../../../core/one-time-codes/index.js';
import type { Cli } from '../../cli.js';
import { presentCommand } from './present.js';

export function authorizeCommand(cli: Cli): Command {
  return presentCommand(cli, 'authorize', authorizeOneTimeCode, {
    summary: 'authorize a code so it can be redeemed (the code on stdin or a prompt)',
    description:
      'Authorize the active code of a user and purpose that was issued without --authorize, once you have checked that the user is who they say. The code is read from stdin when it is piped, or from a hidden prompt on a terminal; never from the command line.\n\nFailed attempts count towards the lock of the user and purpose, as for redeem.',
    examples: [
      'peridio codes authorize --user alice@example.com --purpose add_credential   # prompts for the code',
      'printf \'%s\\n\' "$CODE" | peridio codes authorize --user alice@example.com --purpose add_credential --type long',
    ],
    exitCodes: [
      [3, 'invalid_code: wrong, expired, used or invalidated code'],
      [5, 'locked: too many failed attempts for this user and purpose (15 minutes)'],
    ],
  });
}
