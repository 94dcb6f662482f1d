/** `peridio device-certificates verify -c F [--chain-path F] [--at TIME]` */
import { Command } from 'commander';
import type { DeviceCertificateCheck } from '../../../core/device-certificates.js';
import { parseTimestamp } from '../../../core/time.js';
import type { Cli } from '../../cli.js';
import { documented } from '../../help.js';
import type { Rendering } from '../../output.js';
import { readInputFile } from '../../read-input.js';

interface VerifyOptions {
  certificatePath: string;
  chainPath?: string;
  at?: string;
}

const rendering: Rendering<DeviceCertificateCheck> = {
  quiet: (r) => r.ca_certificate_prn,
  human: (r, view) => [
    view.fields([
      ['valid', 'yes'],
      ['ca certificate', r.ca_certificate_prn],
      ['validated at', r.validated_at],
    ]),
    view.table(['#', 'SUBJECT', 'ISSUER', 'NOT AFTER', 'SHA-256'], r.chain.map((c, i) => [i, c.subject, c.issuer, c.not_after, c.fingerprint_sha256])),
  ].join('\n'),
};

export function verifyCommand(cli: Cli): Command {
  const command = new Command('verify')
    .requiredOption('-c, --certificate-path <file>', 'the device certificate (PEM or DER)')
    .option('--chain-path <file>', 'intermediate CA certificates, in any order (PEM bundle or DER)')
    .option('--at <time>', 'validate at this ISO 8601 time instead of now (like openssl verify -attime)')
    .action(async (opts: VerifyOptions) => {
      const at = opts.at === undefined ? undefined : parseTimestamp(opts.at, '--at');
      const certificate = { bytes: await readInputFile(cli.deps.stdin, opts.certificatePath, 'device certificate'), label: `device certificate ${opts.certificatePath}` };
      const chain = opts.chainPath === undefined ? undefined : { bytes: await readInputFile(cli.deps.stdin, opts.chainPath, 'chain'), label: `chain ${opts.chainPath}` };
      const { verifyDeviceCertificate } = await import('../../../core/device-certificates.js');
      const ctx = await cli.core();
      const organizationId = await cli.organizationId();
      cli.output.result(verifyDeviceCertificate(ctx, { organizationId, certificate, chain, at }), rendering);
    });
  return documented(command, {
    summary: 'check that a device certificate chains to a registered CA',
    description: 'Check a device certificate offline with RFC 5280 basic path validation: signatures, validity (inclusive, at --at), name chaining, basicConstraints and keyUsage of every CA on the path, path length and unknown critical extensions, ending at a CA registered in the organization that is verified and active, itself valid at that time.',
    examples: [
      'peridio device-certificates verify -c device.pem',
      'peridio device-certificates verify -c device.pem --chain-path intermediates.pem --at 2025-06-01T00:00:00Z',
      'peridio device-certificates verify -c device.pem --json',
    ],
    exitCodes: [[3, 'the certificate does not chain to a registered, verified and active CA (the reason is printed)'], [4, 'the organization does not exist']],
  });
}
