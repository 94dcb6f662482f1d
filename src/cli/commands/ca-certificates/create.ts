/** `peridio ca-certificates create` (alias `register`) */
import { Command, Option } from 'commander';
import { assertCaName } from '../../../core/ca-certificates/name-rule.js';
import type { Cli } from '../../cli.js';
import { documented } from '../../help.js';
import { readInputFile } from '../../read-input.js';
import { addSharedCaOptions, jitpErrorInFlagWords, jitpFrom, parseDescriptionFlag, statusFrom, type SharedCaOptions } from './options.js';
import { caReference, caRendering } from './render.js';
import { COMMAND } from '../../output.js';

interface CreateOptions extends SharedCaOptions {
  certificatePath: string;
  verificationCertificatePath?: string;
  name?: string;
  description?: string;
  verified?: boolean;
}

export function createCommand(cli: Cli): Command {
  const command = new Command('create')
    .alias('register')
    .requiredOption('-c, --certificate-path <file>', 'the CA certificate, PEM or DER')
    .option('-v, --verification-certificate-path <file>', "a certificate whose CN is a verification code, signed by the CA's key")
    .option('--name <name>', 'a name for the CA, unique in the organization (^[A-Za-z0-9-._]{1,64}$)')
    .addOption(new Option('--description <text>', 'a description').argParser(parseDescriptionFlag))
    .addOption(new Option('--verified', 'register as verified without proof of possession (audited, with a warning)').conflicts('verificationCertificatePath'));
  addSharedCaOptions(command, 'include the CA in device checks (the default)').action(async (opts: CreateOptions) => {
    // A bad name is a flag error: report it before any file or the store is opened.
    if (opts.name !== undefined) assertCaName(opts.name);
    const certificate = { bytes: await readInputFile(cli.deps.stdin, opts.certificatePath, 'CA certificate'), label: `CA certificate ${opts.certificatePath}` };
    const verificationPath = opts.verificationCertificatePath;
    const verificationCertificate =
      verificationPath === undefined
        ? undefined
        : { bytes: await readInputFile(cli.deps.stdin, verificationPath, 'verification certificate'), label: `verification certificate ${verificationPath}` };
    const ctx = await cli.core();
    const organizationId = await cli.organizationId();
    const { registerCaCertificate } = await import('../../../core/ca-certificates/register.js');
    const registered = await registerCaCertificate(ctx, {
      organizationId,
      certificate,
      verificationCertificate,
      verified: opts.verified === true,
      name: opts.name,
      description: opts.description,
      status: statusFrom(opts),
      jitp: jitpFrom(opts),
    }).catch((error: unknown) => {
      throw jitpErrorInFlagWords(error);
    });
    cli.output.result(registered, caRendering);
    const reference = caReference(registered);
    if (opts.verified) {
      cli.output.warn(`CA certificate ${reference} was registered as verified without proof of possession (--verified)`);
    } else if (!registered.is_verified) {
      cli.output.hint(
        [
          `CA certificate ${reference} is registered unverified; to prove possession of its key:`,
          `  ${COMMAND} ca-certificates verification-codes create --certificate ${reference} --if-match ${registered.etag}`,
          `  (sign a verification certificate with the code as its CN, then, with the certificate_etag it prints)`,
          `  ${COMMAND} ca-certificates verify ${reference} -v verification.pem --if-match CERTIFICATE_ETAG`,
        ].join('\n'),
      );
    }
  });
  return documented(command, {
    summary: 'register a CA certificate',
    description: [
      'Register a CA certificate in the organization, in one of three ways.',
      "With -v (Peridio, AWS IoT): the verification certificate's CN is an active verification code and it is signed by the CA's key; both are checked offline and the CA is registered verified. Every check that needs no code runs first (both files parsed, the CA checks, the verification certificate's issuer, signature and validity): a mistake there leaves the code live. Then the code is looked up and consumed: what fails after that (an unknown, expired or used code, a code bound to another CA, a duplicate CA, the 10-per-subject limit) leaves it spent, as Peridio does.",
      'Without -v (Azure IoT Hub): the CA is registered unverified, with an etag; prove possession later with a code bound to it (verification-codes create --certificate) and ca-certificates verify.',
      'With --verified: registered verified without proof, with a warning and an audit event. Only for CAs whose keys you know you hold.',
    ].join('\n\n'),
    examples: [
      'peridio ca-certificates create -c ca.pem -v verification.pem',
      'peridio ca-certificates create -c ca.pem --name factory-ca --description "line 2"',
      'peridio ca-certificates register -c ca.pem -v verification.pem --jitp-description "factory" --jitp-tags line2,eu --jitp-product-name gateway',
      'peridio ca-certificates create -c ca.pem --name dev-ca --verified',
    ],
    exitCodes: [
      [3, 'the verification code is unknown, or a certificate check failed'],
      [5, 'code already used, CA already registered, name taken, or 10 CAs with this subject'],
      [6, 'the code or a certificate has expired'],
    ],
  });
}
