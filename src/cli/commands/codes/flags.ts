/** The flags the codes verbs share: whose codes (--user, --purpose) and which type. */
import { Command, Option } from 'commander';
import { UsageError } from '../../../core/errors.js';
import { isPurpose, isUserId, ONE_TIME_CODE_TYPES, type OneTimeCodeType } from '../../../core/one-time-codes/index.js';
import { parseChoice } from '../../parse.js';

export interface PairOptions {
  user: string;
  purpose: string;
  type?: string;
}

/**
 * `--user` text, checked as commander reads it.
 * @throws UsageError unless it is a valid user id.
 */
export function parseUserFlag(text: string): string {
  if (isUserId(text)) return text;
  throw new UsageError(
    `invalid --user ${JSON.stringify(text)}: a user id is 1 to 128 characters with no spaces or control characters`,
    'for example --user alice@example.com or --user 4f1c2d',
  );
}

/**
 * `--purpose` text, checked as commander reads it.
 * @throws UsageError unless it is a valid purpose.
 */
export function parsePurposeFlag(text: string): string {
  if (isPurpose(text)) return text;
  throw new UsageError(
    `invalid --purpose ${JSON.stringify(text)}: a purpose is 1 to 64 characters of a-z, 0-9 and _`,
    'for example --purpose add_credential or --purpose temporary_authentication',
  );
}

/** Adds the required --user and --purpose, and an optional --type when `withType`. */
export function withPairOptions(command: Command, withType: boolean): Command {
  command
    .addOption(new Option('--user <id>', 'the user the code belongs to').makeOptionMandatory().argParser(parseUserFlag))
    .addOption(
      new Option('--purpose <purpose>', 'what the code is for: [a-z0-9_]{1,64}, such as add_credential').makeOptionMandatory().argParser(parsePurposeFlag),
    );
  if (withType) command.addOption(new Option('--type <type>', 'only codes of this type: short, long or phrase'));
  return command;
}

/** `--type` text as a code type, undefined when absent. */
export function optionalType(text: string | undefined): OneTimeCodeType | undefined {
  return text === undefined ? undefined : parseChoice(text, '--type', ONE_TIME_CODE_TYPES, (t) => JSON.stringify(t));
}
