/**
 * `peridio x509 create`: a verification certificate, or a development CA, in this
 * tool's form (`--ca`, `--days`, `--out FILE|-`, `--key-out FILE`) or the Peridio
 * CLI's (`--is-ca`, `--start-date`, `--end-date`, `--out DIR`); see forms.ts.
 */
import { Command } from 'commander';
import { isVerificationCodeFormat } from '../../../core/codes/verification-code-format.js';
import { UsageError } from '../../../core/errors.js';
import { COMMAND } from '../../output.js';
import type { ParsedCertificate } from '../../../core/x509/parse.js';
import type { Cli } from '../../cli.js';
import { documented } from '../../help.js';
import { readInputFile } from '../../read-input.js';
import { writeNewFiles, type NewFile } from '../../write-output.js';
import { chooseOutputForm, type FormFlags } from './forms.js';
import { checkCommonNameFlag, parseDays, parseKeyTypeFlag, parseValidityDates, refuseFlags, requireFlags } from './options.js';
import { certificateRendering, directoryRendering, type CreatedCertificateResult } from './render.js';

interface CreateOptions extends FormFlags {
  commonName: string;
  signerCert?: string;
  signerKey?: string;
  signerKeyPassphraseFile?: string;
  keyType?: string;
}

const SIGNER_FLAGS = { signerCert: '--signer-cert', signerKey: '--signer-key', signerKeyPassphraseFile: '--signer-key-passphrase-file' };

/** The signer's certificate and key, read from the files the flags name (prompting for an encrypted key's passphrase on a TTY). */
async function readSigner(cli: Cli, opts: CreateOptions): Promise<{ certificate: ParsedCertificate; key: import('node:crypto').KeyObject }> {
  const [{ parseCertificate }, { readPrivateKey, isEncryptedPem }] = await Promise.all([
    import('../../../core/x509/parse.js'),
    import('../../../core/x509/keys.js'),
  ]);
  const certificate = parseCertificate(await readInputFile(cli.deps.stdin, opts.signerCert!, 'signer certificate'), `signer certificate ${opts.signerCert}`);
  const keyBytes = await readInputFile(cli.deps.stdin, opts.signerKey!, 'signer key', { code: 'usage' });
  let passphrase: string | undefined;
  if (opts.signerKeyPassphraseFile !== undefined) {
    passphrase = (await readInputFile(cli.deps.stdin, opts.signerKeyPassphraseFile, 'signer key passphrase file', { code: 'usage', maxBytes: 4096 }))
      .toString('utf8')
      .split(/\r?\n/)[0];
  } else if (isEncryptedPem(keyBytes) && cli.canPrompt) {
    passphrase = await cli.prompter.secret(`Passphrase for ${opts.signerKey}`);
  }
  return { certificate, key: readPrivateKey(keyBytes, `signer key ${opts.signerKey}`, passphrase) };
}

export function createCommand(cli: Cli): Command {
  const command = new Command('create')
    .requiredOption('--common-name <cn>', "the subject CN: the verification code, or the CA's name")
    .option('--ca', 'make a self-signed development CA instead of a verification certificate')
    .option('--is-ca', "make a CA (the Peridio CLI's form): self-signed, or signed by --signer-cert as an intermediate")
    .option('--signer-cert <file>', 'the CA certificate that signs (PEM or DER)')
    .option('--signer-key <file>', "the CA's private key: PKCS#8 (plain or encrypted), SEC1 or PKCS#1")
    .option('--signer-key-passphrase-file <file>', 'the passphrase of an encrypted --signer-key')
    .option('--key-type <type>', 'the new key: ec-p256 (default), ec-p384, rsa-2048, rsa-3072 or rsa-4096')
    .option('--days <n>', 'validity in days from now (default 30; 365 with --ca)')
    .option('--start-date <date>', "valid from this day, YYYY-MM-DD, 00:00:00 UTC (the Peridio CLI's form)")
    .option('--end-date <date>', "valid until this day, YYYY-MM-DD, 00:00:00 UTC (the Peridio CLI's form)")
    .option('--key-out <file>', 'write the new private key here (PKCS#8 PEM, mode 0600); required with --ca')
    .option(
      '--out <file|dir>',
      'the certificate file (PEM; - for stdout), or a directory for <CN>-certificate.pem and <CN>-private-key.pem (default: the current directory)',
    )
    .action(async (opts: CreateOptions) => {
      const form = chooseOutputForm(opts, opts.commonName, process.cwd());
      if (form.kind === 'files' && form.keyOut === '-') throw new UsageError('--key-out - would print a private key: give --key-out FILE');
      const toStdout = form.kind === 'files' && form.out === '-';
      if (toStdout && (cli.options.json || cli.options.quiet)) throw new UsageError('--out - prints the certificate itself: drop --json and -q');
      const [{ KEY_TYPES }, { commonNameProblem, parseDate }, { createCertificate }] = await Promise.all([
        import('../../../core/x509/keys.js'),
        import('../../../core/x509/create.js'),
        import('../../../core/x509/create-certificate.js'),
      ]);
      const keyType = parseKeyTypeFlag(opts.keyType, KEY_TYPES);
      const validity =
        form.kind === 'files' ? { days: parseDays(form.days, form.isCa ? 365 : 30) } : parseValidityDates(form.startDate, form.endDate, parseDate);
      checkCommonNameFlag(opts.commonName, commonNameProblem);
      const ports = { clock: cli.deps.clock, random: cli.deps.random };
      const flags = opts as unknown as Record<string, unknown>;
      const signed = opts.signerCert !== undefined || opts.signerKey !== undefined;
      let signer;
      if (form.isCa && (form.kind === 'files' || !signed)) {
        if (form.kind === 'files') {
          refuseFlags(flags, SIGNER_FLAGS, 'with --ca: a development CA signs itself');
          requireFlags(flags, { keyOut: '--key-out' }, "with --ca, or the CA's key would be lost");
        } else {
          refuseFlags(flags, SIGNER_FLAGS, 'without --signer-cert and --signer-key');
        }
      } else {
        const reason =
          form.kind === 'files'
            ? 'to sign a verification certificate (or pass --ca for a development CA)'
            : 'to sign a certificate (or pass --is-ca for a self-signed CA)';
        requireFlags(flags, { signerCert: '--signer-cert', signerKey: '--signer-key' }, reason);
        signer = await readSigner(cli, opts);
      }
      const created = createCertificate(ports, { commonName: opts.commonName, keyType, validity, isCa: form.isCa, signer });
      // A proof signed by a CA that registration refuses would prove nothing: say so now.
      if (created.signerProblem)
        cli.output.warn(`${created.signerProblem.replace(/^CA certificate/, 'the signer certificate')}: ca-certificates create will refuse it as a CA`);
      const { certificatePem, keyPem } = created;
      let certificatePath: string;
      let keyPath: string | undefined;
      if (form.kind === 'directory') {
        writeNewFiles([
          { path: form.privateKey, data: keyPem, mode: 0o600, label: 'private key' },
          { path: form.certificate, data: certificatePem, mode: 0o644, label: 'certificate' },
        ]);
        cli.output.result({ certificate: form.certificate, private_key: form.privateKey }, directoryRendering);
        [certificatePath, keyPath] = [form.certificate, form.privateKey];
      } else {
        const files: NewFile[] = [];
        if (form.keyOut !== undefined) files.push({ path: form.keyOut, data: keyPem, mode: 0o600, label: 'private key' });
        if (!toStdout) files.push({ path: form.out, data: certificatePem, mode: 0o644, label: 'certificate' });
        writeNewFiles(files);
        if (toStdout) {
          cli.output.raw(certificatePem);
          return;
        }
        const result: CreatedCertificateResult = { certificate_path: form.out, key_path: form.keyOut ?? null, ...created.summary };
        cli.output.result(result, certificateRendering);
        [certificatePath, keyPath] = [form.out, form.keyOut];
      }
      if (form.isCa && !signed) {
        cli.output.hint(
          `register it and prove possession of its key: CODE=$(${COMMAND} ca-certificates verification-codes create -q), then ${COMMAND} x509 create --common-name "$CODE" --signer-cert ${certificatePath} --signer-key ${keyPath} --out verification.pem`,
        );
      } else if (!form.isCa && isVerificationCodeFormat(opts.commonName)) {
        // Only a CN shaped like a code is a proof; other certificates (a device's) are not.
        cli.output.hint(`register the CA with this proof: ${COMMAND} ca-certificates create -c ${opts.signerCert} -v ${certificatePath}`);
      }
    });
  return documented(command, {
    summary: 'make a verification certificate, or a development CA with --ca',
    description: [
      "Make a verification certificate offline: a new key pair, CN = the verification code, signed by your CA's key, with the CA's subject as issuer. With --ca, make a self-signed development CA instead.",
      'Two spellings: this tool\'s (--ca, --days N, --out FILE or - for stdout, --key-out FILE) and the Peridio CLI\'s (--is-ca, --start-date YYYY-MM-DD, --end-date YYYY-MM-DD, --out DIR, default the current directory), which writes DIR/<CN>-certificate.pem and DIR/<CN>-private-key.pem and prints {"certificate", "private_key"} with --json. A Peridio flag, or an existing directory as --out, selects the Peridio form.',
      'Output files are never overwritten; private keys are written with mode 0600.',
    ].join('\n\n'),
    examples: [
      'peridio x509 create --common-name "$CODE" --signer-cert ca.pem --signer-key ca.key --out verification.pem',
      'peridio x509 create --common-name "$CODE" --signer-cert ca.pem --signer-key ca.key --signer-key-passphrase-file pass.txt --key-out verification.key --out verification.pem',
      'peridio x509 create --common-name "$CODE" --signer-cert ca.pem --signer-key ca.key --out - | openssl x509 -noout -subject',
      'peridio x509 create --ca --common-name "Dev Root CA" --key-type ec-p384 --key-out ca.key --out ca.pem',
      'peridio x509 create --common-name dev-root --is-ca --start-date 2025-01-01 --end-date 2026-01-01 --out certs/',
      'peridio x509 create --common-name "$CODE" --start-date 2025-01-01 --end-date 2025-01-08 --signer-cert certs/dev-root-certificate.pem --signer-key certs/dev-root-private-key.pem',
    ],
  });
}
