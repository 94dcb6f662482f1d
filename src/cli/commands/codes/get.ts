/** `peridio codes get ID` */
import { Command } from 'commander';
import { getOneTimeCode } from '../../../core/one-time-codes/index.js';
import type { Cli } from '../../cli.js';
import { documented } from '../../help.js';
import { infoRendering } from './render.js';

export function getCommand(cli: Cli): Command {
  const command = new Command('get').argument('<id>', "the code's PRN or id").action(async (id: string) => {
    const ctx = await cli.core();
    cli.output.result(await getOneTimeCode(ctx, await cli.organizationId(), id), infoRendering);
  });
  return documented(command, {
    summary: "show one code's status (never the code)",
    examples: ['peridio codes get prn:1:…:code:…', 'peridio codes get prn:1:…:code:… -q   # prints the status'],
    exitCodes: [[4, 'no such code in this organization']],
  });
}
