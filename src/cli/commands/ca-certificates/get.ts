/** `peridio ca-certificates get NAME|PRN` */
import { Command } from 'commander';
import type { Cli } from '../../cli.js';
import { documented } from '../../help.js';
import { caRendering } from './render.js';

export function getCommand(cli: Cli): Command {
  const command = new Command('get')
    .argument('<certificate>', 'the CA\'s name or PRN')
    .action(async (certificate: string) => {
      const ctx = await cli.core();
      const { getCaCertificate } = await import('../../../core/ca-certificates/query.js');
      cli.output.result(getCaCertificate(ctx, await cli.organizationId(), certificate), caRendering);
    });
  return documented(command, {
    summary: 'show one registered CA certificate, with its etag',
    examples: ['peridio ca-certificates get factory-ca', 'ETAG=$(peridio ca-certificates get factory-ca --json | jq -r .etag)'],
    exitCodes: [[4, 'no such CA in this organization']],
  });
}
