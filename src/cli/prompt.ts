/**
 * Interactive prompts, on stderr, only when a person is there: stdin and stderr are
 * TTYs, `--no-input` is not given and `CI` is not `true`. @inquirer/prompts is loaded
 * only when a prompt is actually shown.
 */
import type { Readable, Writable } from 'node:stream';
import { UsageError } from '../core/errors.js';

/** The prompts commands may show; tests substitute their own. */
export interface Prompter {
  /** A hidden input, such as a passphrase or a code. */
  secret(message: string): Promise<string>;
  /** A yes/no question. */
  confirm(message: string, defaultAnswer: boolean): Promise<boolean>;
}

/**
 * The real prompter over the given streams. Ctrl-C or Ctrl-D at a prompt is the user
 * cancelling, not a failure of the program.
 * @throws UsageError ("cancelled at the prompt") when the user closes the prompt.
 */
export function inquirerPrompter(input: Readable, output: Writable): Prompter {
  const context = { input, output, clearPromptOnDone: false };
  return {
    secret: (message) => cancellable(async () => (await import('@inquirer/prompts')).password({ message, mask: false }, context)),
    confirm: (message, defaultAnswer) => cancellable(async () => (await import('@inquirer/prompts')).confirm({ message, default: defaultAnswer }, context)),
  };
}

async function cancellable<T>(ask: () => Promise<T>): Promise<T> {
  try {
    return await ask();
  } catch (error) {
    if ((error as Error | undefined)?.name === 'ExitPromptError') throw new UsageError('cancelled at the prompt');
    throw error;
  }
}
