/** `peridio organizations use PRN` */
import { Command } from 'commander';
import { useOrganization } from '../../../core/organizations.js';
import type { Cli } from '../../cli.js';
import { documented } from '../../help.js';
import { organizationRendering } from './render.js';

export function useCommand(cli: Cli): Command {
  const command = new Command('use').argument('<prn>', "the organization's PRN").action(async (prn: string) => {
    cli.output.result(await useOrganization(await cli.core(), prn), organizationRendering);
  });
  return documented(command, {
    summary: "make an organization the store's default",
    examples: ['peridio organizations use prn:1:0b4f1c3e-0f3a-4a53-9b7e-3f1c2d4e5a6b'],
    exitCodes: [[4, 'no such organization']],
  });
}
