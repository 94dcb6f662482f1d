/** Choosing a new store passphrase, for `init --passphrase` and `store rekey --new-passphrase`. */
import { UsageError } from '../core/errors.js';
import type { Cli } from './cli.js';

/** Passphrases shorter than this are refused. */
export const MIN_PASSPHRASE_LENGTH = 8;

/**
 * The new passphrase: `given` when a file or environment variable supplied one,
 * otherwise asked twice on a TTY.
 * @throws UsageError when there is none and no one to ask (`missingHint` says where
 * to put it), when the two answers differ, or when it is too short.
 */
export async function newPassphrase(cli: Cli, given: string | undefined, missing: { message: string; hint: string }): Promise<string> {
  let passphrase = given;
  if (passphrase === undefined) {
    if (!cli.canPrompt) throw new UsageError(missing.message, missing.hint);
    passphrase = await cli.prompter.secret('New store passphrase');
    if ((await cli.prompter.secret('Repeat the passphrase')) !== passphrase) throw new UsageError('the passphrases do not match');
  }
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
    throw new UsageError(`the passphrase is too short: use at least ${MIN_PASSPHRASE_LENGTH} characters`);
  }
  return passphrase;
}
