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
// same store. Work is committed in transactions of 250,000 operations.
import { createCipheriv, createHash } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from './lib.js';

const DAY = 86_400_000;
/** See deferIndexes. */
const DEFERRED_INDEXES = [
  'verification_codes_by_org',
  'verification_codes_live_by_expiry',
  'verification_codes_unconsumed',
  'verification_codes_consumed',
  'one_time_codes_by_org',
  'one_time_codes_live_by_expiry',
  'one_time_codes_unspent',
  'one_time_codes_consumed',
  'one_time_codes_invalidated',
  'audit_events_by_action',
];
const YEAR = 365 * DAY;
const BATCH = 250_000;
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
  console.error(
    `make-store: ${message}\nusage: node bench/make-store.mjs --store F --key-file K [--verification-codes N] [--one-time-codes N] [--cas N] [--spent-fraction 0.5] [--seed S]`,
  );
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
  const zeros = Buffer.alloc(1 << 20);
  let pool = cipher.update(zeros);
  let offset = 0;
  const take = (length) => {
    if (offset + length > pool.length) {
      pool = Buffer.concat([pool.subarray(offset), cipher.update(zeros)]);
      offset = 0;
    }
    offset += length;
    return offset - length;
  };
  const uint48 = () => pool.readUIntBE(take(6), 6);
  return {
    bytes: (length) => {
      const at = take(length);
      return Uint8Array.prototype.slice.call(pool, at, at + length);
    },
    int(maxExclusive) {
      const range = 2 ** 48;
      const limit = range - (range % maxExclusive);
      for (;;) {
        const value = uint48();
        if (value < limit) return value % maxExclusive;
      }
    },
    /** A float in [0, 1), for proportions only. */
    unit: () => uint48() / 2 ** 48,
  };
}

const core = await import(join(ROOT, 'dist', 'core', 'index.js'));
const { openSqliteStore } = await import(join(ROOT, 'dist', 'store', 'index.js'));
const { recountRecords } = await import(join(ROOT, 'dist', 'store', 'migrations.js'));
const { insertVerificationCode, consumeVerificationCodeRow } = await import(join(ROOT, 'dist', 'store', 'verification-codes.js'));
const { insertAuditEvent, lastStoredEvent } = await import(join(ROOT, 'dist', 'store', 'audit-log.js'));
const { codeHmacSecret, hmacCode } = await import(join(ROOT, 'dist', 'core', 'codes', 'hashing.js'));
const { nextEvent } = await import(join(ROOT, 'dist', 'core', 'audit', 'chain.js'));
const random = seededRandom(values.seed);
const yearStart = Date.now() - 2 * DAY - YEAR;
let now = yearStart;
const clock = { now: () => new Date(now) };

const keyFile = values['key-file'];
const key = existsSync(keyFile) ? Buffer.from((await import('node:fs')).readFileSync(keyFile, 'utf8').trim(), 'hex') : Buffer.from(random.bytes(32));
if (!existsSync(keyFile)) writeFileSync(keyFile, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
const port = await openSqliteStore(values.store, { mode: 'key-file', key, keyFile }, { create: true });
const store = port.connection;
// A store made from scratch, rebuilt if anything fails: no journal while loading, so
// each page is written (and encrypted) once, straight into the file, rather than into
// the WAL and again at the checkpoint; commits need not reach the disk. A page cache
// of 1 GB: the random-order indexes (code HMACs, audit subjects) touch every page.
// The store is put back in WAL mode before it is closed.
store.db.pragma('journal_mode = OFF');
store.db.pragma('synchronous = OFF');
store.db.pragma('cache_size = -1048576');
const deferred = deferIndexes(store.db, count('one-time-codes') === 0);
const ctx = { store: port, clock, random };
const organizationId = await core.resolveOrganizationId(ctx, (await core.ensureDefaultOrganization(ctx)).organization.id);
const organizationPrn = core.organizationPrn(organizationId);
const secret = await port.write((tx) => codeHmacSecret(tx, random));

const started = Date.now();
/**
 * The maker's own transaction, for the codes it writes itself: committed every BATCH
 * operations, and before each use case of the core, which runs its own unit of work.
 */
const bulk = {
  pending: 0,
  /** The head of the log, while the maker's transaction is the only writer. */
  head: undefined,
  enter() {
    if (store.db.inTransaction) return;
    store.db.exec('BEGIN IMMEDIATE');
    bulk.head = lastStoredEvent(store);
  },
  tick() {
    bulk.pending += 1;
    if (bulk.pending >= BATCH) bulk.leave();
  },
  leave() {
    if (store.db.inTransaction) store.db.exec('COMMIT');
    bulk.pending = 0;
  },
  append(input) {
    bulk.head = nextEvent(bulk.head, input);
    insertAuditEvent(store, bulk.head);
  },
};

// CAs first: they are registered early in the year and stay.
for (let i = 0; i < count('cas'); i += 1) {
  const ca = await core.createSelfSignedCa(ctx, { commonName: `Bench CA ${i + 1}`, keyType: 'ec-p256', days: 3650 });
  await core.registerCaCertificate(ctx, { organizationId, certificate: { bytes: ca.der, label: `bench CA ${i + 1}` }, verified: true });
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
    bulk.enter();
    verificationCode(spent);
    bulk.tick();
  } else {
    otcLeft -= 1;
    bulk.leave();
    await oneTimeCode(spent);
  }
  if ((i + 1) % 100_000 === 0) console.error(`make-store: ${i + 1} of ${total} codes (${((Date.now() - started) / 1000).toFixed(0)} s)`);
}
bulk.leave();
deferred.restore();
store.db.pragma('journal_mode = WAL');
await port.close();
console.error(
  `make-store: ${values.store}: ${vcTotal} verification codes, ${otcTotal} one-time codes, ${count('cas')} CAs in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);

/**
 * Issues one verification code and, when `spent`, consumes it: the rows and events
 * `issueVerificationCode` and `consumeVerificationCode` write (checked by
 * test/e2e/make-store.test.ts), through the same store functions, without what a
 * single call needs and a bulk load does not: checking the organization, reading the
 * secret and the log's head, a transaction each, the lookup that detects a rolled-back
 * store. Through the core, a million codes took several minutes. The events are built
 * and hashed by the core's own `nextEvent`.
 */
function verificationCode(spent) {
  const code = core.generateVerificationCode(random);
  const createdAt = Math.floor(now / 1000) * 1000;
  const row = {
    id: core.timeOrderedUuid(random, createdAt),
    organization_id: organizationId,
    certificate_id: null,
    created_at: createdAt,
    expires_at: createdAt + core.VERIFICATION_CODE_TTL.defaultMs,
    code_hmac: hmacCode(secret, code),
  };
  insertVerificationCode(store, row);
  const event = {
    organization_id: organizationPrn,
    subject: core.resourcePrn(organizationId, 'ca_verification_code', row.id),
    outcome: 'success',
    reason: null,
  };
  bulk.append({
    ...event,
    action: 'verification_code.create',
    at: core.rfc3339(createdAt),
    details: { expires_at: core.rfc3339(row.expires_at), length: code.length, certificate_prn: null, certificate_etag: null },
  });
  if (!spent) return;
  now += useDelay;
  if (!consumeVerificationCodeRow(store, organizationId, row.code_hmac, now)) throw new Error(`make-store: code ${row.id} did not consume`);
  bulk.append({ ...event, action: 'verification_code.consume', at: core.rfc3339(now) });
}

/** Issues one one-time code and, when `spent`, redeems it (or one time in five invalidates it). */
async function oneTimeCode(spent) {
  const draw = random.int(1000);
  const type = draw === 0 ? 'short' : draw < 600 ? 'long' : 'phrase';
  const pair = { organizationId, userId: `user-${random.int(USERS)}@example.com`, purpose: PURPOSES[random.int(PURPOSES.length)] };
  const { code } = await core.issueOneTimeCode(ctx, { ...pair, type, authorize: true });
  if (!spent) return;
  now += useDelay;
  if (random.int(5) === 0) await core.invalidateOneTimeCodes(ctx, { ...pair, type });
  else await core.redeemOneTimeCode(ctx, { ...pair, type, code });
}

/**
 * Indexes that nothing the maker does reads (the listing and counting indexes) and the
 * count triggers: dropped while loading and made again at the end from their own SQL,
 * so the schema ends exactly as the migrations made it. Building an index once sorts
 * its rows; keeping it while inserting a million rows costs a b-tree insert each, and
 * the triggers an update each. Then the counts are recomputed from the rows, as the
 * migration that introduced them does. The indexes the core reads while issuing and
 * spending stay (code HMAC, id, one-time code pair and digest), and the audit subject
 * index unless `withSubjects`: redeeming a one-time code reads it. An index built at
 * the end has fuller pages than one that grew row by row; only the audit subject
 * index, ordered at random, is noticeably smaller for it.
 */
function deferIndexes(db, withSubjects) {
  const names = withSubjects ? [...DEFERRED_INDEXES, 'audit_events_by_outcome'] : DEFERRED_INDEXES;
  const deferred = db
    .prepare(
      `SELECT type, name, sql FROM sqlite_master
       WHERE sql IS NOT NULL AND (type = 'trigger' AND name LIKE '%_count_%'
         OR type = 'index' AND name IN (${names.map(() => '?').join(', ')}))
       ORDER BY type = 'trigger', name`,
    )
    .all(...names);
  db.transaction(() => {
    for (const { type, name } of deferred) db.exec(`DROP ${type.toUpperCase()} ${name}`);
  }).immediate();
  return {
    restore() {
      db.transaction(() => {
        for (const { sql } of deferred) db.exec(sql);
        recountRecords(db);
      }).immediate();
    },
  };
}
