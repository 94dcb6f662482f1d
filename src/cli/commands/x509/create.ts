/** `peridio x509 create`: a verification certificate, or with `--ca` a self-signed development CA. */
import { Command } from 'commander';
import { isVerificationCodeFormat } from '../../../core/codes/verification-code-format.js';
import { COMMAND, VericodeError } from '../../../core/errors.js';
import type { ParsedCertificate } from '../../../core/x509/parse.js';
import type { Cli } from '../../cli.js';
import { documented } from '../../help.js';
import { readInputFile } from '../../read-input.js';
import { writeNewFiles, type NewFile } from '../../write-output.js';
import { parseDays, refuseFlags, requireFlags } from './options.js';
import { certificateRendering, type CreatedCertificateResult } from './render.js';

interface CreateOptions {
  ca?: boolean;
  commonName: string;
  signerCert?: string;
  signerKey?: string;
  signerKeyPassphraseFile?: string;
  keyType?: string;
  days?: string;
  keyOut?: string;
  out: string;
}

/**
 * A verification certificate proves possession only for a CA that registration will
 * accept; say so now rather than after the code is consumed.
 */
function warnIfNotRegistrable(cli: Cli, signer: ParsedCertificate, check: (cert: ParsedCertificate, now: Date) => void): void {
  try {
    check(signer, cli.deps.clock.now());
  } catch (error) {
    if (!(error instanceof VericodeError)) throw error;
    cli.output.warn(`${error.message.replace(/^CA certificate/, 'the signer certificate')}: ca-certificates create will refuse it as a CA`);
  }
}

const SIGNER_FLAGS = { signerCert: '--signer-cert', signerKey: '--signer-key', signerKeyPassphraseFile: '--signer-key-passphrase-file' };

export function createCommand(cli: Cli): Command {
  const command = new Command('create')
    .requiredOption('--common-name <cn>', 'the subject CN: the verification code, or the CA\'s name with --ca')
    .option('--ca', 'make a self-signed development CA instead of a verification certificate')
    .option('--signer-cert <file>', 'the CA certificate that signs (PEM or DER)')
    .option('--signer-key <file>', 'the CA\'s private key: PKCS#8 (plain or encrypted), SEC1 or PKCS#1')
    .option('--signer-key-passphrase-file <file>', 'the passphrase of an encrypted --signer-key')
    .option('--key-type <type>', 'the new key: ec-p256 (default), ec-p384, rsa-2048, rsa-3072 or rsa-4096')
    .option('--days <n>', 'validity in days from now (default 30; 365 with --ca)')
    .option('--key-out <file>', 'write the new private key here (PKCS#8 PEM, mode 0600); required with --ca')
    .requiredOption('--out <file>', 'write the new certificate here (PEM)')
    .action(async (opts: CreateOptions) => {
      const [{ parseKeyType, privateKeyPem, readPrivateKey, isEncryptedPem }, { createSelfSignedCa, createVerificationCertificate }, { parseCertificate }, { pemEncode }] = await Promise.all([
        import('../../../core/x509/keys.js'),
        import('../../../core/x509/create.js'),
        import('../../../core/x509/parse.js'),
        import('../../../core/x509/pem.js'),
      ]);
      const keyType = parseKeyType(opts.keyType);
      const ports = { clock: cli.deps.clock, random: cli.deps.random };
      let created;
      if (opts.ca) {
        refuseFlags(opts as unknown as Record<string, unknown>, SIGNER_FLAGS, 'with --ca: a development CA signs itself');
        requireFlags(opts as unknown as Record<string, unknown>, { keyOut: '--key-out' }, 'with --ca, or the CA\'s key would be lost');
        created = createSelfSignedCa(ports, { commonName: opts.commonName, keyType, days: parseDays(opts.days, 365) });
      } else {
        requireFlags(opts as unknown as Record<string, unknown>, { signerCert: '--signer-cert', signerKey: '--signer-key' }, 'to sign a verification certificate (or pass --ca for a development CA)');
        const signer = parseCertificate(readInputFile(opts.signerCert!, 'signer certificate'), `signer certificate ${opts.signerCert}`);
        warnIfNotRegistrable(cli, signer, (await import('../../../core/x509/check-ca.js')).checkCaCertificate);
        const keyBytes = readInputFile(opts.signerKey!, 'signer key', { code: 'usage' });
        let passphrase: string | undefined;
        if (opts.signerKeyPassphraseFile !== undefined) {
          passphrase = readInputFile(opts.signerKeyPassphraseFile, 'signer key passphrase file', { code: 'usage' }).toString('utf8').split(/\r?\n/)[0];
        } else if (isEncryptedPem(keyBytes) && cli.canPrompt) {
          passphrase = await cli.prompter.secret(`Passphrase for ${opts.signerKey}`);
        }
        const signerKey = readPrivateKey(keyBytes, `signer key ${opts.signerKey}`, passphrase);
        created = createVerificationCertificate(ports, { commonName: opts.commonName, signer, signerKey, keyType, days: parseDays(opts.days, 30) });
      }
      const files: NewFile[] = [{ path: opts.out, data: pemEncode(created.der, 'CERTIFICATE'), mode: 0o644, label: 'certificate' }];
      if (opts.keyOut !== undefined) files.unshift({ path: opts.keyOut, data: privateKeyPem(created.privateKey), mode: 0o600, label: 'private key' });
      writeNewFiles(files);
      const result: CreatedCertificateResult = { certificate_path: opts.out, key_path: opts.keyOut ?? null, ...created.summary };
      cli.output.result(result, certificateRendering);
      if (opts.ca) {
        cli.output.hint(`register it and prove possession of its key: CODE=$(${COMMAND} ca-certificates verification-codes create -q), then ${COMMAND} x509 create --common-name "$CODE" --signer-cert ${opts.out} --signer-key ${opts.keyOut} --out verification.pem`);
      } else if (isVerificationCodeFormat(opts.commonName)) {
        // Only a CN shaped like a code is a proof; other certificates (a device's) are not.
        cli.output.hint(`register the CA with this proof: ${COMMAND} ca-certificates create -c ${opts.signerCert} -v ${opts.out}`);
      }
    });
  return documented(command, {
    summary: 'make a verification certificate, or a development CA with --ca',
    description: 'Make a verification certificate offline: a new key pair, CN = the verification code, signed by your CA\'s key, with the CA\'s subject as issuer. With --ca, make a self-signed development CA instead.\n\nOutput files are never overwritten; private keys are written with mode 0600.',
    examples: [
      'peridio x509 create --common-name "$CODE" --signer-cert ca.pem --signer-key ca.key --out verification.pem',
      'peridio x509 create --common-name "$CODE" --signer-cert ca.pem --signer-key ca.key --signer-key-passphrase-file pass.txt --key-out verification.key --out verification.pem',
      'peridio x509 create --ca --common-name "Dev Root CA" --key-type ec-p384 --key-out ca.key --out ca.pem',
    ],
  });
}
