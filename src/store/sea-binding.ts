/**
 * The SQLite addon of the release executable (a Node single executable application):
 * it travels inside the executable as the asset `better_sqlite3.node`, and Node can
 * load an addon only from a file. It is unpacked into the user's private cache
 * directory (./private-directory.ts: every component checked to be safe from other
 * users), never into a shared path such as /tmp, under a name made of its SHA-256, and
 * loaded only after the file's SHA-256 matches the one the release build put into the
 * bundle. A file is written under a temporary name and renamed into place, so processes
 * starting at once each see either no file or a whole one.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StoreError } from '../core/errors.js';
import { privateCacheDirectory } from './private-directory.js';

/** The asset's SHA-256, hex: replaced by the release build (scripts/release.mjs), absent elsewhere. */
declare const __VERICODE_SQLITE_ADDON_SHA256__: string | undefined;

const ASSET = 'better_sqlite3.node';

interface SeaModule {
  isSea(): boolean;
  getRawAsset(key: string): ArrayBuffer;
}

function seaModule(): SeaModule | undefined {
  try {
    return process.getBuiltinModule?.('node:sea') as SeaModule | undefined;
  } catch {
    return undefined;
  }
}

/** Whether this process is the release executable. */
export function isReleaseExecutable(): boolean {
  return seaModule()?.isSea() === true;
}

/**
 * Unpacks the executable's addon (when not yet done) and checks it: its path, for
 * loading right away.
 * @throws StoreError `sqlite_unavailable` when there is no private directory for it or
 * the unpacked file does not match.
 */
export function unpackReleaseAddon(env: Record<string, string | undefined> = process.env): string {
  const expected = typeof __VERICODE_SQLITE_ADDON_SHA256__ === 'string' ? __VERICODE_SQLITE_ADDON_SHA256__ : undefined;
  if (!expected) throw unavailable('this executable was built without the checksum of its sqlite addon', 'rebuild it with: npm run release');
  const directory = privateCacheDirectory(env, process.getuid?.(), 'sqlite');
  if (!directory) {
    throw unavailable(
      'found no private directory to unpack the sqlite addon into (${XDG_CACHE_HOME:-$HOME/.cache}/vericode/sqlite)',
      'set HOME or XDG_CACHE_HOME to a directory that you own and that no other user can write to',
    );
  }
  const path = join(directory, `better_sqlite3-${expected}.node`);
  if (sha256OfFile(path) !== expected) {
    unpack(path, new Uint8Array(seaModule()!.getRawAsset(ASSET)));
    const written = sha256OfFile(path);
    if (written !== expected)
      throw unavailable(
        `the unpacked sqlite addon ${path} does not match this executable (sha-256 ${written ?? 'unreadable'})`,
        'the executable may be damaged: check it against SHA256SUMS',
      );
  }
  return path;
}

/**
 * Read in pieces into one small buffer: every start hashes the whole addon (2.7 MB),
 * and reading it into a buffer of its size cost more than the hashing (measured on
 * Node 24: a fresh 2.7 MB buffer is that many page faults; 64 KiB pieces about a third
 * of the time of readFileSync and one update).
 */
const PIECE = 64 * 1024;

/** The SHA-256 of the regular file at `path` (not followed through a symbolic link), or undefined. */
function sha256OfFile(path: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return undefined;
  }
  try {
    if (!fstatSync(fd).isFile()) return undefined;
    const hash = createHash('sha256');
    const piece = Buffer.allocUnsafe(PIECE);
    for (let read = readSync(fd, piece); read > 0; read = readSync(fd, piece)) hash.update(piece.subarray(0, read));
    return hash.digest('hex');
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

function unpack(path: string, content: Uint8Array): void {
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    writeFileSync(temporary, content, { mode: 0o600, flag: 'wx' });
    renameSync(temporary, path);
  } catch (error) {
    try {
      unlinkSync(temporary);
    } catch {
      // Nothing was left behind.
    }
    throw unavailable(
      `cannot unpack the sqlite addon into ${path}: ${(error as Error).message.toLowerCase()}`,
      'check free disk space and the permissions of that directory',
    );
  }
}

function unavailable(message: string, hint: string): StoreError {
  return new StoreError('sqlite_unavailable', message, hint);
}
