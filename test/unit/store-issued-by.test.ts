/**
 * `store purge` scans a codes table only up to the last code issued by its cut-off
 * (src/store/issued-by.ts): found by binary search over seq, and safe when the clock
 * stepped back (it then leaves a purgeable code for later, never removes a live one).
 */
import { describe, expect, it } from 'vitest';
import { lastSeqIssuedBy } from '../../src/store/issued-by.js';
import { purgeVerificationCodes, insertVerificationCode } from '../../src/store/verification-codes.js';
import { testStore } from '../helpers/store.js';

const MINUTE = 60_000;

async function storeIssuedAt(times: readonly number[], deleted: readonly number[] = []) {
  const t = await testStore();
  const db = t.connection;
  db.write(() => {
    times.forEach((createdAt, i) =>
      insertVerificationCode(db, {
        id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        organization_id: t.organizationId,
        certificate_id: null,
        created_at: createdAt,
        expires_at: createdAt + 5 * MINUTE,
        code_hmac: Buffer.from(String(i).padStart(32, '0')),
      }),
    );
    for (const seq of deleted) db.prepare('DELETE FROM verification_codes WHERE seq = ?').run(seq);
  });
  return db;
}

describe('lastSeqIssuedBy', () => {
  it('finds the last code issued at or before the cut-off, across gaps in seq', async () => {
    const times = Array.from({ length: 1000 }, (_, i) => i * MINUTE);
    const db = await storeIssuedAt(times, [400, 401, 402, 700]);
    expect(lastSeqIssuedBy(db, 'verification_codes', -1)).toBe(0);
    expect(lastSeqIssuedBy(db, 'verification_codes', 0)).toBe(1);
    expect(lastSeqIssuedBy(db, 'verification_codes', 398 * MINUTE)).toBe(399);
    // Seqs 400 to 402 are gone: the last one issued by then is 399.
    expect(lastSeqIssuedBy(db, 'verification_codes', 401 * MINUTE + 1)).toBe(399);
    expect(lastSeqIssuedBy(db, 'verification_codes', 999 * MINUTE)).toBe(1000);
    expect(lastSeqIssuedBy(db, 'verification_codes', 10_000 * MINUTE)).toBe(1000);
    expect(lastSeqIssuedBy(db, 'one_time_codes', 10_000 * MINUTE)).toBe(0);
  });

  it('after the clock stepped back, a purge leaves a code it could remove but never one it must keep', async () => {
    // Seq 4 was issued when the clock read an hour earlier than for seqs 2 and 3.
    const db = await storeIssuedAt([0, 120 * MINUTE, 130 * MINUTE, 60 * MINUTE, 180 * MINUTE]);
    expect(lastSeqIssuedBy(db, 'verification_codes', 100 * MINUTE)).toBe(1);
    const removed = db.write(() => purgeVerificationCodes(db, 100 * MINUTE, 1000));
    const left = db.prepare('SELECT seq FROM verification_codes ORDER BY seq').pluck().all();
    // Seq 1 expired by the cut-off and went; seq 4 did too but lies past the bound: a later purge takes it.
    expect({ removed, left }).toEqual({ removed: 1, left: [2, 3, 4, 5] });
    expect(db.write(() => purgeVerificationCodes(db, 200 * MINUTE, 1000))).toBe(4);
  });
});
