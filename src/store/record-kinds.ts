/**
 * The kinds of records the store keeps, each with how to count it by status and how
 * to purge its spent records. `store info` and `store purge` walk this list, so a new
 * table joins both by adding one entry here (its functions live next to its table).
 */
import { countCaCertificatesByStatus } from './ca-certificates.js';
import { countOneTimeCodesByStatus, purgeOneTimeCodes } from './one-time-codes.js';
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
   * Returns how many it deleted. Call inside `store.write`. Absent for records that
   * are never purged (CA certificates are removed only by `ca-certificates delete`).
   */
  purge?(store: Store, before: number, limit: number): number;
}

/** Every kind, in the order reports list them. */
export const RECORD_KINDS: readonly RecordKind[] = [
  { name: 'ca_certificates', countByStatus: countCaCertificatesByStatus },
  { name: 'verification_codes', countByStatus: countVerificationCodesByStatus, purge: purgeVerificationCodes },
  { name: 'one_time_codes', countByStatus: countOneTimeCodesByStatus, purge: purgeOneTimeCodes },
];

/** The kinds `store purge` trims. */
export const PURGEABLE_KINDS = RECORD_KINDS.filter((kind): kind is RecordKind & Required<Pick<RecordKind, 'purge'>> => kind.purge !== undefined);
