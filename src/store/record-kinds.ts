/**
 * The kinds of records the store keeps, each with how to count it by status and how
 * to purge its spent records. `store info` and `store purge` walk this list, so a new
 * table joins both by adding one entry here (its functions live next to its table).
 */
import type { Store } from './store.js';
import { countVerificationCodesByStatus, purgeVerificationCodes } from './verification-codes.js';

/** One table's maintenance functions. */
export interface RecordKind {
  /** The name shown by `store info` and `store purge`, the table's name. */
  readonly name: string;
  /** Counts by derived status at `now` (epoch ms). Call inside `store.read`. */
  countByStatus(store: Store, now: number): Record<string, number>;
  /**
   * Deletes at most `limit` records that stopped being usable (consumed, expired,
   * invalidated) at or before `before` (epoch ms); never a record still usable then.
   * Returns how many it deleted. Call inside `store.write`.
   */
  purge(store: Store, before: number, limit: number): number;
}

/** Every purgeable kind, in the order reports list them. */
export const RECORD_KINDS: readonly RecordKind[] = [
  { name: 'verification_codes', countByStatus: countVerificationCodesByStatus, purge: purgeVerificationCodes },
];
