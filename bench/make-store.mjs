#!/usr/bin/env node
// Builds a large, realistic store for benchmarks and for reproducing the scale figures
// of README.md, through the core library (dist/, so run `npm run build` first):
//
//   node bench/make-store.mjs --store F --key-file K [--verification-codes N]
//     [--one-time-codes N] [--cas N] [--spent-fraction 0.5] [--seed S]
//
// The store holds what a year of use would leave: codes issued at a steady rate over
// the 365 days that end two days ago (so none is still active; issue one to have one),
// `--spent-fraction` of them used (verification codes consumed, one-time codes redeemed
// or, one in five, invalidated) and the rest expired unused, each change with its
// audit event. One-time codes go to 2,000 users and two purposes, mostly long and
// phrase codes (short codes cost a scrypt hash each, so one in a thousand). The CAs
// are self-signed P-256 CAs registered as verified, with distinct subjects. All
// randomness comes from `--seed` (AES-CTR over zeros), so the same arguments build the
// same store. Work is committed in transactions of 20,000 operations.
import { createCipheriv, createHash } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from './lib.js';

const DAY = 86_400_000;
const YEAR = 365 * DAY;
const BATCH = 20_000;
const USERS = 2_000;
const PURPOSES = ['add_credential', 'temporary_authentication'];

const { values } = parseArgs({
  options: {
    store: { type: 'string' },
    'key-file': { type: 'string' },
    'verification-codes': { type: 'string', default: '0' },
    'one-time-codes': { type: 'string', default: '0' },
    cas: { type: 'string', default: '0' },
    'spent-fraction': { type: 'string', default: '0.5' },
    seed: { type: 'string', default: 'vericode' },
  },
});
const count = (flag) => {
  const n = Number(values[flag]);
  if (!Number.isSafeInteger(n) || n < 0) usage(`--${flag} must be a whole number`);
  return n;
};
function usage(message) {
  console.error(`make-store: ${message}\nusage: node bench/make-store.mjs --store F --key-file K [--verification-codes N] [--one-time-codes N] [--cas N] [--spent-fraction 0.5] [--seed S]`);
  process.exit(2);
}
if (!values.store || !values['key-file']) usage('--store and --key-file are required');
if (existsSync(values.store)) usage(`${values.store} exists: the store maker only builds new stores`);
const spentFraction = Number(values['spent-fraction']);
if (!(spentFraction >= 0 && spentFraction <= 1)) usage('--spent-fraction must be from 0 to 1');

/** A RandomSource over AES-256-CTR keyed by the seed: reproducible and fast. */
function seededRandom(seed) {
  const key = createHash('sha256').update(String(seed)).digest();
  const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  const zeros = Buffer.alloc(1 << 16);
  let pool = Buffer.alloc(0);
  const bytes = (length) => {
    if (pool.length < length) pool = Buffer.concat([pool, cipher.update(zeros)]);
    const out = Uint8Array.from(pool.subarray(0, length));
    pool = pool.subarray(length);
    return out;
  };
  return {
    bytes,
    int(maxExclusive) {
      const range = 2 ** 48;
      const limit = range - (range % maxExclusive);
      for (;;) {
        const value = Buffer.from(bytes(6)).readUIntBE(0, 6);
        if (value < limit) return value % maxExclusive;
      }
    },
    /** A float in [0, 1), for proportions only. */
    unit: () => Buffer.from(bytes(6)).readUIntBE(0, 6) / 2 ** 48,
  };
}

const core = await import(join(ROOT, 'dist', 'core', 'index.js'));
const { Store } = await import(join(ROOT, 'dist', 'store', 'store.js'));
const random = seededRandom(values.seed);
const yearStart = Date.now() - 2 * DAY - YEAR;
let now = yearStart;
const clock = { now: () => new Date(now) };

const keyFile = values['key-file'];
const key = existsSync(keyFile) ? Buffer.from((await import('node:fs')).readFileSync(keyFile, 'utf8').trim(), 'hex') : Buffer.from(random.bytes(32));
if (!existsSync(keyFile)) writeFileSync(keyFile, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
const store = Store.open(values.store, { mode: 'key-file', key, keyFile }, { create: true });
// The store prepares its statements on every call, which is most of the cost of a
// million small writes; one process running one statement at a time can reuse them.
const statements = new Map();
const prepare = store.db.prepare.bind(store.db);
store.db.prepare = (sql) => statements.get(sql) ?? statements.set(sql, prepare(sql)).get(sql);
// A large page cache: the random-order indexes (code HMACs, ids) touch every page.
store.db.pragma('cache_size = -262144');
const ctx = { store, clock, random };
const organizationId = core.resolveOrganizationId(ctx, core.ensureDefaultOrganization(ctx).organization.id);

const started = Date.now();
let pending = 0;
store.db.exec('BEGIN IMMEDIATE');
/** Commits every BATCH operations, so the WAL and the memory stay small. */
function tick() {
  pending += 1;
  if (pending < BATCH) return;
  store.db.exec('COMMIT; BEGIN IMMEDIATE');
  pending = 0;
}

// CAs first: they are registered early in the year and stay.
for (let i = 0; i < count('cas'); i += 1) {
  const ca = core.createSelfSignedCa(ctx, { commonName: `Bench CA ${i + 1}`, keyType: 'ec-p256', days: 3650 });
  core.registerCaCertificate(ctx, { organizationId, certificate: { bytes: ca.der, label: `bench CA ${i + 1}` }, verified: true });
  tick();
}

// Verification codes and one-time codes interleaved over the year, as they would come.
const vcTotal = count('verification-codes');
const otcTotal = count('one-time-codes');
const total = vcTotal + otcTotal;
const step = YEAR / Math.max(total, 1);
/** How long after issuing a used code is used: within a short code's life, before the next code. */
const useDelay = Math.floor(Math.min(step / 2, 60_000));
let vcLeft = vcTotal;
let otcLeft = otcTotal;
for (let i = 0; i < total; i += 1) {
  now = Math.round(yearStart + i * step);
  const spent = random.unit() < spentFraction;
  if (random.int(vcLeft + otcLeft) < vcLeft) {
    vcLeft -= 1;
    const { code } = core.issueVerificationCode(ctx, { organizationId });
    if (spent) {
      now += useDelay;
      core.consumeVerificationCode(ctx, organizationId, code, 'bench');
    }
  } else {
    otcLeft -= 1;
    await oneTimeCode(spent);
  }
  tick();
  if ((i + 1) % 100_000 === 0) console.error(`make-store: ${i + 1} of ${total} codes (${((Date.now() - started) / 1000).toFixed(0)} s)`);
}
store.db.exec('COMMIT');
store.close();
console.error(`make-store: ${values.store}: ${vcTotal} verification codes, ${otcTotal} one-time codes, ${count('cas')} CAs in ${((Date.now() - started) / 1000).toFixed(1)} s`);

/** Issues one one-time code and, when `spent`, redeems it (or one time in five invalidates it). */
async function oneTimeCode(spent) {
  const draw = random.int(1000);
  const type = draw === 0 ? 'short' : draw < 600 ? 'long' : 'phrase';
  const pair = { organizationId, userId: `user-${random.int(USERS)}@example.com`, purpose: PURPOSES[random.int(PURPOSES.length)] };
  const { code } = await core.issueOneTimeCode(ctx, { ...pair, type, authorize: true });
  if (!spent) return;
  now += useDelay;
  if (random.int(5) === 0) core.invalidateOneTimeCodes(ctx, { ...pair, type });
  else await core.redeemOneTimeCode(ctx, { ...pair, type, code });
}
