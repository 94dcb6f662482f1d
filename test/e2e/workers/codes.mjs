// A worker process for the crash and concurrency tests: it opens the store through the
// built library (dist/) and issues and consumes CA verification codes.
//
//   node codes.mjs STORE KEY_HEX loop        issue + consume until killed; prints "ready"
//   node codes.mjs STORE KEY_HEX steady      the same with a 1 ms pause after each pair,
//                                            printing "pairs N" after every 10th
//                                            commit, as a busy but fair writer: a tight loop
//                                            takes the write lock back within
//                                            microseconds, and SQLite's busy handler
//                                            (sleep and retry) can then starve any other
//                                            writer past its 5 s timeout
//   node codes.mjs STORE KEY_HEX checkpointing   steady, checkpointing the WAL into the
//                                            file after every commit (the worst case for
//                                            a backup that copies the file and the WAL)
//   node codes.mjs STORE KEY_HEX pool STOP   keep 20 live codes and consume them (oldest
//                                            first, each replaced by a new one), printing
//                                            "consumed N" after every 10th, until the
//                                            file STOP exists; then exit 0
//   node codes.mjs STORE KEY_HEX hold MS     issue one code, keep the store open MS ms, close
//
// Any error is printed on stderr with its code, and the process exits 1.
import { consumeVerificationCode, cryptoRandom, issueVerificationCode, resolveOrganizationId, systemClock } from '../../../dist/core/index.js';
import { existsSync } from 'node:fs';
import { openSqliteStore } from '../../../dist/store/sqlite-port.js';

const [path, keyHex, mode, countText] = process.argv.slice(2);
try {
  const store = await openSqliteStore(path, { mode: 'key-file', key: Buffer.from(keyHex, 'hex') });
  const ctx = { store, clock: systemClock, random: cryptoRandom };
  const organizationId = await resolveOrganizationId(ctx, undefined);
  const issue = async () => (await issueVerificationCode(ctx, { organizationId })).code;
  const consume = (code) => consumeVerificationCode(ctx, organizationId, code, 'worker');
  if (mode === 'loop') {
    process.stdout.write('ready\n');
    for (;;) await consume(await issue());
  } else if (mode === 'steady' || mode === 'checkpointing') {
    if (mode === 'checkpointing') store.connection.db.pragma('wal_autocheckpoint = 1');
    process.stdout.write('ready\n');
    for (let pairs = 1; ; pairs += 1) {
      await consume(await issue());
      if (pairs % 10 === 0) process.stdout.write(`pairs ${pairs}\n`);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  } else if (mode === 'pool') {
    const pool = [];
    for (let i = 0; i < 20; i += 1) pool.push(await issue());
    process.stdout.write('ready\n');
    for (let consumed = 1; !existsSync(countText); consumed += 1) {
      await consume(pool.shift());
      pool.push(await issue());
      if (consumed % 10 === 0) process.stdout.write(`consumed ${consumed}\n`);
      // Spread the work over time so purges run between consumes.
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await store.close();
  } else if (mode === 'hold') {
    await issue();
    process.stdout.write('ready\n');
    await new Promise((resolve) => setTimeout(resolve, Number(countText)));
    await store.close();
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
} catch (error) {
  process.stderr.write(`worker failed: ${error.code ?? ''} ${error.message}\n`);
  process.exitCode = 1;
}
