/**
 * Stores for the `store migrate` tests: a store file opened without a default
 * organization (as the CLI opens a migration's target), a workload that writes to every
 * table, and a table's rows as a store exports them.
 */
import { onTestFinished, expect } from 'vitest';
import { registerCaCertificate } from '../../src/core/ca-certificates/register.js';
import type { CoreContext } from '../../src/core/context.js';
import { issueOneTimeCode, redeemOneTimeCode } from '../../src/core/one-time-codes/index.js';
import { ensureDefaultOrganization } from '../../src/core/organizations.js';
import type { StorePort, StoreTable, TableRow } from '../../src/core/store-port.js';
import { issueVerificationCode } from '../../src/core/verification-codes.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite-port.js';
import { fixedClock } from '../helpers/clock.js';
import { newTestKey, selfSignedCa, testKey, v1Certificate } from '../helpers/mini-ca.js';
import { seededRandom } from '../helpers/random.js';
import { TEST_KEY } from '../helpers/store.js';

/** The key every store of these tests is made with. */
export const KEY = { mode: 'key-file', key: TEST_KEY } as const;
export const PURPOSE = 'add_credential';

/** Opens (creating when missing, without a default organization) a store file, closed after the test. */
export async function openFile(path: string): Promise<SqliteStore> {
  const store = await openSqliteStore(path, KEY, { create: true });
  onTestFinished(() => store.close());
  return store;
}

/**
 * A store that used every table: a CA registered with proof (its code consumed), a live
 * code, one-time codes and a failed redeem. Returns a long code still to redeem.
 */
export async function usedStore(store: StorePort): Promise<{ ctx: CoreContext; organizationId: string; longCode: string }> {
  const ctx: CoreContext = { store, clock: fixedClock(), random: seededRandom(3) };
  const organizationId = (await ensureDefaultOrganization(ctx)).organization.prn.slice('prn:1:'.length);
  const root = selfSignedCa({ subject: 'Migrated Root', key: testKey('ec-p256') });
  const { code } = await issueVerificationCode(ctx, { organizationId });
  await registerCaCertificate(ctx, {
    organizationId,
    certificate: { bytes: Buffer.from(root.pem), label: 'ca.pem' },
    verificationCertificate: { bytes: Buffer.from(v1Certificate(root, { subject: code, key: newTestKey('ec-p256') }).pem), label: 'verification.pem' },
    name: 'line-1',
    description: 'station one',
  });
  await issueVerificationCode(ctx, { organizationId });
  const longCode = (await issueOneTimeCode(ctx, { organizationId, type: 'long', userId: 'alice', purpose: PURPOSE, authorize: true })).code;
  await issueOneTimeCode(ctx, { organizationId, type: 'short', userId: 'bob', purpose: PURPOSE });
  await expect(redeemOneTimeCode(ctx, { organizationId, userId: 'alice', purpose: PURPOSE, code: 'B'.repeat(32) })).rejects.toMatchObject({
    code: 'invalid_code',
  });
  return { ctx, organizationId, longCode };
}

/** Every row of `table`, as the store exports it. */
export async function rowsOf(store: StorePort, table: StoreTable): Promise<TableRow[]> {
  return store.read(async (tx) => {
    const rows: TableRow[] = [];
    for await (const batch of tx.exportRows(table, 100)) rows.push(...batch);
    return rows;
  });
}
