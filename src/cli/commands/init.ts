/** `peridio init`: create the store, its key (or passphrase) and its default organization. */
import type { Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { ConflictError } from '../../core/errors.js';
import { DEFAULT_ORGANIZATION_NAME, listOrganizations, type Organization } from '../../core/organizations.js';
import { createKeyFile, readKeyFile } from '../../store/key-file.js';
import { removeIfPresent } from '../../store/snapshot.js';
import type { StoreKey } from '../../store/store.js';
import type { Cli } from '../cli.js';
import { documented } from '../help.js';
import { newPassphrase } from '../new-passphrase.js';
import { isStoreUrl } from '../open-store.js';
import { defaultKeyFilePath, explicitKeyFile, passphraseFromSources } from '../store-access.js';

interface InitResult {
  store: string;
  key_mode: StoreKey['mode'];
  key_file: string | null;
  key_file_created: boolean;
  organization: Organization;
}

/** `peridio init`: options, action and help. */
export function configureInit(command: Command, cli: Cli): void {
  command
    .option('--passphrase', 'encrypt with a passphrase (from --passphrase-file, VERICODE_PASSPHRASE, or a prompt) instead of a key file')
    .option('--org-name <name>', 'name of the default organization', DEFAULT_ORGANIZATION_NAME)
    .action(async (opts: { passphrase?: boolean; orgName: string }) => {
      const path = cli.storePath;
      if (!isStoreUrl(path)) refuseExistingStore(path);
      const { key, keyFile, created } = opts.passphrase ? { key: await passphraseKey(cli), keyFile: null, created: false } : keyFileKey(cli);
      let ctx;
      try {
        ctx = await cli.openStore(path, key, true, opts.orgName);
        // A server's store is found only by opening it.
        if (!ctx.created)
          throw new ConflictError(
            'already_registered',
            `a store already exists at ${ctx.store.location}`,
            'use it as it is, or name another database in --store',
          );
      } catch (error) {
        // A key file made for a store that was never created would only mislead.
        if (created && keyFile !== null) removeIfPresent(keyFile);
        throw error;
      }
      const organization = (await listOrganizations(ctx)).find((o) => o.is_default)!;
      const result: InitResult = { store: ctx.store.location, key_mode: key.mode, key_file: keyFile, key_file_created: created, organization };
      cli.output.result(result, {
        quiet: (r) => r.organization.prn,
        human: (r, view) =>
          view.fields([
            ['store', r.store],
            ['key mode', r.key_mode],
            ...(r.key_file ? [['key file', `${r.key_file}${r.key_file_created ? ' (new)' : ''}`] as const] : []),
            ['organization', `${r.organization.name} (${r.organization.prn})`],
          ]),
      });
      if (created) cli.output.hint('keep the key file safe and private: without it the store cannot be opened');
    });
  documented(command, {
    summary: 'create the encrypted store and its default organization',
    description:
      'Create the encrypted store and its default organization.\n\nBy default the store is encrypted with a raw 256-bit key kept in a key file (--key-file, VERICODE_KEY_FILE, or ~/.config/vericode/store.key), created with mode 0600 when it does not exist; an existing one must belong to you and be readable by no one else. With --passphrase, SQLCipher derives the key from a passphrase instead. With --store PATH the store is created there: other commands only create the default store, and refuse a --store path where no store is.',
    examples: [
      'peridio init',
      'peridio init --key-file /secure/vericode.key --org-name acme',
      'VERICODE_PASSPHRASE_FILE=/run/secrets/pass peridio init --passphrase',
    ],
    exitCodes: [[5, 'a store already exists at that path']],
  });
}

function keyFileKey(cli: Cli): { key: StoreKey; keyFile: string; created: boolean } {
  const keyFile = explicitKeyFile(cli.options, cli.deps.env) ?? defaultKeyFilePath(cli.deps.env);
  const created = !existsSync(keyFile);
  // An existing key file is adopted only if it is ours alone: anyone else who can read it knows the key.
  const key = created ? createKeyFile(keyFile, cli.deps.random) : readKeyFile(keyFile, { adopt: true });
  return { key: { mode: 'key-file', key, keyFile }, keyFile, created };
}

async function passphraseKey(cli: Cli): Promise<StoreKey> {
  const given = passphraseFromSources(cli.options, cli.deps.env);
  const passphrase = await newPassphrase(cli, given?.passphrase, {
    message: '--passphrase needs a passphrase',
    hint: 'pass --passphrase-file, or set VERICODE_PASSPHRASE_FILE or VERICODE_PASSPHRASE',
  });
  return { mode: 'passphrase', passphrase, source: given?.source ?? 'the passphrase typed at the prompt' };
}

function refuseExistingStore(path: string): void {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return;
  }
  if (size === 0) {
    throw new ConflictError(
      'already_registered',
      `an empty file is at ${path}`,
      `a failed init of version 0.1.0 leaves one: if nothing else uses ${path}, remove it and run init again`,
    );
  }
  throw new ConflictError('already_registered', `a store already exists at ${path}`, 'use it as it is, or pass --store PATH to create another');
}
