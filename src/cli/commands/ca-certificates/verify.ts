/** `peridio ca-certificates verify NAME|PRN -v F [--if-match ETAG]` */
import { Command } from 'commander';
import type { Cli } from '../../cli.js';
import { documented } from '../../help.js';
import { readInputFile } from '../../read-input.js';
import { addIfMatchOptions, ifMatchFrom, type IfMatchOptions } from './options.js';
import { caRendering } from './render.js';

export function verifyCommand(cli: Cli): Command {
  const command = new Command('verify')
    .argument('<certificate>', "the CA's name or PRN")
    .requiredOption('-v, --verification-certificate-path <file>', "a certificate whose CN is a code bound to this CA, signed by the CA's key");
  addIfMatchOptions(command).action(async (certificate: string, opts: IfMatchOptions & { verificationCertificatePath: string }) => {
    const bytes = await readInputFile(cli.deps.stdin, opts.verificationCertificatePath, 'verification certificate');
    const label = `verification certificate ${opts.verificationCertificatePath}`;
    const ctx = await cli.core();
    const organizationId = await cli.organizationId();
    const { verifyCaCertificate } = await import('../../../core/ca-certificates/verify.js');
    const verified = await verifyCaCertificate(ctx, { organizationId, certificate, ifMatch: ifMatchFrom(opts), verificationCertificate: { bytes, label } });
    cli.output.result(verified, caRendering);
  });
  return documented(command, {
    summary: "prove possession of an unverified CA's key (Azure flow)",
    description:
      "Mark a CA registered without proof as verified: the verification certificate's CN must be a code issued for this CA (verification-codes create --certificate), and it must be signed by the CA's key. The CA and the verification certificate are checked first (parsed, the CA checks, the verification certificate's issuer, signature and validity): a mistake there leaves the code live. Then the code is looked up and consumed: what fails after that (an unknown, expired, used or superseded code, a code of another CA, a stale --if-match) leaves it spent. The CA gets a new etag.",
    examples: [
      'peridio ca-certificates verify factory-ca -v verification.pem',
      'peridio ca-certificates verify factory-ca -v verification.pem --if-match 3f9c2a7d01b4e856',
      'peridio ca-certificates verify factory-ca -v verification.pem --etag "$ETAG"   # az iot hub certificate verify spelling',
    ],
    exitCodes: [
      [3, 'the code is unknown or not bound to this CA, or a certificate check failed'],
      [4, 'no such CA in this organization'],
      [5, 'stale --if-match, code already used, or the CA is already verified'],
      [6, 'the code or a certificate has expired, or a newer code for this CA superseded the code'],
    ],
  });
}
