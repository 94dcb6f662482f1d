/** `peridio codes redeem --user U --purpose P [--type T]` (the code on stdin or a prompt) */
import type { Command } from 'commander';
import { redeemOneTimeCode } from '../../../core/one-time-codes/index.js';
import type { Cli } from '../../cli.js';
import { presentCommand } from './present.js';

export function redeemCommand(cli: Cli): Command {
  return presentCommand(cli, 'redeem', redeemOneTimeCode, {
    summary: 'use a code once (the code on stdin or a prompt)',
    description:
      'Redeem the active, authorized code of a user and purpose: it is consumed, and cannot be used again. The code is read from stdin when it is piped, or from a hidden prompt on a terminal; never from the command line.\n\nWrong, expired, used and invalidated codes all give the same error. After 10 consecutive failed attempts the user and purpose are locked for 15 minutes, even for the right code; a successful redeem resets the count.',
    examples: [
      'peridio codes redeem --user alice@example.com --purpose add_credential   # prompts for the code',
      'printf \'%s\\n\' "$CODE" | peridio codes redeem --user alice@example.com --purpose add_credential',
      'peridio codes redeem --user alice@example.com --purpose account_recovery --type phrase < phrase.txt',
    ],
    exitCodes: [
      [3, 'invalid_code: wrong, expired, used or invalidated code; not_authorized: the code must be authorized first'],
      [5, 'locked: too many failed attempts for this user and purpose (15 minutes)'],
    ],
  });
}
