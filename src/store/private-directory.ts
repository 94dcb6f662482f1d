/**
 * A directory under the user's cache that only the user (and root) can change, for
 * files whose content is run as code: the compile cache of the command and the SQLite
 * addon the release executable unpacks.
 *
 * `${XDG_CACHE_HOME:-~/.cache}/vericode/<name>` is used only when nobody but the user
 * and root can change what is in it or what its path leads to: every component from `/`
 * down is opened with O_NOFOLLOW|O_DIRECTORY (no symbolic links) and checked with fstat
 * on that open descriptor: owned by the user or root, writable by nobody else. A
 * root-owned sticky directory (/tmp) passes: there only an entry's owner may rename or
 * remove it, and the next component is checked in turn. Missing components are made
 * (0700) and then checked like the others, so one made first by someone else is
 * refused. The directory itself must be the user's and writable by nobody else; it is
 * made 0700.
 */
import { closeSync, constants, fchmodSync, fstatSync, mkdirSync, openSync, type Stats } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, parse, sep } from 'node:path';

type Env = Record<string, string | undefined>;

const OPEN_DIRECTORY = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;
const STICKY = 0o1000;

/**
 * `${XDG_CACHE_HOME:-~/.cache}/vericode/<name>` for `uid`, made when missing; undefined
 * when it cannot be made or when its path is not safe from other users.
 */
export function privateCacheDirectory(env: Env, uid: number | undefined, name: string): string | undefined {
  if (uid === undefined) return undefined;
  const home = env.HOME || homedir();
  const base = env.XDG_CACHE_HOME || (home ? join(home, '.cache') : undefined);
  if (!base || !isAbsolute(base)) return undefined;
  const directory = join(base, 'vericode', name);
  const { root } = parse(directory);
  const names = directory
    .slice(root.length)
    .split(sep)
    .filter((part) => part !== '');
  let path = root;
  if (!isTrusted(path, uid, false)) return undefined;
  for (const [index, part] of names.entries()) {
    path = join(path, part);
    if (!isTrusted(path, uid, index === names.length - 1)) return undefined;
  }
  return directory;
}

/**
 * Whether `path` is a directory only `uid` and root control, making it when missing;
 * the last one (`own`) must be `uid`'s, and is made private (0700).
 */
function isTrusted(path: string, uid: number, own: boolean): boolean {
  const fd = openDirectory(path);
  if (fd === undefined) return false;
  try {
    const stat = fstatSync(fd);
    if (!own) return isControlledBy(stat, uid);
    // Once writable by others, it may hold what they put there: refused, not repaired.
    if (!stat.isDirectory() || stat.uid !== uid || (stat.mode & 0o022) !== 0) return false;
    if ((stat.mode & 0o077) !== 0) fchmodSync(fd, 0o700);
    return true;
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}

function isControlledBy(stat: Stats, uid: number): boolean {
  if (!stat.isDirectory() || (stat.uid !== uid && stat.uid !== 0)) return false;
  return (stat.mode & 0o022) === 0 || (stat.uid === 0 && (stat.mode & STICKY) !== 0);
}

/** An open descriptor of the directory at `path` (never through a symbolic link), made when missing. */
function openDirectory(path: string): number | undefined {
  try {
    return openSync(path, OPEN_DIRECTORY);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return undefined;
  }
  try {
    mkdirSync(path, { mode: 0o700 });
  } catch (error) {
    // Another process may have made it first: it is checked like any other.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
  }
  try {
    return openSync(path, OPEN_DIRECTORY);
  } catch {
    return undefined;
  }
}
