/** `peridio organizations list` */
import { Command } from 'commander';
import { listOrganizations } from '../../../core/organizations.js';
import type { Cli } from '../../cli.js';
import { documented } from '../../help.js';
import { organizationPageRendering } from './render.js';

export function listCommand(cli: Cli): Command {
  const command = new Command('list').action(async () => {
    // Every list prints as a page; organizations are few, so there is only ever one.
    cli.output.result({ items: await listOrganizations(await cli.core()), next_page: null }, organizationPageRendering);
  });
  return documented(command, {
    summary: 'list organizations (the default is marked *)',
    examples: ['peridio organizations list', 'peridio organizations list --json'],
  });
}
