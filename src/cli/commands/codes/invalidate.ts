/** `peridio codes invalidate --user U --purpose P [--type T]` */
import { Command } from 'commander';
import { invalidateOneTimeCodes } from '../../../core/one-time-codes/index.js';
import type { Cli } from '../../cli.js';
import { documented } from '../../help.js';
import { optionalType, withPairOptions, type PairOptions } from './flags.js';
import { invalidatedRendering } from './render.js';

export function invalidateCommand(cli: Cli): Command {
  const command = withPairOptions(new Command('invalidate'), true).action(async (opts: PairOptions) => {
    const type = optionalType(opts.type);
    const ctx = await cli.core();
    const organizationId = await cli.organizationId();
    cli.output.result(await invalidateOneTimeCodes(ctx, { organizationId, userId: opts.user, purpose: opts.purpose, type }), invalidatedRendering);
  });
  return documented(command, {
    summary: 'invalidate every active code of a user and purpose',
    description: 'Invalidate every active code of a user and purpose (of one type with --type) before it expires, and print how many. None is not an error.',
    examples: [
      'peridio codes invalidate --user alice@example.com --purpose add_credential',
      'peridio codes invalidate --user alice@example.com --purpose add_credential --type short -q',
    ],
  });
}
