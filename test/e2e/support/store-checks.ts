/** What every crash test checks afterwards, straight from the store file. */
import { expect } from 'vitest';
import { verifyAuditChain } from '../../../src/core/audit.js';
import { fixedClock } from '../../helpers/clock.js';
import { seededRandom } from '../../helpers/random.js';
import type { StoreKey } from '../../../src/core/records.js';
import { openSqliteStore } from '../../../src/store/sqlite-port.js';

/** Facts about a store that has been through crashes. */
export interface StoreFacts {
  events: number;
  codes: number;
  consumed: number;
}

/**
 * Opens the store as the next process would, and checks that SQLite finds it intact,
 * the audit chain verifies, and codes and their audit events match one to one: every
 * code has its create event and vice versa, every consumed code its consume event and
 * every successful consume event its consumed code.
 */
export async function expectConsistentStore(path: string, key: StoreKey): Promise<StoreFacts> {
  const store = await openSqliteStore(path, key);
  const db = store.connection.db;
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const chain = await verifyAuditChain({ store, clock: fixedClock(), random: seededRandom(1) });
    const prns = (sql: string): string[] => (db.prepare(sql).pluck().all() as string[]).sort();
    const codePrn = "'prn:1:' || organization_id || ':ca_verification_code:' || id";
    const codes = prns(`SELECT ${codePrn} FROM verification_codes`);
    const consumed = prns(`SELECT ${codePrn} FROM verification_codes WHERE consumed_at IS NOT NULL`);
    expect(prns("SELECT subject FROM audit_events WHERE action = 'verification_code.create' AND outcome = 'success'")).toEqual(codes);
    expect(prns("SELECT subject FROM audit_events WHERE action = 'verification_code.consume' AND outcome = 'success'")).toEqual(consumed);
    return { events: chain.events, codes: codes.length, consumed: consumed.length };
  } finally {
    await store.close();
  }
}
