// One process of the concurrency tests: opens the store through the built library,
// reads the code from its first stdin line, says "ready", waits for "go", redeems once
// and prints the outcome as JSON. Run by codes-concurrency.test.ts.
import { createInterface } from 'node:readline';
import { cryptoRandom, redeemOneTimeCode, systemClock } from '../../dist/core/index.js';
import { openSqliteStore } from '../../dist/store/sqlite-port.js';

const [storePath, keyHex, organizationId, userId, purpose] = process.argv.slice(2);
const store = await openSqliteStore(storePath, { mode: 'key-file', key: Buffer.from(keyHex, 'hex') });
const ctx = { store, clock: systemClock, random: cryptoRandom };
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const code = (await lines.next()).value;
process.stdout.write('ready\n');
await lines.next();
let outcome;
try {
  await redeemOneTimeCode(ctx, { organizationId, userId, purpose, code });
  outcome = 'ok';
} catch (error) {
  outcome = error.code ?? `crash: ${error.message}`;
}
await store.close();
process.stdout.write(`${JSON.stringify({ outcome })}\n`);
process.exit(0);
