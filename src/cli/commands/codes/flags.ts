/** The flags the codes verbs share: whose codes (--user, --purpose) and which type. */
import { Command, Option } from 'commander';
import { parseCodeType, type OneTimeCodeType } from '../../../core/one-time-codes/index.js';

export interface PairOptions {
  user: string;
  purpose: string;
  type?: string;
}

/** Adds the required --user and --purpose, and an optional --type when `withType`. */
export function withPairOptions(command: Command, withType: boolean): Command {
  command
    .requiredOption('--user <id>', 'the user the code belongs to')
    .requiredOption('--purpose <purpose>', 'what the code is for: [a-z0-9_]{1,64}, such as add_credential');
  if (withType) command.addOption(new Option('--type <type>', 'only codes of this type: short, long or phrase'));
  return command;
}

/** `--type` text as a code type, undefined when absent. */
export function optionalType(text: string | undefined): OneTimeCodeType | undefined {
  return text === undefined ? undefined : parseCodeType(text);
}
