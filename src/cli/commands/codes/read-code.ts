/**
 * Where authorize and redeem get the code: piped on stdin, or typed at a hidden prompt
 * on a terminal. Never from argv or a flag, which every user of the machine can read
 * in the process list.
 */
import { UsageError } from '../../../core/errors.js';
import { COMMAND } from '../../output.js';
import type { Cli } from '../../cli.js';
import type { PairOptions } from './flags.js';

/** More than any code, with room for generous whitespace around a phrase. */
const MAX_STDIN_BYTES = 4096;

/**
 * Refuses a code given on the command line, as an argument or `--code`.
 * @throws UsageError naming the safe ways to give it.
 */
export function refuseCodeOnCommandLine(given: string | undefined, opts: PairOptions): void {
  if (given === undefined) return;
  throw new UsageError(
    'the code is never taken from the command line, where other users of this machine can see it',
    `pipe it on stdin or type it at the prompt; if a real code was exposed, invalidate it: ${COMMAND} codes invalidate --user ${opts.user} --purpose ${opts.purpose}`,
  );
}

/**
 * The code from a hidden prompt on a terminal, or from stdin when it is piped.
 * @throws UsageError when stdin is a terminal that may not be prompted, or holds
 * nothing, or more than 4 KiB.
 */
export async function readCode(cli: Cli, verb: string, opts: PairOptions): Promise<string> {
  const example = `printf '%s\\n' "$CODE" | ${COMMAND} codes ${verb} --user ${opts.user} --purpose ${opts.purpose}`;
  if (cli.deps.stdin.isTTY) {
    if (!cli.canPrompt)
      throw new UsageError(
        'no code given: stdin is a terminal but no prompt can be shown (--no-input, CI=true, or stderr is not a terminal)',
        `pipe the code on stdin, for example: ${example}`,
      );
    const typed = await cli.prompter.secret(`Code for user ${opts.user}, purpose ${opts.purpose}`);
    if (typed.trim() === '') throw new UsageError('no code given: the prompt was left empty');
    return typed;
  }
  const text = await readAll(cli.deps.stdin);
  if (text.trim() === '') throw new UsageError('no code given: stdin is empty', `pipe the code on stdin, for example: ${example}`);
  return text;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > MAX_STDIN_BYTES) throw new UsageError(`the input on stdin is too long for a code (over ${MAX_STDIN_BYTES} bytes)`, 'pipe only the code');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
