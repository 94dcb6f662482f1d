/** `peridio store migrate` */
import { Command, Option } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { StoreError, UsageError } from '../../../core/errors.js';
import { COMMAND } from '../../output.js';
import { migrateStore, type MigrateProgress, type MigrateResult } from '../../../core/store-migrate.js';
import type { StoreKey } from '../../../core/records.js';
import type { StorePort } from '../../../core/store-port.js';
import { readKeyFile } from '../../../store/key-file.js';
import { removeIfPresent } from '../../../store/snapshot.js';
import type { Cli } from '../../cli.js';
import { documented } from '../../help.js';
import { isStoreUrl, openStoreAt } from '../../open-store.js';
import type { Rendering } from '../../output.js';
import { withProgress } from '../../progress.js';
import { exposedFiles, readPassphraseFile } from '../../store-access.js';

interface MigrateFlags {
  to: string;
  toKeyFile?: string;
  toPassphraseFile?: string;
}

const rendering: Rendering<MigrateResult> = {
  quiet: (r) => r.target.location,
  human: (r, view) =>
    view.fields([
      ['source', `${r.source.location} (${r.source.kind})`],
      ['target', `${r.target.location} (${r.target.kind})`],
      ...Object.entries(r.tables).map(([table, rows]) => [table.replaceAll('_', ' '), rows] as const),
      ['audit head', r.audit.head_hash],
      ['target audit head', `${r.target.audit.head_hash} (store.migrate, event ${r.target.audit.events})`],
    ]),
};

function progressText(p: MigrateProgress): string {
  if (p.step === 'copying') return `migrate: copying ${p.table.replaceAll('_', ' ')}: ${p.rows} rows`;
  return `migrate: checking the ${p.side}'s audit log: ${p.checked} of ${p.total} events`;
}

export function migrateCommand(cli: Cli): Command {
  const command = new Command('migrate')
    .requiredOption('--to <url|path>', 'the new store: a file path, or postgres://user@host:port/database')
    .addOption(
      new Option('--to-key-file <path>', 'encrypt the new store with the key in this file (default: the key of the store being copied)').conflicts(
        'toPassphraseFile',
      ),
    )
    .addOption(new Option('--to-passphrase-file <path>', 'encrypt the new store with the passphrase in this file'))
    .action(async (flags: MigrateFlags) => {
      const to = flags.to.trim();
      if (to === '') throw new UsageError('--to needs a file path or a postgres:// URL');
      const toKey = targetKey(flags);
      // Only the default store is made on first use: there is nothing to copy yet.
      if (!isStoreUrl(cli.storePath) && !existsSync(cli.storePath)) {
        throw new StoreError('store_locked', `no store at ${cli.storePath} to migrate`, 'name the store to copy with --store or VERICODE_STORE');
      }
      const ctx = await cli.core();
      refuseSameStore(ctx.store, to);
      const location = isStoreUrl(to) ? to : resolve(to);
      // A new file is removed when the migration fails: it holds nothing worth keeping.
      const newFile = !isStoreUrl(to) && !existsSync(location) ? location : undefined;
      const target = await openTarget(location, toKey ?? cli.storeKey);
      let result: MigrateResult;
      try {
        result = await withProgress(cli, (progress) =>
          migrateStore(ctx.store, target, {
            clock: cli.deps.clock,
            random: cli.deps.random,
            onProgress: (p) => progress.update(progressText(p)),
          }),
        );
      } catch (error) {
        await target.close();
        if (newFile) for (const file of [newFile, `${newFile}-wal`, `${newFile}-shm`]) removeIfPresent(file);
        throw error;
      }
      await target.close();
      cli.output.result(result, rendering);
      for (const file of exposedFiles([flags.toKeyFile])) cli.output.warn(`${file} is readable by other users: run chmod 600 ${file}`);
    });
  return documented(command, {
    summary: 'copy the whole store into a new store file or an empty PostgreSQL database',
    description: [
      'Copy every record and the whole audit log (verbatim: same events, same hashes) into a new store: a file path (created) or a postgres:// URL naming an empty database (its tables are created). The new store is encrypted with the same key file or passphrase unless --to-key-file or --to-passphrase-file says otherwise.',
      '',
      "The copy is one transaction in the target: interrupted, the target stays empty and the command can simply be run again. The store being copied is only read, never changed, so a read-only store can be migrated and others may keep using it meanwhile (their later changes are not copied). Afterwards the audit log is checked on both sides (the same chain up to the same head, records agreeing with the log), and the counts of records by status must match. Then a store.migrate event, naming the source, is appended to the new store's log.",
    ].join('\n'),
    examples: [
      'peridio store migrate --to postgres://vericode@db.example.com:5432/vericode',
      'VERICODE_STORE=postgres://vericode@db.example.com/vericode peridio store migrate --to ./store-copy.db --json',
      'peridio store migrate --to postgres://vericode@db.example.com/vericode --to-key-file /run/secrets/team.key',
    ],
    exitCodes: [
      [3, "the audit log does not verify on one side (nothing is copied when the source's chain is broken)"],
      [5, 'the target already holds records'],
      [7, 'the target: a wrong key, not a vericode store, or a database that cannot be reached'],
    ],
  });
}

/**
 * Opens (or creates, without a default organization) the target. The adapters' hints
 * name the flags of the store in use and `init`: here the target's key comes from
 * --to-key-file or --to-passphrase-file, and a missing database is made with createdb,
 * not `init` (which would leave it holding a store).
 */
async function openTarget(location: string, key: StoreKey): Promise<StorePort> {
  try {
    return await openStoreAt(location, key, { create: true });
  } catch (error) {
    if (!(error instanceof StoreError) || error.code !== 'store_locked') throw error;
    if (error.message.startsWith('wrong passphrase or key for ')) {
      throw new StoreError(
        'store_locked',
        error.message,
        'the target is a store under another key: pass its key with --to-key-file or --to-passphrase-file (the default is the key of the store being copied), or migrate into a new file or an empty database',
        { cause: error },
      );
    }
    if (error.next?.kind === 'create_store' || error.next?.kind === 'create_database_and_store') {
      throw new StoreError('store_locked', error.message, 'create the empty database first (createdb), then run the migration again', { cause: error });
    }
    throw error;
  }
}

/** The key for the target from its own flags, if given. */
function targetKey(flags: MigrateFlags): StoreKey | undefined {
  if (flags.toKeyFile !== undefined) return { mode: 'key-file', key: readKeyFile(flags.toKeyFile), keyFile: flags.toKeyFile };
  if (flags.toPassphraseFile !== undefined)
    return { mode: 'passphrase', passphrase: readPassphraseFile(flags.toPassphraseFile), source: `the passphrase file ${flags.toPassphraseFile}` };
  return undefined;
}

/**
 * Copying a store onto itself would find it not empty anyway; this says what happened.
 * Files are compared by identity (two paths to one file are one store), databases by
 * host, port and name (any user or password).
 */
function refuseSameStore(source: StorePort, to: string): void {
  const same = source.kind === 'postgres' ? isStoreUrl(to) && databaseOf(to) === databaseOf(source.location) : !isStoreUrl(to) && sameFile(source.location, to);
  if (same)
    throw new UsageError(
      `--to ${to} is the store being copied`,
      `name a new file or another database; the store in use is chosen with --store or VERICODE_STORE (see ${COMMAND} store info)`,
    );
}

function sameFile(a: string, b: string): boolean {
  if (resolve(a) === resolve(b)) return true;
  try {
    const [sa, sb] = [statSync(a), statSync(b)];
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return false;
  }
}

function databaseOf(url: string): string {
  const u = new URL(url);
  return `${u.hostname.toLowerCase()}:${u.port || '5432'}/${decodeURIComponent(u.pathname.slice(1))}`;
}
