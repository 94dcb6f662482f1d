/**
 * Interactive prompts, on stderr, only when a person is there: stdin and stderr are
 * TTYs, `--no-input` is not given and `CI` is not `true`. @inquirer/prompts is loaded
 * only when a prompt is actually shown.
 */
import type { Readable, Writable } from 'node:stream';

/** The prompts commands may show; tests substitute their own. */
export interface Prompter {
  /** A hidden input, such as a passphrase or a code. */
  secret(message: string): Promise<string>;
  /** A yes/no question. */
  confirm(message: string, defaultAnswer: boolean): Promise<boolean>;
}

/** The real prompter over the given streams. */
export function inquirerPrompter(input: Readable, output: Writable): Prompter {
  const context = { input, output, clearPromptOnDone: false };
  return {
    async secret(message) {
      const { password } = await import('@inquirer/prompts');
      return password({ message, mask: false }, context);
    },
    async confirm(message, defaultAnswer) {
      const { confirm } = await import('@inquirer/prompts');
      return confirm({ message, default: defaultAnswer }, context);
    },
  };
}
