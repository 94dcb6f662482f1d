/** `peridio organizations create --name N` */
import { Command } from 'commander';
import { createOrganization } from '../../../core/organizations.js';
import type { Cli } from '../../cli.js';
import { documented } from '../../help.js';
import { organizationRendering } from './render.js';

export function createCommand(cli: Cli): Command {
  const command = new Command('create').requiredOption('--name <name>', "the organization's name").action(async (opts: { name: string }) => {
    cli.output.result(await createOrganization(await cli.core(), opts.name), organizationRendering);
  });
  return documented(command, {
    summary: 'create an organization',
    examples: ['peridio organizations create --name acme', 'ORG=$(peridio organizations create --name acme -q)'],
  });
}
