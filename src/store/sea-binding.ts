/**
 * The SQLite addon of the release executable (a Node single executable application):
 * it travels inside the executable as the asset `better_sqlite3.node`, and Node can
 * load an addon only from a file. It is unpacked into the user's private cache
 * directory (./private-directory.ts: every component checked to be safe from other
 * users), never into a shared path such as /tmp, under a name made of its SHA-256. A
 * file is written under a temporary name and renamed into place, so processes starting
 * at once each see either no file or a whole one.
 *
 * Nothing is loaded unchecked. Unpacking checks the asset's SHA-256 against the one the
 * release build put into the bundle (a damaged executable is refused), and every start
 * loads the file only when it is byte for byte the executable's own asset: the same
 * check as its SHA-256 (no other content passes), without hashing 2.7 MB and without
 * loading node:crypto (together about a tenth of `node -e 0` on every start).
 */
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
  // The executable's own bytes, not a copy (getRawAsset): read-only here.
  const asset = new Uint8Array(seaModule()!.getRawAsset(ASSET));
  if (hasContent(path, asset)) return path;
  const { createHash, randomBytes } = process.getBuiltinModule('node:crypto');
  const actual = createHash('sha256').update(asset).digest('hex');
  if (actual !== expected) {
    throw unavailable(
      `the sqlite addon inside this executable is damaged (sha-256 ${actual}, built as ${expected})`,
      'check the executable against SHA256SUMS',
    );
  }
  unpack(path, asset, randomBytes(6).toString('hex'));
  if (!hasContent(path, asset)) {
    throw unavailable(`the unpacked sqlite addon ${path} does not match this executable`, 'the executable may be damaged: check it against SHA256SUMS');
  }
  return path;
}

/**
 * Read in pieces into one small buffer: reading 2.7 MB into a buffer of its size cost
 * more than the comparison (a fresh buffer is that many page faults).
 */
const PIECE = 64 * 1024;

/**
 * Whether the regular file at `path` (not followed through a symbolic link) holds
 * exactly `content`.
 */
export function hasContent(path: string, content: Uint8Array): boolean {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return false;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size !== content.byteLength) return false;
    const expected = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
    const piece = Buffer.allocUnsafe(PIECE);
    let offset = 0;
    for (let read = readSync(fd, piece, 0, PIECE, offset); read > 0; read = readSync(fd, piece, 0, PIECE, offset)) {
      if (offset + read > expected.length || !piece.subarray(0, read).equals(expected.subarray(offset, offset + read))) return false;
      offset += read;
    }
    // A file that grew or shrank while it was read is not the asset either.
    return offset === expected.length;
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}

function unpack(path: string, content: Uint8Array, nonce: string): void {
  const temporary = `${path}.${process.pid}.${nonce}.tmp`;
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
