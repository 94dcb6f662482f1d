// One-time codes. (1) Redeems per second through the core library on a key-file
// store, per type: short codes cost one scrypt hash (N = 2^15, r = 8) per candidate
// row, which dominates their figure; long and phrase codes are one HMAC and an indexed
// lookup. (2) Wall time of `peridio codes short` against `node -e 0`: 1.5x plus the
// hash, which issue 10 allows (see src/core/codes/hashing.ts); `codes long` shows the rest.
import { join } from 'node:path';
import { benchHome, BIN, compare, nodeBaseline, report, timeRun } from '../lib.js';

export const name = 'codes';

// Fewer short codes: each costs two scrypt hashes (issue and redeem) of about 150 ms.
const REDEEMS = { short: 10, long: 400, phrase: 400 };

async function redeemsPerSecond(home) {
  const { openSqliteStore } = await import('../../dist/store/index.js');
  const core = await import('../../dist/core/index.js');
  const store = await openSqliteStore(join(home, 'library.db'), { mode: 'key-file', key: Buffer.alloc(32, 9) }, { create: true });
  const ctx = { store, clock: core.systemClock, random: core.cryptoRandom };
  const organizationId = (await core.ensureDefaultOrganization(ctx)).organization.prn.slice('prn:1:'.length);
  for (const [type, count] of Object.entries(REDEEMS)) {
    const issued = [];
    for (let i = 0; i < count; i += 1) {
      const userId = `${type}-${i}`;
      const { code } = await core.issueOneTimeCode(ctx, { organizationId, type, userId, purpose: 'bench', authorize: true });
      issued.push({ userId, code });
    }
    const start = process.hrtime.bigint();
    for (const { userId, code } of issued) {
      await core.redeemOneTimeCode(ctx, { organizationId, userId, purpose: 'bench', code });
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const note = type === 'short' ? '  (one scrypt per redeem dominates)' : '';
    console.log(
      `${`codes redeem (${type}, core library, key-file store)`.padEnd(48)} ${(count / seconds).toFixed(0).padStart(7)} redeems/s  (${((seconds / count) * 1000).toFixed(1)} ms each, ${count} redeems)${note}`,
    );
  }
  await store.close();
}

export async function run() {
  const { home, env } = benchHome();
  await redeemsPerSecond(home);
  let user = 0;
  const issue = (type) => () => {
    user += 1;
    return timeRun([process.execPath, BIN, 'codes', type, '--user', `bench-${user}`, '--purpose', 'bench', '-q'], { env });
  };
  report('codes short', compare(issue('short'), nodeBaseline), 'node -e 0', 1.5);
  // The same command without scrypt, to show what the hash costs.
  report('codes long (for comparison: an HMAC, no scrypt)', compare(issue('long'), nodeBaseline), 'node -e 0');
}
