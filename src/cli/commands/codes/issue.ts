/** `peridio codes short|long|phrase --user U --purpose P [--authorize] [--ttl D]` */
import { Command } from 'commander';
import { formatDuration } from '../../../core/duration.js';
import { issueOneTimeCode, ONE_TIME_CODE_TTL, prepareOneTimeCode, type OneTimeCodeType } from '../../../core/one-time-codes/index.js';
import type { Cli } from '../../cli.js';
import { documented } from '../../help.js';
import { parseTtl } from '../../parse.js';
import { withPairOptions, type PairOptions } from './flags.js';
import { issuedRendering } from './render.js';
import { COMMAND } from '../../output.js';

const SUMMARY: Record<OneTimeCodeType, string> = {
  short: 'issue a 6-digit code, for a user to type',
  long: 'issue a 32-character base64url code, for links, push messages and QR codes',
  phrase: 'issue a 12-word BIP-39 phrase, for a user to write down',
};

/** The issuing verb for one code type. */
export function issueCommand(cli: Cli, type: OneTimeCodeType): Command {
  const ttl = ONE_TIME_CODE_TTL[type];
  const range = `${formatDuration(ttl.minMs)} to ${formatDuration(ttl.maxMs)}`;
  const command = withPairOptions(new Command(type), false)
    .option('--authorize', 'issue it already authorized (after checking who the user is)')
    .option('--ttl <duration>', `how long the code stays valid: ${range} (default ${formatDuration(ttl.defaultMs)})`)
    .action(async (opts: PairOptions & { authorize?: boolean; ttl?: string }) => {
      const ttlMs = parseTtl(opts.ttl, ttl);
      // A short code's scrypt hash runs on another thread while the store opens.
      const prepared = await prepareOneTimeCode(type, cli.deps.random);
      const ctx = await cli.core();
      const organizationId = await cli.organizationId();
      const issued = await issueOneTimeCode(ctx, {
        organizationId,
        type,
        userId: opts.user,
        purpose: opts.purpose,
        authorize: opts.authorize === true,
        ttlMs,
        prepared,
      });
      cli.output.result(issued, issuedRendering);
      if (!issued.is_authorized) {
        cli.output.hint(
          `the code must be authorized before it can be redeemed: ${COMMAND} codes authorize --user ${issued.user_id} --purpose ${issued.purpose}`,
        );
      }
    });
  return documented(command, {
    summary: SUMMARY[type],
    description: `${SUMMARY[type][0]!.toUpperCase()}${SUMMARY[type].slice(1)}, tied to one user and purpose. It is valid for ${formatDuration(ttl.defaultMs)} unless --ttl says otherwise (${range}), can be redeemed once, and must be authorized first unless issued with --authorize.\n\nThe code is printed once and stored only as a ${type === 'short' ? 'salted scrypt hash' : 'HMAC'}: it cannot be shown again.`,
    examples: [
      `peridio codes ${type} --user alice@example.com --purpose add_credential`,
      `CODE=$(peridio codes ${type} --user alice@example.com --purpose temporary_authentication --authorize -q)`,
      `peridio codes ${type} --user 4f1c2d --purpose account_recovery --ttl ${formatDuration(ttl.maxMs)} --json`,
    ],
    exitCodes: [
      [4, 'the organization does not exist'],
      ...(type === 'short' ? [[5, 'limit_exceeded: the user already has 5 active short codes for this purpose'] as const] : []),
    ],
  });
}
