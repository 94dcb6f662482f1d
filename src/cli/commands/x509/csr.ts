/** `peridio x509 csr`: a CSR with CN = the code, for an HSM or other CA tooling to sign. */
import { Command } from 'commander';
import type { Cli } from '../../cli.js';
import { documented } from '../../help.js';
import { writeNewFiles } from '../../write-output.js';
import { checkCommonNameFlag, parseKeyTypeFlag } from './options.js';
import { csrRendering } from './render.js';

export function csrCommand(cli: Cli): Command {
  const command = new Command('csr')
    .requiredOption('--common-name <cn>', 'the subject CN: the verification code')
    .option('--key-type <type>', 'the new key: ec-p256 (default), ec-p384, rsa-2048, rsa-3072 or rsa-4096')
    .requiredOption('--key-out <file>', 'write the new private key here (PKCS#8 PEM, mode 0600)')
    .requiredOption('--out <file>', 'write the CSR here (PEM)')
    .action(async (opts: { commonName: string; keyType?: string; keyOut: string; out: string }) => {
      const [{ KEY_TYPES, privateKeyPem }, { commonNameProblem, createCsr }, { pemEncode }] = await Promise.all([
        import('../../../core/x509/keys.js'),
        import('../../../core/x509/create.js'),
        import('../../../core/x509/pem.js'),
      ]);
      const keyType = parseKeyTypeFlag(opts.keyType, KEY_TYPES);
      checkCommonNameFlag(opts.commonName, commonNameProblem);
      const created = createCsr({ commonName: opts.commonName, keyType });
      writeNewFiles([
        { path: opts.keyOut, data: privateKeyPem(created.privateKey), mode: 0o600, label: 'private key' },
        { path: opts.out, data: pemEncode(created.der, 'CERTIFICATE REQUEST'), mode: 0o644, label: 'CSR' },
      ]);
      cli.output.result({ csr_path: opts.out, key_path: opts.keyOut, subject: created.subject }, csrRendering);
      cli.output.hint(
        `have your CA sign it, for example: openssl x509 -req -in ${opts.out} -CA ca.pem -CAkey ca.key -CAcreateserial -days 1 -sha256 -out verification.pem`,
      );
    });
  return documented(command, {
    summary: 'make a certificate signing request with CN = the code',
    description:
      'Make a new key pair and a PKCS#10 certificate signing request whose subject is CN = the verification code, for signing with an HSM or other CA tooling.\n\nOutput files are never overwritten; the private key is written with mode 0600.',
    examples: ['peridio x509 csr --common-name "$CODE" --key-out verification.key --out verification.csr'],
  });
}
