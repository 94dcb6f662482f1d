/**
 * The SQLite store's helper for `audit verify` (`StorePort.helpVerify`): a worker
 * thread that opens the same file with the same key, on a connection of its own, and
 * does its share of the job (src/core/audit/verify-job.ts) in a read transaction of
 * its own. Checking a million-code store's log spends most of its time decrypting
 * pages and hashing events on one core; two threads share that.
 *
 * The worker is the script audit-worker.js beside this module (dist/store/ for the
 * library, dist/cli/ in the command's bundle). Where there is none (the release
 * executable carries no script files; tests that run the TypeScript sources) there is
 * no helper, and the caller verifies on its own thread.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { VerifyCounters, VerifyJob, VerifyJobResult } from '../core/audit/verify-job.js';
import type { StoreKey } from '../core/records.js';
import { isReleaseExecutable } from './sea-binding.js';

/** What the worker is given (src/store/audit-worker.ts). */
export interface VerifyWorkerData {
  path: string;
  key: StoreKey;
  job: VerifyJob;
  counters: VerifyCounters;
}

/** The worker's one message: its share of the job, or why it could not do it. */
export type VerifyWorkerMessage = { result: VerifyJobResult } | { failed: string };

/**
 * Runs the worker on `data` and resolves to what it did.
 * @throws Error when there is no worker script here, or the worker failed or exited
 * without a result.
 */
export function runVerifyWorker(data: VerifyWorkerData, script = join(__dirname, 'audit-worker.js')): Promise<VerifyJobResult> {
  if (isReleaseExecutable() || !existsSync(script)) return Promise.reject(new Error(`no verify helper: ${script} is not here`));
  return new Promise((resolve, reject) => {
    // Loaded here, not with the module: node:worker_threads brings Node's streams, which no other command needs.
    const { Worker } = process.getBuiltinModule('node:worker_threads') as typeof import('node:worker_threads');
    const worker = new Worker(script, { workerData: data });
    worker.once('message', (message: VerifyWorkerMessage) => ('result' in message ? resolve(message.result) : reject(new Error(message.failed))));
    worker.once('error', reject);
    // After a message this changes nothing: a promise settles once.
    worker.once('exit', (code) => reject(new Error(`the verify helper exited (code ${code}) without a result`)));
  });
}
