/** `peridio device-certificates verify -c F [--chain-path F] [--at TIME] [--purpose P] [--dns-name N | --ip-address IP | --email A] [--crl-path F]... [--max-depth N]` */
import { Command } from 'commander';
import type { DeviceCertificateCheck, PeerIdentityProblem } from '../../../core/device-certificates.js';
import { UsageError } from '../../../core/errors.js';
import type { Cli } from '../../cli.js';
import { documented } from '../../help.js';
import { parseTimestamp } from '../../parse.js';
import type { Rendering } from '../../output.js';
import { readInputFile } from '../../read-input.js';

interface VerifyOptions {
  certificatePath: string;
  chainPath?: string;
  at?: string;
  purpose: string;
  dnsName?: string;
  ipAddress?: string;
  email?: string;
  crlPath: string[];
  maxDepth?: string;
}

const rendering: Rendering<DeviceCertificateCheck> = {
  quiet: (r) => r.ca_certificate_prn,
  human: (r, view) =>
    [
      view.fields([
        ['valid', 'yes'],
        ['ca certificate', r.ca_certificate_prn],
        ['validated at', r.validated_at],
      ]),
      view.table(
        ['#', 'SUBJECT', 'ISSUER', 'NOT AFTER', 'SHA-256'],
        r.chain.map((c, i) => [i, c.subject, c.issuer, c.not_after, c.fingerprint_sha256]),
      ),
    ].join('\n'),
};

function maxDepth(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,3}$/.test(text.trim()))
    throw new UsageError(`invalid --max-depth "${text}": expected a whole number`, 'for example --max-depth 1 allows one intermediate CA certificate');
  return Number(text.trim());
}

/** The error for identity flags the core found wrong, naming the flags. */
function identityFlagError(problem: PeerIdentityProblem): UsageError {
  switch (problem.kind) {
    case 'several':
      return new UsageError('give at most one of --dns-name, --ip-address and --email', 'check one identity per run');
    case 'dns':
      return new UsageError(
        `--dns-name "${problem.value}" is not a host name`,
        'give a name such as device-42.example.com, without a wildcard; use --ip-address for an IP address',
      );
    case 'ip':
      return new UsageError(`--ip-address "${problem.value}" is not an IPv4 or IPv6 address`, 'give an address such as 192.0.2.10 or 2001:db8::1');
    case 'email':
      return new UsageError(`--email "${problem.value}" is not a mailbox address`, 'give an address such as device-42@example.com');
  }
}

export function verifyCommand(cli: Cli): Command {
  const command = new Command('verify')
    .requiredOption('-c, --certificate-path <file>', 'the device certificate (PEM or DER)')
    .option('--chain-path <file>', 'intermediate CA certificates, in any order (PEM bundle or DER)')
    .option('--at <time>', 'validate at this ISO 8601 time instead of now (like openssl verify -attime)')
    .option('--purpose <purpose>', 'client-auth, server-auth or any: the extendedKeyUsage the device certificate (and every CA that has one) must allow', 'any')
    .option('--dns-name <name>', 'the device certificate must carry this DNS name (subjectAltName; wildcards as RFC 6125)')
    .option('--ip-address <ip>', 'the device certificate must carry this IPv4 or IPv6 address (subjectAltName)')
    .option('--email <address>', 'the device certificate must carry this email address (subjectAltName or subject)')
    .option(
      '--crl-path <file>',
      'a CRL file (PEM or DER, one or more CRLs); repeat for more files',
      (file: string, files: string[]) => [...files, file],
      [] as string[],
    )
    .option('--max-depth <n>', 'at most this many intermediate CA certificates on the path (0 to 8; self-issued ones not counted)')
    .action(async (opts: VerifyOptions) => {
      const at = opts.at === undefined ? undefined : parseTimestamp(opts.at, '--at');
      const depth = maxDepth(opts.maxDepth);
      const certificate = {
        bytes: await readInputFile(cli.deps.stdin, opts.certificatePath, 'device certificate'),
        label: `device certificate ${opts.certificatePath}`,
      };
      const chain =
        opts.chainPath === undefined ? undefined : { bytes: await readInputFile(cli.deps.stdin, opts.chainPath, 'chain'), label: `chain ${opts.chainPath}` };
      const crls: Array<{ bytes: Buffer; label: string }> = [];
      for (const path of opts.crlPath) crls.push({ bytes: await readInputFile(cli.deps.stdin, path, 'CRL', { code: 'usage' }), label: `crl ${path}` });
      const identity = { dnsName: opts.dnsName, ipAddress: opts.ipAddress, email: opts.email };
      const { verifyDeviceCertificate, MAX_DEPTH_LIMIT, PURPOSES, purposeNamed, identityInputProblem } = await import('../../../core/device-certificates.js');
      const identityProblem = identityInputProblem(identity);
      if (identityProblem) throw identityFlagError(identityProblem);
      const purpose = opts.purpose === undefined ? undefined : purposeNamed(opts.purpose);
      if (opts.purpose !== undefined && purpose === undefined) {
        throw new UsageError(
          `invalid --purpose "${opts.purpose}": expected one of ${PURPOSES.join(', ')}`,
          'devices authenticate as TLS clients: --purpose client-auth',
        );
      }
      if (depth !== undefined && depth > MAX_DEPTH_LIMIT) {
        throw new UsageError(
          `--max-depth must be a whole number from 0 to ${MAX_DEPTH_LIMIT}`,
          'it counts the intermediate CA certificates between the device certificate and the registered CA',
        );
      }
      const ctx = await cli.core();
      const organizationId = await cli.organizationId();
      cli.output.result(await verifyDeviceCertificate(ctx, { organizationId, certificate, chain, at, purpose, identity, crls, maxDepth: depth }), rendering);
    });
  return documented(command, {
    summary: 'check that a device certificate chains to a registered CA',
    description:
      'Check a device certificate offline with RFC 5280 path validation: signatures, validity (inclusive, at --at), name chaining, basicConstraints and keyUsage of every CA on the path, path length, name constraints, unknown critical extensions and the device certificate policy (keys, signature algorithms, serial numbers, key identifiers), ending at a CA registered in the organization that is verified and active, itself valid at that time. --purpose, --dns-name/--ip-address/--email, --crl-path and --max-depth add the checks they name.',
    examples: [
      'peridio device-certificates verify -c device.pem',
      'peridio device-certificates verify -c device.pem --chain-path intermediates.pem --at 2025-06-01T00:00:00Z',
      'peridio device-certificates verify -c device.pem --purpose client-auth --dns-name device-42.fleet.example.com',
      'peridio device-certificates verify -c device.pem --chain-path intermediates.pem --crl-path root.crl --crl-path issuing.crl --max-depth 1',
      'peridio device-certificates verify -c device.pem --json',
    ],
    exitCodes: [
      [
        3,
        'the certificate does not chain to a registered, verified and active CA, or breaks a checked rule (the reason is printed); or a CRL lists it (code revoked)',
      ],
      [4, 'the organization does not exist'],
    ],
  });
}
