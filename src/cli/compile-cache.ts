/**
 * A V8 code cache for the bundled command: compiling its JavaScript is a tenth of a
 * command's start-up, and the compiled code of the last run can be reused. Node 22.1+
 * does this itself (`module.enableCompileCache`); on Node 20 this module hooks the
 * CommonJS loader for the files of dist/cli only, as v8-compile-cache did.
 *
 * The cache is the user's own: `${XDG_CACHE_HOME:-~/.cache}/vericode/compile-cache/`,
 * 0700, used only when owned by the user and writable by nobody else (cached code runs
 * as the user, like ~/.bashrc). An entry is named by the hash of the file's path and
 * content, so an edited or upgraded file never meets stale code, and V8 itself rejects
 * an entry from another V8 version or flags. Entries are written at exit, atomically.
 * Any failure means compiling as usual: the cache never changes what a command does.
 * `NODE_DISABLE_COMPILE_CACHE=1` turns it off, as it does Node's own.
 */
import { createHash } from 'node:crypto';
import { closeSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import Module from 'node:module';
import { homedir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { Script } from 'node:vm';

type Env = Record<string, string | undefined>;

/** Node's CommonJS module, with the internals the hook replaces. */
interface CjsModule {
  exports: unknown;
  require(id: string): unknown;
}
interface CjsModuleClass {
  prototype: { _compile(this: CjsModule, content: string, filename: string): unknown };
  wrap(content: string): string;
  _resolveFilename(request: string, parent: CjsModule, isMain: boolean, options?: unknown): string;
  _cache: unknown;
  enableCompileCache?: (directory: string) => unknown;
}

/** Where the cache lives for this Node and V8: undefined when it cannot be made safely. */
export function compileCacheDirectory(env: Env, uid: number | undefined): string | undefined {
  const home = env.HOME || homedir();
  const base = env.XDG_CACHE_HOME || (home ? join(home, '.cache') : undefined);
  if (!base) return undefined;
  const directory = join(base, 'vericode', 'compile-cache', `node-${process.version}-v8-${process.versions.v8}-${process.arch}`);
  try {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    const stat = lstatSync(directory);
    const isPrivate = stat.isDirectory() && (stat.mode & 0o022) === 0 && (uid === undefined || stat.uid === uid);
    return isPrivate ? directory : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Caches the compiled code of the JavaScript files under `root` (default: the directory
 * of this file, dist/cli) in the user's cache directory, from now on in this process.
 */
export function enableCompileCache(root: string = __dirname, env: Env = process.env): void {
  if (env.NODE_DISABLE_COMPILE_CACHE === '1') return;
  const directory = compileCacheDirectory(env, process.getuid?.());
  if (!directory) return;
  const moduleClass = Module as unknown as CjsModuleClass;
  if (moduleClass.enableCompileCache) {
    moduleClass.enableCompileCache(directory);
    return;
  }
  hookCompile(moduleClass, root, directory);
}

function hookCompile(moduleClass: CjsModuleClass, root: string, directory: string): void {
  const compile = moduleClass.prototype._compile;
  const prefix = root.endsWith(sep) ? root : `${root}${sep}`;
  const unwritten: { entry: string; script: Script }[] = [];
  moduleClass.prototype._compile = function compileWithCache(this: CjsModule, content: string, filename: string): unknown {
    if (!filename.startsWith(prefix)) return compile.call(this, content, filename);
    const entry = join(directory, createHash('sha256').update(filename).update('\0').update(content).digest('hex'));
    const cachedData = readEntry(entry);
    const script = new Script(moduleClass.wrap(content), { filename, ...(cachedData ? { cachedData } : {}) });
    if (!cachedData || script.cachedDataRejected === true) unwritten.push({ entry, script });
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return wrapper.call(this.exports, this.exports, requireFor(moduleClass, this), this, filename, dirname(filename));
  };
  // At exit the scripts have run, so the cache holds the functions they compiled too.
  process.once('exit', () => {
    for (const { entry, script } of unwritten) writeEntry(entry, script.createCachedData());
  });
}

/** The `require` a module's code sees. */
function requireFor(moduleClass: CjsModuleClass, module: CjsModule): NodeJS.Require {
  const moduleRequire = ((id: string) => module.require(id)) as NodeJS.Require;
  moduleRequire.resolve = ((request: string, options?: unknown) => moduleClass._resolveFilename(request, module, false, options)) as NodeJS.RequireResolve;
  moduleRequire.cache = moduleClass._cache as NodeJS.Require['cache'];
  moduleRequire.main = require.main;
  return moduleRequire;
}

function readEntry(entry: string): Buffer | undefined {
  try {
    return readFileSync(entry);
  } catch {
    return undefined;
  }
}

/** Writes `data` under a fresh private name, then renames it into place. */
function writeEntry(entry: string, data: Buffer): void {
  const temporary = `${entry}.${process.pid}.tmp`;
  try {
    const fd = openSync(temporary, 'wx', 0o600);
    try {
      writeSync(fd, data);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, entry);
  } catch {
    try {
      unlinkSync(temporary);
    } catch {
      // Nothing was left behind.
    }
  }
}
