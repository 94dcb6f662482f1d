/** `peridio ca-certificates get NAME|PRN` (or `--prn PRN`) [`--pem`|`--der`] */
import { Command, Option } from 'commander';
import type { Cli } from '../../cli.js';
import { documented } from '../../help.js';
import { caTarget } from './options.js';
import { caRendering } from './render.js';

interface GetOptions {
  prn?: string;
  pem?: boolean;
  der?: boolean;
}

export function getCommand(cli: Cli): Command {
  const command = new Command('get')
    .argument('[certificate]', "the CA's name or PRN")
    .option('--prn <prn>', "the CA's PRN (the Peridio CLI's spelling)")
    .option('--pem', 'print the registered certificate as PEM instead of its record')
    .addOption(new Option('--der', 'print the registered certificate as DER (binary) instead of its record').conflicts('pem'))
    .action(async (positional: string | undefined, opts: GetOptions) => {
      const certificate = caTarget(positional, opts.prn);
      const ctx = await cli.core();
      const organizationId = await cli.organizationId();
      const { getCaCertificate, getCaCertificateDer } = await import('../../../core/ca-certificates/query.js');
      if (opts.pem || opts.der) {
        const der = await getCaCertificateDer(ctx, organizationId, certificate);
        cli.output.raw(opts.der ? der : (await import('../../../core/x509/pem.js')).pemEncode(der, 'CERTIFICATE'));
        return;
      }
      cli.output.result(await getCaCertificate(ctx, organizationId, certificate), caRendering);
    });
  return documented(command, {
    summary: 'show one registered CA certificate, with its etag',
    examples: [
      'peridio ca-certificates get factory-ca',
      'peridio ca-certificates get --prn prn:1:…:ca_certificate:…',
      'ETAG=$(peridio ca-certificates get factory-ca --json | jq -r .etag)',
      'peridio ca-certificates get factory-ca --pem > factory-ca.pem',
    ],
    exitCodes: [[4, 'no such CA in this organization']],
  });
}
