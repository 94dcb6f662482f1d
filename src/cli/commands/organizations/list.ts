/** `peridio organizations list` */
import { Command } from 'commander';
import { listOrganizations } from '../../../core/organizations.js';
import type { Cli } from '../../cli.js';
import { documented } from '../../help.js';
import { organizationListRendering } from './render.js';

export function listCommand(cli: Cli): Command {
  const command = new Command('list').action(async () => {
    cli.output.result(listOrganizations(await cli.core()), organizationListRendering);
  });
  return documented(command, { summary: 'list organizations (the default is marked *)', examples: ['peridio organizations list', 'peridio organizations list --json'] });
}
