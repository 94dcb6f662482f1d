/**
 * The worker thread of `audit verify`'s helper (./verify-helper.ts): opens the store
 * it is given with the key its first message brings, does its share of the job, and
 * posts what it did.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runVerifyJob } from '../core/audit/verify-job.js';
import type { StoreKey } from '../core/records.js';
import { openSqliteStore } from './sqlite-port.js';
import type { VerifyWorkerData, VerifyWorkerMessage } from './verify-helper.js';

async function work({ path, job, counters }: VerifyWorkerData, key: StoreKey): Promise<VerifyWorkerMessage> {
  try {
    const store = await openSqliteStore(path, key);
    try {
      return { result: await store.read((tx) => runVerifyJob(tx, job, counters, { crossCheckFirst: true })) };
    } finally {
      await store.close();
    }
  } catch (error) {
    return { failed: error instanceof Error ? error.message : String(error) };
  }
}

parentPort!.once('message', (key: StoreKey) => {
  void work(workerData as VerifyWorkerData, key).then((message) => parentPort!.postMessage(message));
});
