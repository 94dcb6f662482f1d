/** `peridio ca-certificates verification-codes create` (and its aliases) */
import { Command } from 'commander';
import { UsageError } from '../../../core/errors.js';
import { VERIFICATION_CODE_DEFAULT_LENGTH, VERIFICATION_CODE_MAX_LENGTH, VERIFICATION_CODE_MIN_LENGTH } from '../../../core/codes/verification-code-format.js';
import { issueVerificationCode, VERIFICATION_CODE_TTL } from '../../../core/verification-codes.js';
import type { Cli } from '../../cli.js';
import { documented } from '../../help.js';
import { parseTtl } from '../../parse.js';
import { addIfMatchOptions, ifMatchFrom, type IfMatchOptions } from '../ca-certificates/options.js';
import { issuedRendering, nextSteps } from './render.js';

interface CreateOptions extends IfMatchOptions {
  ttl?: string;
  length?: string;
  certificate?: string;
}

/** The create verb, under the name `name` (`create`, or `create-verification-code`). */
export function createCommand(cli: Cli, name = 'create'): Command {
  const command = new Command(name)
    .option('--ttl <duration>', 'how long the code stays valid: 5m to 7d (default 24h)')
    .option('--length <n>', 'number of characters: 32 to 64 (default 32)')
    .option('--certificate <name|prn>', 'bind the code to this registered, unverified CA (Azure flow): the CA gets a new etag, and its earlier codes end');
  addIfMatchOptions(command, "with --certificate: only if the CA's etag is still this one (default *: any)").action(async (opts: CreateOptions) => {
    const ttlMs = parseTtl(opts.ttl, VERIFICATION_CODE_TTL);
    const length = parseVerificationCodeLength(opts.length);
    const ifMatch = ifMatchFrom(opts);
    if (ifMatch !== undefined && opts.certificate === undefined) {
      throw new UsageError(`${opts.etag === undefined ? '--if-match' : '--etag'} needs --certificate`, 'bind the code to a CA with --certificate NAME|PRN');
    }
    const ctx = await cli.core();
    const organizationId = await cli.organizationId();
    // Binding to a CA loads the CA modules; plain codes stay on the fast path.
    const issued =
      opts.certificate === undefined
        ? await issueVerificationCode(ctx, { organizationId, ttlMs, length })
        : await (await import('../../../core/ca-certificates/bind-code.js')).issueBoundVerificationCode(
            ctx,
            { organizationId, certificate: opts.certificate, ifMatch },
            { ttlMs, length },
          );
    cli.output.result(issued, issuedRendering);
    cli.output.hint(nextSteps(issued.code, opts.certificate ?? null).join('\n'));
  });
  return documented(command, {
    summary: 'issue a single-use verification code for CA registration',
    description:
      "Issue a single-use, time-limited verification code. Put it in the Common Name of a verification certificate signed by your CA's private key, then register the CA with both certificates to prove you hold the key.\n\nThe code is printed once and stored only as an HMAC: it cannot be shown again.\n\nWith --certificate (Azure flow), the code is bound to a registered, unverified CA: binding is a change of the CA, so the CA gets a new etag (certificate_etag, for verify --if-match), and the CA's earlier live codes are superseded: a CA has one live code, as Azure keeps one nonce.",
    examples: [
      'peridio ca-certificates verification-codes create',
      'CODE=$(peridio ca-certificates verification-codes create --ttl 1h -q)',
      'peridio ca-certificates verification-codes create --length 64 --json',
      'peridio ca-certificates verification-codes create --certificate factory-ca --if-match 3f9c2a7d01b4e856',
      'peridio verification-codes create --certificate factory-ca --etag "$ETAG" --json | jq -r .certificate_etag',
    ],
    exitCodes: [
      [4, 'the organization or the --certificate CA does not exist'],
      [5, 'stale --if-match, or the --certificate CA is already verified'],
    ],
  });
}

/**
 * `--length` text: the default when absent.
 * @throws UsageError when it is not a whole number from 32 to 64.
 */
export function parseVerificationCodeLength(text: string | undefined): number {
  if (text === undefined) return VERIFICATION_CODE_DEFAULT_LENGTH;
  const value = /^[0-9]{1,3}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!(value >= VERIFICATION_CODE_MIN_LENGTH && value <= VERIFICATION_CODE_MAX_LENGTH)) {
    throw new UsageError(`invalid --length "${text}": it must be a whole number from ${VERIFICATION_CODE_MIN_LENGTH} to ${VERIFICATION_CODE_MAX_LENGTH}`);
  }
  return value;
}
