/** `peridio ca-certificates verification-codes create` (and its aliases) */
import { Command } from 'commander';
import { resolveTtl } from '../../../core/duration.js';
import { UsageError } from '../../../core/errors.js';
import { parseVerificationCodeLength } from '../../../core/codes/verification-code-format.js';
import { issueVerificationCode, VERIFICATION_CODE_TTL } from '../../../core/verification-codes.js';
import type { Cli } from '../../cli.js';
import { documented } from '../../help.js';
import { issuedRendering, nextSteps } from './render.js';

interface CreateOptions {
  ttl?: string;
  length?: string;
  certificate?: string;
  ifMatch?: string;
}

/** The create verb, under the name `name` (`create`, or `create-verification-code`). */
export function createCommand(cli: Cli, name = 'create'): Command {
  const command = new Command(name)
    .option('--ttl <duration>', 'how long the code stays valid: 5m to 7d (default 24h)')
    .option('--length <n>', 'number of characters: 32 to 64 (default 32)')
    .option('--certificate <name|prn>', 'bind the code to this registered, unverified CA (Azure flow)')
    .option('--if-match <etag>', 'with --certificate: only if the CA\'s etag is still this one (default *: any)')
    .action(async (opts: CreateOptions) => {
      const ttlMs = resolveTtl(opts.ttl, VERIFICATION_CODE_TTL);
      const length = parseVerificationCodeLength(opts.length);
      if (opts.ifMatch !== undefined && opts.certificate === undefined) {
        throw new UsageError('--if-match needs --certificate', 'bind the code to a CA with --certificate NAME|PRN');
      }
      const ctx = await cli.core();
      const organizationId = await cli.organizationId();
      // Binding to a CA loads the CA modules; plain codes stay on the fast path.
      const issued = opts.certificate === undefined
        ? issueVerificationCode(ctx, { organizationId, ttlMs, length })
        : (await import('../../../core/ca-certificates/bind-code.js')).issueBoundVerificationCode(ctx, { organizationId, certificate: opts.certificate, ifMatch: opts.ifMatch }, { ttlMs, length });
      cli.output.result(issued, issuedRendering);
      const [first, ...rest] = nextSteps(issued.code, issued.certificate_prn);
      cli.output.hint([first, ...rest].join('\n'));
    });
  return documented(command, {
    summary: 'issue a single-use verification code for CA registration',
    description: 'Issue a single-use, time-limited verification code. Put it in the Common Name of a verification certificate signed by your CA\'s private key, then register the CA with both certificates to prove you hold the key.\n\nThe code is printed once and stored only as an HMAC: it cannot be shown again.',
    examples: [
      'peridio ca-certificates verification-codes create',
      'CODE=$(peridio ca-certificates verification-codes create --ttl 1h -q)',
      'peridio ca-certificates verification-codes create --length 64 --json',
      'peridio ca-certificates verification-codes create --certificate factory-ca --if-match 3f9c2a7d01b4e856',
    ],
    exitCodes: [
      [4, 'the organization or the --certificate CA does not exist'],
      [5, 'stale --if-match, or the --certificate CA is already verified'],
    ],
  });
}
