/**
 * The store contract: what every adapter of `StorePort` must do, run against each
 * (test/contract/sqlite.test.ts, test/contract/postgres.test.ts). `fresh` gives a new,
 * empty place for a store each time it is called.
 */
import { auditContract } from './contract-audit.js';
import { caCertificateContract } from './contract-ca-certificates.js';
import { oneTimeCodeContract } from './contract-one-time-codes.js';
import { unitContract } from './contract-units.js';
import { verificationCodeContract } from './contract-verification-codes.js';
import type { StoreHome } from './fixtures.js';

export type { StoreHome } from './fixtures.js';

export function storeContract(fresh: () => Promise<StoreHome>): void {
  unitContract(fresh);
  verificationCodeContract(fresh);
  caCertificateContract(fresh);
  oneTimeCodeContract(fresh);
  auditContract(fresh);
}
