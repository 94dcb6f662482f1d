/** `peridio audit verify` */
import { existsSync } from 'node:fs';
import { Command } from 'commander';
import { isAnchorHash, NoSuchAuditEventError, parseAnchor, verifyAuditChain, type VerifyAuditOptions } from '../../../core/audit.js';
import { UsageError } from '../../../core/errors.js';
import type { Cli } from '../../cli.js';
import { documented } from '../../help.js';
import { COMMAND } from '../../output.js';
import { withProgress } from '../../progress.js';
import { readInputFile } from '../../read-input.js';

/** An anchor file is one small JSON document. */
const MAX_ANCHOR_BYTES = 4096;

export function verifyCommand(cli: Cli): Command {
  const command = new Command('verify')
    .option('--anchor <file|hash>', 'fail unless the log still holds this anchor: a file written by audit anchor, or a head hash')
    .option('--since <seq>', 'recompute the chain from this event on, trusting the stored hash of the event before it')
    .action(async (opts: { anchor?: string; since?: string }) => {
      const options: VerifyAuditOptions = {
        since: opts.since === undefined ? undefined : parseSeq(opts.since),
        anchor: opts.anchor === undefined ? undefined : await readAnchor(cli, opts.anchor),
      };
      const ctx = await cli.core();
      const result = await withProgress(cli, (progress) =>
        verifyAuditChain(ctx, {
          ...options,
          onProgress: (checked, total) =>
            progress.update(`verifying the audit chain: ${checked} of ${total} events (${Math.floor((checked * 100) / Math.max(total, 1))}%)`),
        }).catch((error: unknown) => {
          // Which events exist is known only in the store: the core says which, the CLI names the flag.
          if (error instanceof NoSuchAuditEventError) {
            throw new UsageError(`invalid --since ${error.seq}: it must be the number of an event, from 1 to ${error.last}`);
          }
          throw error;
        }),
      );
      cli.output.result(result, {
        quiet: (r) => r.head_hash,
        human: (r, view) =>
          view.fields([
            ['status', view.style.green('ok')],
            ['events', r.since === undefined ? r.events : `${r.events} (from event ${r.since})`],
            ['head hash', r.head_hash],
            ...(r.anchor ? [['anchor', `event ${r.anchor.seq} ${r.anchor.hash}`] as [string, string]] : []),
          ]),
      });
    });
  return documented(command, {
    summary: 'recompute the audit chain, check an anchor, and hold the store against the log',
    description: [
      'Recompute the hash of every audit event and check that each links to the one before it. Then check the store against the log: every consumed or invalidated code has its event, no code was spent twice, a code the log spent is spent in the store, and the codes issued equal the codes held plus those purged. A log of 100,000 events or more is checked on two threads, each reading the store on a connection of its own. On a terminal, progress is shown on stderr for long chains.',
      '',
      'The chain alone shows the log is consistent, not that it is the latest: a store copied back from an older file, or rewritten by someone with the key, verifies too. Keep an anchor elsewhere (peridio audit anchor --out F) and pass it with --anchor: verify then fails unless the log still holds that event with that hash. With --since SEQ only events from SEQ on are recomputed (use the seq of an anchor you verified before).',
    ].join('\n'),
    examples: [
      'peridio audit verify',
      'peridio audit verify --anchor /media/offline/anchor.json',
      'peridio audit verify --anchor anchor.json --since "$(jq .seq anchor.json)" --json',
    ],
    exitCodes: [
      [2, 'a bad --since or --anchor'],
      [3, 'the chain is broken, the anchor is not in the log, or the store disagrees with the log: the message names the event or code'],
    ],
  });
}

function parseSeq(text: string): number {
  const value = /^[0-9]{1,15}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!(value >= 1)) throw new UsageError(`invalid --since "${text}": it must be an event number (seq), 1 or more`);
  return value;
}

/** `--anchor`: a bare 64-hex hash (unless a file of that name exists), or an anchor file. */
async function readAnchor(cli: Cli, text: string): Promise<VerifyAuditOptions['anchor']> {
  if (isAnchorHash(text) && !existsSync(text)) return { hash: text };
  const contents = (await readInputFile(cli.deps.stdin, text, 'anchor file', { maxBytes: MAX_ANCHOR_BYTES, code: 'usage' })).toString('utf8');
  try {
    return parseAnchor(contents, `anchor file ${text}`);
  } catch (error) {
    // The core describes the format; the CLI names the command that writes it.
    if (error instanceof UsageError && error.code === 'invalid_format') {
      throw new UsageError(
        `anchor file ${text} is not an audit anchor: expected JSON {"seq", "hash", "at"} as ${COMMAND} audit anchor writes it, or a 64-character hex hash`,
        undefined,
        'invalid_format',
      );
    }
    throw error;
  }
}
