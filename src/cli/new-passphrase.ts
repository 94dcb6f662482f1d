/** Choosing a new store passphrase, for `init --passphrase` and `store rekey --new-passphrase`. */
import { UsageError } from '../core/errors.js';
import type { Cli } from './cli.js';

/** Passphrases shorter than this many characters are refused. */
export const MIN_PASSPHRASE_LENGTH = 8;

/**
 * The new passphrase, as bytes: `given` when a file or environment variable supplied
 * one, otherwise asked twice on a TTY (a too-short answer is refused before the second).
 * @throws UsageError when there is none and no one to ask (`missing.hint` says where
 * to put it), when the two answers differ, or when it is too short.
 */
export async function newPassphrase(cli: Cli, given: Uint8Array | undefined, missing: { message: string; hint: string }): Promise<Buffer> {
  if (given !== undefined) return checkLength(Buffer.from(given));
  if (!cli.canPrompt) throw new UsageError(missing.message, missing.hint);
  const first = checkLength(Buffer.from(await cli.prompter.secret('New store passphrase'), 'utf8'));
  if (!Buffer.from(await cli.prompter.secret('Repeat the passphrase'), 'utf8').equals(first)) throw new UsageError('the passphrases do not match');
  return first;
}

/** Counts characters, not bytes; a byte that is not UTF-8 counts as one. */
function checkLength(passphrase: Buffer): Buffer {
  if ([...passphrase.toString('utf8')].length < MIN_PASSPHRASE_LENGTH) {
    throw new UsageError(`the passphrase is too short: use at least ${MIN_PASSPHRASE_LENGTH} characters`);
  }
  return passphrase;
}
