/**
 * Finds the store and its key from flags, environment and XDG defaults, and opens it.
 *
 * Key sources, first match wins: `--passphrase-file` / VERICODE_PASSPHRASE_FILE,
 * VERICODE_PASSPHRASE, `--key-file` / VERICODE_KEY_FILE, the default key file, and on
 * a TTY a hidden passphrase prompt. With no store at the default path and no key
 * source at all, a key file and a store are created and the user is told so.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { StoreError, UsageError } from '../core/errors.js';
import type { RandomSource } from '../core/ports.js';
import { readBoundedFile } from '../store/bounded-file.js';
import { createOrAdoptKeyFile, isExposedToOthers, MAX_KEY_FILE_BYTES, readKeyFile } from '../store/key-file.js';
import type { StoreKey } from '../core/records.js';

type Env = Record<string, string | undefined>;

/** The flags that locate and unlock the store. */
export interface StoreLocation {
  store?: string;
  keyFile?: string;
  passphraseFile?: string;
}

/** `${XDG_DATA_HOME:-~/.local/share}/vericode/store.db`, or `--store` / VERICODE_STORE. */
export function storePath(flags: StoreLocation, env: Env): string {
  return flags.store ?? nonEmpty(env.VERICODE_STORE) ?? join(nonEmpty(env.XDG_DATA_HOME) ?? join(home(env), '.local', 'share'), 'vericode', 'store.db');
}

/** `${XDG_CONFIG_HOME:-~/.config}/vericode/store.key`. */
export function defaultKeyFilePath(env: Env): string {
  return join(nonEmpty(env.XDG_CONFIG_HOME) ?? join(home(env), '.config'), 'vericode', 'store.key');
}

/** The key file named by `--key-file` or VERICODE_KEY_FILE, if any. */
export function explicitKeyFile(flags: StoreLocation, env: Env): string | undefined {
  return flags.keyFile ?? nonEmpty(env.VERICODE_KEY_FILE);
}

/**
 * The passphrase from `--passphrase-file` / VERICODE_PASSPHRASE_FILE or
 * VERICODE_PASSPHRASE, if either is set, with where it came from. Never from argv.
 * @throws UsageError when the file cannot be read or is empty.
 */
export function passphraseFromSources(flags: StoreLocation, env: Env): { passphrase: Uint8Array; source: string } | undefined {
  const file = flags.passphraseFile ?? nonEmpty(env.VERICODE_PASSPHRASE_FILE);
  if (file !== undefined) return { passphrase: readPassphraseFile(file), source: `the passphrase file ${file}` };
  const text = nonEmpty(env.VERICODE_PASSPHRASE);
  return text === undefined ? undefined : { passphrase: Buffer.from(text, 'utf8'), source: 'VERICODE_PASSPHRASE' };
}

/**
 * The passphrase in `file`: its bytes as they are, without one final newline (LF or
 * CRLF). The bytes are not decoded: two files that differ in any byte are two
 * passphrases, whatever their encoding.
 * @throws UsageError when the file cannot be read, is not a regular file, is larger
 * than 4 KiB, or is empty.
 */
export function readPassphraseFile(file: string): Buffer {
  const { bytes } = readBoundedFile(file, {
    label: 'passphrase file',
    maxBytes: MAX_KEY_FILE_BYTES,
    tooLargeHint: 'a passphrase file holds the passphrase on one line',
  });
  let end = bytes.length;
  if (bytes[end - 1] === 0x0a) end -= bytes[end - 2] === 0x0d ? 2 : 1;
  if (end === 0) throw new UsageError(`passphrase file ${file} is empty`);
  return bytes.subarray(0, end);
}

/** How the key was found, so the caller can tell the user what happened. */
export type KeyResolution =
  | { kind: 'key'; key: StoreKey; keyFile?: string }
  | { kind: 'created-key-file'; key: StoreKey; keyFile: string }
  | { kind: 'prompt' };

/**
 * Chooses the key for the store at `path` (see the module comment for the order).
 * @throws StoreError (`store_locked`) when `--store` / VERICODE_STORE names a path
 * where nothing is, or the store exists and no key source is set.
 */
export function resolveStoreKey(path: string, flags: StoreLocation, env: Env, random: RandomSource, canPrompt: () => boolean, remote = false): KeyResolution {
  // A server's store is made only by `init`: never a key file for one on first use.
  const storeExists = remote || existsSync(path);
  // Only the default store appears on first use: a mistyped --store must not quietly
  // become a new, empty store (and a new key file).
  if (!storeExists && (flags.store !== undefined || nonEmpty(env.VERICODE_STORE) !== undefined)) {
    throw new StoreError('store_locked', `no store at ${path}`, { kind: 'create_store', path });
  }
  const given = passphraseFromSources(flags, env);
  if (given !== undefined) return { kind: 'key', key: { mode: 'passphrase', ...given } };
  const keyFile = explicitKeyFile(flags, env);
  if (keyFile !== undefined) {
    if (!storeExists && !existsSync(keyFile)) return firstRunKey(keyFile, random);
    return { kind: 'key', key: { mode: 'key-file', key: readKeyFile(keyFile), keyFile }, keyFile };
  }
  const defaultKeyFile = defaultKeyFilePath(env);
  if (existsSync(defaultKeyFile)) {
    return { kind: 'key', key: { mode: 'key-file', key: readKeyFile(defaultKeyFile), keyFile: defaultKeyFile }, keyFile: defaultKeyFile };
  }
  if (!storeExists) return firstRunKey(defaultKeyFile, random);
  if (canPrompt()) return { kind: 'prompt' };
  throw new StoreError(
    'store_locked',
    `no passphrase or key for ${path}`,
    'pass --key-file or --passphrase-file, or set VERICODE_KEY_FILE, VERICODE_PASSPHRASE_FILE or VERICODE_PASSPHRASE',
  );
}

/**
 * The new key file of a first run; when another first run made it a moment earlier
 * (two commands started at once on a fresh machine), its key: both then open the one
 * store the faster one creates.
 */
function firstRunKey(keyFile: string, random: RandomSource): KeyResolution {
  const { key, created } = createOrAdoptKeyFile(keyFile, random);
  return { kind: created ? 'created-key-file' : 'key', key: { mode: 'key-file', key, keyFile }, keyFile };
}

/** Files whose permissions let other users read them, for a warning. */
export function exposedFiles(paths: ReadonlyArray<string | undefined>): string[] {
  return paths.filter((p): p is string => p !== undefined && isExposedToOthers(p));
}

function home(env: Env): string {
  return nonEmpty(env.HOME) ?? homedir();
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
