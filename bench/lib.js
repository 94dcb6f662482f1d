// Shared benchmark machinery. The machine is shared and noisy, so every figure is
// reported as a ratio to a baseline measured in the same run, interleaved with it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BIN = join(ROOT, 'bin', 'peridio.js');

/**
 * The environment every timed process runs with, baseline and subject alike: this
 * machine's NODE_EXTRA_CA_CERTS makes every Node start read a CA bundle (~37 ms), which
 * would inflate the baseline and flatter every ratio; NODE_OPTIONS could load anything.
 */
export const CLEAN_ENV = Object.fromEntries(Object.entries(process.env).filter(([name]) => !['NODE_EXTRA_CA_CERTS', 'NODE_OPTIONS'].includes(name)));

/** A temp directory holding a key file and a new store, removed at exit. */
export function benchHome() {
  const home = mkdtempSync(join(tmpdir(), 'vericode-bench-'));
  process.on('exit', () => rmSync(home, { recursive: true, force: true }));
  const keyFile = join(home, 'bench.key');
  writeFileSync(keyFile, `${'ab'.repeat(32)}\n`, { mode: 0o600 });
  const env = { ...CLEAN_ENV, HOME: home, VERICODE_STORE: join(home, 'store.db'), VERICODE_KEY_FILE: keyFile, CI: 'true' };
  // An explicit VERICODE_STORE must exist: only the default store is created on first use.
  timeRun([process.execPath, BIN, 'init'], { env });
  return { home, env };
}

/** Milliseconds of wall time of one run of `argv`; throws when it fails. */
export function timeRun(argv, options = {}) {
  const start = process.hrtime.bigint();
  const result = spawnSync(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], env: CLEAN_ENV, ...options });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${argv.join(' ')} failed (${result.status}): ${result.stderr}`);
  return ms;
}

/**
 * A timed run that writes a new file into `dir` (its path appended to `argv`), removed
 * after each run so every run writes afresh: `store backup --out`, or `cp` beside it.
 */
export function timeNewFile(dir, name, argv, options = {}) {
  let n = 0;
  return () => {
    const out = join(dir, `${name}-${(n += 1)}.db`);
    const ms = timeRun([...argv, out], options);
    rmSync(out);
    return ms;
  };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Runs `subject` and `baseline` alternately `rounds` times after `warmup` rounds and
 * returns both medians and their ratio.
 */
export function compare(subject, baseline, { rounds = 15, warmup = 2 } = {}) {
  const s = [];
  const b = [];
  for (let i = 0; i < warmup + rounds; i += 1) {
    const bt = baseline();
    const st = subject();
    if (i >= warmup) {
      b.push(bt);
      s.push(st);
    }
  }
  const subjectMs = median(s);
  const baselineMs = median(b);
  return { subjectMs, baselineMs, ratio: subjectMs / baselineMs };
}

/** `node -e 0`: the cost of starting Node at all. */
export const nodeBaseline = () => timeRun([process.execPath, '-e', '0']);

/** Formats one result line: name, medians and the ratio against its target. */
export function report(name, { subjectMs, baselineMs, ratio }, baselineName, target) {
  const verdict = target === undefined ? '' : ratio <= target ? `  (target <= ${target}x: met)` : `  (target <= ${target}x: MISSED)`;
  console.log(
    `${name.padEnd(48)} ${subjectMs.toFixed(1).padStart(7)} ms  vs ${baselineName} ${baselineMs.toFixed(1).padStart(6)} ms  = ${ratio.toFixed(2)}x${verdict}`,
  );
}
