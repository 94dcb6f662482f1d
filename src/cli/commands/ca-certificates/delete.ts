/** `peridio ca-certificates delete NAME|PRN` (or `--prn PRN`) `[--if-match ETAG]` */
import { Command } from 'commander';
import type { Cli } from '../../cli.js';
import { documented } from '../../help.js';
import { addIfMatchOptions, caTarget, ifMatchFrom, type IfMatchOptions } from './options.js';
import { deletedRendering } from './render.js';

export function deleteCommand(cli: Cli): Command {
  const command = new Command('delete').argument('[certificate]', "the CA's name or PRN").option('--prn <prn>', "the CA's PRN (the Peridio CLI's spelling)");
  addIfMatchOptions(command).action(async (positional: string | undefined, opts: IfMatchOptions & { prn?: string }) => {
    const certificate = caTarget(positional, opts.prn);
    const ctx = await cli.core();
    const organizationId = await cli.organizationId();
    const [{ getCaCertificate }, { deleteCaCertificate }] = await Promise.all([
      import('../../../core/ca-certificates/query.js'),
      import('../../../core/ca-certificates/delete.js'),
    ]);
    const existing = await getCaCertificate(ctx, organizationId, certificate);
    await cli.confirm(`delete CA certificate ${existing.name ?? existing.prn} (${existing.subject})? devices chaining to it will be refused`);
    cli.output.result(await deleteCaCertificate(ctx, { organizationId, certificate, ifMatch: ifMatchFrom(opts) }), deletedRendering);
  });
  return documented(command, {
    summary: 'delete a registered CA certificate',
    description:
      'Delete a registered CA certificate: device certificates chaining to it are no longer accepted. Asks for confirmation on a terminal; pass -y in scripts.',
    examples: [
      'peridio ca-certificates delete factory-ca',
      'peridio ca-certificates delete factory-ca -y --if-match 3f9c2a7d01b4e856',
      'peridio ca-certificates delete --prn prn:1:…:ca_certificate:… -y',
    ],
    exitCodes: [
      [4, 'no such CA in this organization'],
      [5, 'stale --if-match: the CA changed since you read it'],
    ],
  });
}
