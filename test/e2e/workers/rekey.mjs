// A worker process for the rekey crash test: re-keys the store through the built
// library and prints each step as it starts ("step locking", ...), then "done".
//
//   node rekey.mjs STORE OLD_KEY_HEX NEW_KEY_HEX
import { cryptoRandom, systemClock } from '../../../dist/core/index.js';
import { rekeyStore } from '../../../dist/core/store-rekey.js';
import { openSqliteStore } from '../../../dist/store/sqlite-port.js';

const [path, oldHex, newHex] = process.argv.slice(2);
const key = (hex) => ({ mode: 'key-file', key: Buffer.from(hex, 'hex') });
try {
  const store = await openSqliteStore(path, key(oldHex));
  process.stdout.write('ready\n');
  await rekeyStore({ store, clock: systemClock, random: cryptoRandom }, key(newHex), (step) => process.stdout.write(`step ${step}\n`));
  process.stdout.write('done\n');
} catch (error) {
  process.stderr.write(`rekey failed: ${error.code ?? ''} ${error.message}\n`);
  process.exitCode = 1;
}
