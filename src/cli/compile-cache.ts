/**
 * A V8 code cache for the bundled command, from Node's own `module.enableCompileCache`
 * (Node 22.1 and later). On Node 20 there is none: the hand-written loader hook it once
 * had could be raced into running another user's code (a cache directory under a path
 * another user controls, swapped between the check and the read, and Node 20's V8
 * accepts any entry whose source has the same length). The release executable has the
 * SEA code cache instead.
 *
 * Cached code runs as the user, like ~/.bashrc, so the cache lives in
 * `${XDG_CACHE_HOME:-~/.cache}/vericode/compile-cache` only when that path is checked
 * to be safe from other users (src/store/private-directory.ts); otherwise there is no
 * cache, which never changes what a command does. `NODE_DISABLE_COMPILE_CACHE=1` turns
 * it off, as it does Node's own.
 */
import Module from 'node:module';
import { privateCacheDirectory } from '../store/private-directory.js';

type Env = Record<string, string | undefined>;

/** The checked cache directory for `uid`, made when missing; undefined when unsafe or impossible. */
export function compileCacheDirectory(env: Env, uid: number | undefined): string | undefined {
  return privateCacheDirectory(env, uid, 'compile-cache');
}

/** Turns on Node's compile cache in the user's checked cache directory, where Node has one. */
export function enableCompileCache(env: Env = process.env): void {
  if (env.NODE_DISABLE_COMPILE_CACHE === '1') return;
  const enable = (Module as { enableCompileCache?: (directory: string) => unknown }).enableCompileCache;
  if (!enable) return;
  const directory = compileCacheDirectory(env, process.getuid?.());
  if (directory) enable(directory);
}
