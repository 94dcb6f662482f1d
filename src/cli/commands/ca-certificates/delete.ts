/** `peridio ca-certificates delete NAME|PRN [--if-match ETAG]` */
import { Command } from 'commander';
import type { Cli } from '../../cli.js';
import { documented } from '../../help.js';
import { deletedRendering } from './render.js';

export function deleteCommand(cli: Cli): Command {
  const command = new Command('delete')
    .argument('<certificate>', 'the CA\'s name or PRN')
    .option('--if-match <etag>', 'only if the CA\'s etag is still this one (default *: any)')
    .action(async (certificate: string, opts: { ifMatch?: string }) => {
      const ctx = await cli.core();
      const organizationId = await cli.organizationId();
      const [{ getCaCertificate }, { deleteCaCertificate }] = await Promise.all([
        import('../../../core/ca-certificates/query.js'),
        import('../../../core/ca-certificates/delete.js'),
      ]);
      const existing = getCaCertificate(ctx, organizationId, certificate);
      await cli.confirm(`delete CA certificate ${existing.name ?? existing.prn} (${existing.subject})? devices chaining to it will be refused`);
      cli.output.result(deleteCaCertificate(ctx, { organizationId, certificate, ifMatch: opts.ifMatch }), deletedRendering);
    });
  return documented(command, {
    summary: 'delete a registered CA certificate',
    description: 'Delete a registered CA certificate: device certificates chaining to it are no longer accepted. Asks for confirmation on a terminal; pass -y in scripts.',
    examples: ['peridio ca-certificates delete factory-ca', 'peridio ca-certificates delete factory-ca -y --if-match 3f9c2a7d01b4e856'],
    exitCodes: [[4, 'no such CA in this organization'], [5, 'stale --if-match: the CA changed since you read it']],
  });
}
