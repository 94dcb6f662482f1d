// One process of the concurrency tests: opens the store through the built library,
// reads the code from its first stdin line, says "ready", waits for "go", redeems once
// and prints the outcome as JSON. Run by codes-concurrency.test.ts.
import { createInterface } from 'node:readline';
import { cryptoRandom, redeemOneTimeCode, systemClock } from '../../dist/core/index.js';
import { Store } from '../../dist/store/index.js';

const [storePath, keyHex, organizationId, userId, purpose] = process.argv.slice(2);
const store = Store.open(storePath, { mode: 'key-file', key: Buffer.from(keyHex, 'hex') });
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
store.close();
process.stdout.write(`${JSON.stringify({ outcome })}\n`);
process.exit(0);
