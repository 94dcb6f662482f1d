/**
 * `peridio codes authorize` and `peridio codes redeem`: both read a code (stdin or a
 * hidden prompt, never argv) and present it for a user and purpose.
 */
import { Command, Option } from 'commander';
import type { CoreContext } from '../../../core/context.js';
import type { OneTimeCodeInfo, PresentOneTimeCodeInput } from '../../../core/one-time-codes/index.js';
import type { Cli } from '../../cli.js';
import type { CommandDoc } from '../../help.js';
import { documented } from '../../help.js';
import { optionalType, withPairOptions, type PairOptions } from './flags.js';
import { readCode, refuseCodeOnCommandLine } from './read-code.js';
import { infoRendering } from './render.js';

type Present = (ctx: CoreContext, input: PresentOneTimeCodeInput) => Promise<OneTimeCodeInfo>;

/** A verb that presents a code to `present`. */
export function presentCommand(cli: Cli, name: string, present: Present, doc: CommandDoc): Command {
  const command: Command = withPairOptions(new Command(name), true)
    .addOption(new Option('--code <code>').hideHelp())
    // Declared (and hidden from the usage line) only to refuse it with a clear error.
    .argument('[code]')
    .usage('[options]')
    .action(async (argument: string | undefined, opts: PairOptions & { code?: string }) => {
      refuseCodeOnCommandLine(argument ?? opts.code, opts);
      const type = optionalType(opts.type);
      const ctx = await cli.core();
      const organizationId = await cli.organizationId();
      const code = await readCode(cli, name, opts);
      const info = await present(ctx, { organizationId, userId: opts.user, purpose: opts.purpose, type, code });
      cli.output.result(info, infoRendering);
    });
  return documented(command, doc);
}
