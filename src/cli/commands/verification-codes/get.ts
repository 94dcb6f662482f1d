/** `peridio ca-certificates verification-codes get ID` */
import { Command } from 'commander';
import { getVerificationCode } from '../../../core/verification-codes.js';
import type { Cli } from '../../cli.js';
import { documented } from '../../help.js';
import { infoRendering } from './render.js';

export function getCommand(cli: Cli): Command {
  const command = new Command('get').argument('<id>', "the code's PRN or id").action(async (id: string) => {
    const ctx = await cli.core();
    cli.output.result(await getVerificationCode(ctx, await cli.organizationId(), id), infoRendering);
  });
  return documented(command, {
    summary: "show one verification code's status (never the code)",
    examples: ['peridio ca-certificates verification-codes get prn:1:…:ca_verification_code:…'],
    exitCodes: [[4, 'no such code in this organization']],
  });
}
