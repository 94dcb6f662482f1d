/**
 * The SQLite store's helper for `audit verify` (`StorePort.helpVerify`): a worker
 * thread that opens the same file with the same key, on a connection of its own, and
 * does its share of the job (src/core/audit/verify-job.ts) in a read transaction of
 * its own. Checking a million-code store's log spends most of its time decrypting
 * pages and hashing events on one core; two threads share that.
 *
 * The worker runs the entry audit-worker.js: in the npm build the script beside this
 * module (dist/store/ for the library, dist/cli/ in the command's bundle); in the
 * release executable, its chunk, run from the executable's assets by the function
 * its main script runs chunks with (scripts/sea-main.cjs). Where there is neither (the
 * TypeScript sources under test) there is no helper, and the caller verifies alone.
 *
 * The key goes to the worker in a message, not in its workerData, which Node prints
 * when NODE_DEBUG=worker.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { VerifyCounters, VerifyJob, VerifyJobResult } from '../core/audit/verify-job.js';
import type { StoreKey } from '../core/records.js';
import { isReleaseExecutable } from './sea-binding.js';

/** What the worker is started with (src/store/audit-worker.ts); the key follows as its first message. */
export interface VerifyWorkerData {
  path: string;
  job: VerifyJob;
  counters: VerifyCounters;
}

/** The worker's one message: its share of the job, or why it could not do it. */
export type VerifyWorkerMessage = { result: VerifyJobResult } | { failed: string };

/** Where scripts/sea-main.cjs leaves its chunk runner. */
const RUN_CHUNKS = Symbol.for('vericode.sea.runChunks');

/**
 * Runs the worker on `data` with `key` and resolves to what it did.
 * @throws Error when there is no worker entry here, or the worker failed or exited
 * without a result.
 */
export function runVerifyWorker(data: VerifyWorkerData, key: StoreKey): Promise<VerifyJobResult> {
  const script = join(__dirname, 'audit-worker.js');
  const entry = workerEntry(script);
  if (!entry) return Promise.reject(new Error(`no verify helper: ${script} is not here`));
  return new Promise((resolve, reject) => {
    // Loaded here, not with the module: node:worker_threads brings Node's streams, which no other command needs.
    const { Worker } = process.getBuiltinModule('node:worker_threads') as typeof import('node:worker_threads');
    const worker = new Worker(entry.code, { eval: entry.eval, workerData: data });
    worker.postMessage(keyMessage(key));
    worker.once('message', (message: VerifyWorkerMessage) => ('result' in message ? resolve(message.result) : reject(new Error(message.failed))));
    worker.once('error', reject);
    // After a message this changes nothing: a promise settles once.
    worker.once('exit', (code) => reject(new Error(`the verify helper exited (code ${code}) without a result`)));
  });
}

/**
 * `key` with its bytes in arrays of their own: a message takes a byte array's whole
 * buffer with it, and a small Buffer is a slice of Node's shared pool.
 */
function keyMessage(key: StoreKey): StoreKey {
  if (key.mode === 'key-file') return { ...key, key: new Uint8Array(key.key) };
  return typeof key.passphrase === 'string' ? key : { ...key, passphrase: new Uint8Array(key.passphrase) };
}

/** The worker's script file, or in the release executable the code that runs its chunk. */
function workerEntry(script: string): { code: string; eval: boolean } | undefined {
  if (isReleaseExecutable()) {
    const runChunks = (globalThis as Record<symbol, unknown>)[RUN_CHUNKS];
    return typeof runChunks === 'function' ? { code: `(${runChunks.toString()})('./audit-worker.js');`, eval: true } : undefined;
  }
  return existsSync(script) ? { code: script, eval: false } : undefined;
}
