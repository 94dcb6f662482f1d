/** `peridio store rekey` */
import { Command } from 'commander';
import { existsSync } from 'node:fs';
import { UsageError, VericodeError } from '../../../core/errors.js';
import { COMMAND } from '../../output.js';
import { rekeyStore, type RekeyResult, type RekeyStep } from '../../../core/store-rekey.js';
import { createKeyFile, readKeyFile } from '../../../store/key-file.js';
import { removeIfPresent } from '../../../store/snapshot.js';
import type { StoreKey } from '../../../store/store.js';
import type { Cli } from '../../cli.js';
import { documented } from '../../help.js';
import { newPassphrase } from '../../new-passphrase.js';
import { withProgress } from '../../progress.js';
import { defaultKeyFilePath, explicitKeyFile, readPassphraseFile } from '../../store-access.js';

interface RekeyOptions {
  newKeyFile?: string;
  newPassphraseFile?: string;
  newPassphrase?: boolean;
}

const STEP_TEXT: Record<RekeyStep, string> = {
  locking: 'waiting for sole use of the store',
  copying: 'copying the store',
  encrypting: 're-encrypting the copy (a passphrase takes a moment)',
  verifying: 'checking the re-encrypted copy',
  replacing: 'replacing the store',
};

export function rekeyCommand(cli: Cli): Command {
  const command = new Command('rekey')
    .option('--new-key-file <path>', 'encrypt with the key in this file from now on; created (0600, 32 random bytes) when missing, never overwritten')
    .option('--new-passphrase-file <path>', 'encrypt with the passphrase in this file from now on')
    .option('--new-passphrase', 'encrypt with a new passphrase from VERICODE_NEW_PASSPHRASE, or asked twice on a terminal')
    .action(async (opts: RekeyOptions) => {
      const chosen = [opts.newKeyFile, opts.newPassphraseFile, opts.newPassphrase].filter((o) => o !== undefined).length;
      if (chosen !== 1) {
        throw new UsageError(
          'store rekey needs exactly one of --new-key-file, --new-passphrase-file or --new-passphrase',
          `for example: ${COMMAND} store rekey --new-key-file ~/.config/vericode/new.key`,
        );
      }
      const ctx = await cli.core();
      const oldKeyFile = ctx.store.keyMode === 'key-file' ? (explicitKeyFile(cli.options, cli.deps.env) ?? defaultKeyFilePath(cli.deps.env)) : undefined;
      const { key, createdKeyFile } = await newKey(cli, opts);
      let result: RekeyResult;
      try {
        result = await withProgress(cli, (progress) => rekeyStore(ctx, key, (step) => progress.update(`rekey: ${STEP_TEXT[step]}`)));
      } catch (error) {
        if (createdKeyFile) removeIfPresent(createdKeyFile);
        throw error;
      }
      cli.output.result(
        { ...result, key_file: opts.newKeyFile ?? null },
        {
          quiet: (r) => r.path,
          human: (r, view) =>
            view.fields([
              ['store', r.path],
              ['key mode', `${r.previous_key_mode} -> ${r.key_mode}`],
              ...(r.key_file ? [['key file', r.key_file] as const] : []),
            ]),
        },
      );
      cli.output.hint(nextStep(cli, opts, oldKeyFile));
    });
  return documented(command, {
    summary: 're-encrypt the store under a new key file or passphrase',
    description: [
      'Re-encrypt the whole store under a new key: a key file (--new-key-file), or a passphrase (--new-passphrase-file, or --new-passphrase to take it from VERICODE_NEW_PASSPHRASE or a prompt asked twice). The current key comes from the usual sources (--key-file, --passphrase-file, VERICODE_*).',
      '',
      'The store is re-encrypted as a private copy that then atomically replaces it, so an interruption at any moment leaves a store that opens with the old key or the new one. Rekey needs the store to itself: it waits up to 3 seconds for other processes using it to finish, then refuses (nothing changed); processes that start meanwhile wait for it. Backups made earlier keep the old key.',
    ].join('\n'),
    examples: [
      'peridio store rekey --new-key-file ~/.config/vericode/store-2025.key',
      'peridio store rekey --new-passphrase',
      'VERICODE_KEY_FILE=old.key peridio store rekey --new-passphrase-file /run/secrets/vericode',
    ],
    exitCodes: [[7, 'wrong current key, or the store is in use by another process (nothing changed)']],
  });
}

/** The new key, creating the key file when it is missing. */
async function newKey(cli: Cli, opts: RekeyOptions): Promise<{ key: StoreKey; createdKeyFile?: string }> {
  if (opts.newKeyFile !== undefined) {
    const path = opts.newKeyFile;
    if (existsSync(path)) return { key: { mode: 'key-file', key: readNewKeyFile(path), keyFile: path } };
    return { key: { mode: 'key-file', key: createKeyFile(path, cli.deps.random), keyFile: path }, createdKeyFile: path };
  }
  const fromFile = opts.newPassphraseFile !== undefined;
  const given = fromFile ? readPassphraseFile(opts.newPassphraseFile!) : envPassphrase(cli.deps.env.VERICODE_NEW_PASSPHRASE);
  const passphrase = await newPassphrase(cli, given, {
    message: '--new-passphrase needs a passphrase',
    hint: 'pass --new-passphrase-file, or set VERICODE_NEW_PASSPHRASE',
  });
  const source = fromFile
    ? `the passphrase file ${opts.newPassphraseFile}`
    : given !== undefined
      ? 'VERICODE_NEW_PASSPHRASE'
      : 'the passphrase typed at the prompt';
  return { key: { mode: 'passphrase', passphrase, source } };
}

function envPassphrase(text: string | undefined): Buffer | undefined {
  return text ? Buffer.from(text, 'utf8') : undefined;
}

/**
 * The new key file is an argument: a bad one is a usage error, not a locked store. It
 * is adopted only if it is ours alone: anyone else who can read it would know the key.
 */
function readNewKeyFile(path: string): Buffer {
  try {
    return readKeyFile(path, { adopt: true });
  } catch (error) {
    if (error instanceof VericodeError && !(error instanceof UsageError))
      throw new UsageError(
        `--new-key-file: ${error.message}`,
        error.next === undefined ? error.hint : error.hint === undefined ? error.next : { text: error.hint, next: error.next },
      );
    throw error;
  }
}

function nextStep(cli: Cli, opts: RekeyOptions, oldKeyFile: string | undefined): string {
  const old = oldKeyFile !== undefined && existsSync(oldKeyFile) ? oldKeyFile : undefined;
  if (opts.newKeyFile !== undefined) {
    const unlock = `from now on unlock with --key-file ${opts.newKeyFile} or VERICODE_KEY_FILE`;
    return old ? `${unlock}; ${old} now opens only backups made before this rekey` : `${unlock}, and keep it safe`;
  }
  const unlock = 'from now on unlock with the new passphrase';
  if (!old) return `${unlock}: it cannot be recovered if it is lost`;
  return old === defaultKeyFilePath(cli.deps.env)
    ? `${unlock}; move ${old} away (it now opens only older backups), since the default key file is tried before a passphrase prompt`
    : `${unlock}; stop passing ${old} with --key-file or VERICODE_KEY_FILE: it now opens only older backups`;
}
