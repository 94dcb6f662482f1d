#!/usr/bin/env node
// `npm run release`: builds into release/ (not committed)
//   vericode-linux-x64                   one executable: Node 24, the bundled command
//                                        and the SQLite addon (a Node single executable
//                                        application, with its code cache)
//   vericode-<version>-linux-x64.tar.gz  the executable, a `peridio` link to it, README,
//                                        LICENSE, CHANGELOG, shell completions, man page
//   vericode-<version>.cdx.json          CycloneDX SBOM of what ships
//   SHA256SUMS                           of each of the above
// Everything comes from the npm registry (scripts/node24.mjs) and this checkout.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { rolldown } from 'rolldown';
import npmBuild, { lazyChildProcessInCommander, lazyCrypto } from '../rolldown.config.mjs';
import { manPage } from './man-page.mjs';
import { ensureNode24, NODE_PACKAGE, ROOT } from './node24.mjs';

const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const RELEASE = join(ROOT, 'release');
const WORK = join(ROOT, 'build', 'release');
const EXECUTABLE = join(RELEASE, 'vericode-linux-x64');
const TARBALL_NAME = `vericode-${version}-linux-x64`;
const SBOM = join(RELEASE, `vericode-${version}.cdx.json`);
/** The fuse postject flips so that Node looks for the blob (Node's SEA documentation). */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
/** Reproducible archives: file times from the last commit, or SOURCE_DATE_EPOCH. */
const SOURCE_DATE_EPOCH = process.env.SOURCE_DATE_EPOCH ?? execFileSync('git', ['log', '-1', '--format=%ct'], { cwd: ROOT, encoding: 'utf8' }).trim();

function run(command, args, options = {}) {
  return execFileSync(command, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], ...options });
}

function sha256(path) {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

const BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
const LAZY_BUILTIN = '\0lazy-builtin:';

/**
 * Node's own modules, each required when the module that imports it first runs. rolldown
 * hoists every `require` of a builtin to the top of its chunk, and a chunk holds modules
 * that load at different times (the lazy `await import()`s of src/ become functions run
 * on demand): the one-file bundle loaded node:readline, async_hooks, tty, child_process
 * and net (for prompts, chalk and an editor) on every start, whatever the command. A
 * builtin resolved to a one-line CommonJS module of our own is required inside the
 * function of its importer instead.
 */
const lazyBuiltins = {
  name: 'lazy-builtins',
  resolveId(source, importer) {
    // The module's own require is of the builtin itself (external).
    if (!BUILTINS.has(source) || importer?.startsWith(LAZY_BUILTIN)) return null;
    return `${LAZY_BUILTIN}${source.replace(/^node:/, '')}`;
  },
  load(id) {
    return id.startsWith(LAZY_BUILTIN) ? `module.exports = require(${JSON.stringify(`node:${id.slice(LAZY_BUILTIN.length)}`)});` : null;
  },
};

/**
 * The command and everything it loads, in CommonJS chunks grouped as the npm build
 * groups them (rolldown.config.mjs), so a command compiles only what it runs; a SEA
 * runs one script (scripts/sea-main.cjs), which runs the chunks from the executable's
 * assets. Each chunk is written wrapped as a CommonJS module function.
 */
async function bundle(addonSha256) {
  const npmSplitting = npmBuild.output.codeSplitting;
  // The modules of lazyBuiltins (a line each) go with the start-up code, not into
  // chunks of their own.
  const [npmGroups] = npmSplitting.groups;
  const build = await rolldown({
    // The helper thread of `audit verify` has an entry of its own (src/store/verify-helper.ts).
    input: { vericode: join(ROOT, 'src', 'sea.ts'), 'audit-worker': join(ROOT, 'src', 'store', 'audit-worker.ts') },
    platform: 'node',
    plugins: [lazyChildProcessInCommander, lazyCrypto, lazyBuiltins],
    preserveEntrySignatures: 'allow-extension',
    transform: { target: 'node24', define: { __VERICODE_SQLITE_ADDON_SHA256__: JSON.stringify(addonSha256) } },
    logLevel: 'warn',
  });
  const dir = join(WORK, 'chunks');
  const { output } = await build.write({
    dir,
    format: 'cjs',
    entryFileNames: '[name].js',
    chunkFileNames: '[name].js',
    codeSplitting: { ...npmSplitting, groups: [{ ...npmGroups, name: (id, ctx) => (id.startsWith(LAZY_BUILTIN) ? 'cli' : npmGroups.name(id, ctx)) }] },
    minify: { compress: false, mangle: false, codegen: { removeWhitespace: true } },
  });
  await build.close();
  const chunks = output.filter((item) => item.type === 'chunk').map((chunk) => chunk.fileName);
  for (const name of chunks) {
    const file = join(dir, name);
    writeFileSync(file, `(function (exports, require, module, __filename, __dirname) {${asciiOnly(readFileSync(file, 'utf8'), name)}\n})`);
  }
  return { dir, chunks };
}

/**
 * The chunk with every character outside ASCII written as a \u escape (a UTF-16 unit
 * each, so astral characters become surrogate pairs, which strings, templates and
 * regular expressions with or without the u flag read as the same character), so that
 * scripts/sea-main.cjs can hand it to V8 as a one-byte string read straight from the
 * asset: UTF-8 decoding made a two-byte string of the whole chunk for the few dashes
 * and arrows in it, twice the memory, 0.5 MB of the young generation for the chunks
 * of every start and a garbage collection sooner. An escape would change the text
 * after a backslash or in a template's raw strings (String.raw): the build stops there
 * (the bundle has neither).
 */
function asciiOnly(code, name) {
  if (/\\[^\x00-\x7f]/.test(code) || /String\.raw/.test(code)) throw new Error(`${name}: a character outside ASCII cannot be escaped safely`);
  return code.replace(/[^\x00-\x7f]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The V8 code cache of each chunk (scripts/sea-code-cache.cjs): of every chunk compiled,
 * then of the chunks `init`, `x509 create --ca` and `verification-codes create` run,
 * with the functions they ran, in a scratch store under WORK.
 */
function codeCaches(node24, { dir }) {
  // The training runs' output (a PRN, a code) is not the build's.
  const cache = (args, env = process.env) =>
    run(node24.node, [join(ROOT, 'scripts', 'sea-code-cache.cjs'), dir, node24.addonPackage, ...args], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  cache([]);
  const home = join(WORK, 'training');
  mkdirSync(home, { recursive: true });
  const keyFile = join(home, 'store.key');
  writeFileSync(keyFile, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  const env = { PATH: process.env.PATH, HOME: home, VERICODE_STORE: join(home, 'store.db'), VERICODE_KEY_FILE: keyFile, CI: 'true' };
  // In this order: a chunk's cache is the last run's that ran it.
  cache(['init', '-q'], env);
  cache(['x509', 'create', '--ca', '--common-name', 'Code Cache', '--key-out', join(home, 'ca.key'), '--out', join(home, 'ca.pem'), '-q'], env);
  cache(['ca-certificates', 'verification-codes', 'create', '-q'], env);
  rmSync(home, { recursive: true, force: true });
}

/** The executable: a copy of Node 24 with the SEA blob (main script, its code cache, chunks, addon) injected. */
function buildExecutable(node24, { dir, chunks }) {
  const blob = join(WORK, 'sea.blob');
  const config = join(WORK, 'sea-config.json');
  // A startup snapshot (useSnapshot, with the entry deferring main through
  // v8.startupSnapshot.setDeserializeMainFunction) was tried: it built and ran, but
  // cost 6-9% more CPU than the code cache (which it turns off) and Node warns that
  // child_process and tty are not verified in snapshots. The code cache stays.
  const assets = { 'better_sqlite3.node': node24.addon };
  for (const name of chunks) {
    assets[`chunk:./${name}`] = join(dir, name);
    assets[`cache:./${name}`] = join(dir, `${name}.cache`);
  }
  writeFileSync(
    config,
    JSON.stringify(
      {
        main: join(ROOT, 'scripts', 'sea-main.cjs'),
        output: blob,
        disableExperimentalSEAWarning: true,
        useCodeCache: true,
        assets,
      },
      null,
      2,
    ),
  );
  run(node24.node, ['--experimental-sea-config', config], { cwd: WORK });
  copyFileSync(node24.node, EXECUTABLE);
  chmodSync(EXECUTABLE, 0o755);
  run(node24.node, [node24.postject, EXECUTABLE, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SEA_FUSE]);
}

/** The tarball's tree: the executable, the `peridio` link, docs, completions, man page. */
function buildTarball() {
  const stage = join(WORK, 'stage');
  const top = join(stage, TARBALL_NAME);
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(join(top, 'completions'), { recursive: true });
  mkdirSync(join(top, 'man', 'man1'), { recursive: true });
  copyFileSync(EXECUTABLE, join(top, 'vericode'));
  chmodSync(join(top, 'vericode'), 0o755);
  symlinkSync('vericode', join(top, 'peridio'));
  for (const doc of ['README.md', 'LICENSE', 'CHANGELOG.md']) copyFileSync(join(ROOT, doc), join(top, doc));
  const completion = (shell) => execFileSync(EXECUTABLE, ['completion', shell], { env: { PATH: process.env.PATH, HOME: WORK } });
  writeFileSync(join(top, 'completions', 'peridio.bash'), completion('bash'));
  writeFileSync(join(top, 'completions', '_peridio'), completion('zsh'));
  writeFileSync(join(top, 'completions', 'peridio.fish'), completion('fish'));
  writeFileSync(join(top, 'man', 'man1', 'vericode.1'), manPage(EXECUTABLE, version, SOURCE_DATE_EPOCH));
  const tarball = join(RELEASE, `${TARBALL_NAME}.tar.gz`);
  run('tar', [
    '--sort=name',
    '--owner=0',
    '--group=0',
    '--numeric-owner',
    `--mtime=@${SOURCE_DATE_EPOCH}`,
    '--use-compress-program=gzip -n -9',
    '-cf',
    tarball,
    '-C',
    stage,
    TARBALL_NAME,
  ]);
  return tarball;
}

/** npm's CycloneDX SBOM of the shipped dependencies, plus the Node runtime inside the executable. */
function buildSbom(node24) {
  const sbom = JSON.parse(run('npm', ['sbom', '--sbom-format', 'cyclonedx', '--omit', 'dev'], { stdio: ['ignore', 'pipe', 'inherit'] }).toString('utf8'));
  const [name, nodeVersion] = NODE_PACKAGE.split('@');
  sbom.components.push({
    type: 'application',
    name,
    version: nodeVersion,
    description: 'the Node.js runtime the executable is built from',
    purl: `pkg:npm/${name}@${nodeVersion}`,
    hashes: [{ alg: 'SHA-256', content: sha256(node24.node) }],
  });
  sbom.metadata.timestamp = new Date(Number(SOURCE_DATE_EPOCH) * 1000).toISOString();
  writeFileSync(SBOM, `${JSON.stringify(sbom, null, 2)}\n`);
}

async function release() {
  run('npm', ['run', 'build', '--silent']);
  const node24 = ensureNode24();
  rmSync(RELEASE, { recursive: true, force: true });
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(RELEASE, { recursive: true });
  mkdirSync(WORK, { recursive: true });
  const bundled = await bundle(sha256(node24.addon));
  codeCaches(node24, bundled);
  buildExecutable(node24, bundled);
  const tarball = buildTarball();
  buildSbom(node24);
  const artifacts = [EXECUTABLE, tarball, SBOM];
  const sums = artifacts.map((path) => `${sha256(path)}  ${path.slice(RELEASE.length + 1)}\n`).join('');
  writeFileSync(join(RELEASE, 'SHA256SUMS'), sums);
  process.stdout.write(`\nrelease/:\n${sums}`);
}

await release();
