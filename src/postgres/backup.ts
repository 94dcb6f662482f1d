/**
 * `store backup` of a PostgreSQL store: one snapshot of it (a REPEATABLE READ
 * transaction, while others keep writing) copied into a new SQLCipher store file
 * encrypted with the same key file or passphrase, the same kind of file a backup of the
 * SQLite store is, so one restore path serves both. The file is built under a temporary
 * name and linked into place only when complete (see src/store/store.ts), then reopened
 * and checked against the snapshot: the same number of audit events, the same head.
 */
import { statSync } from 'node:fs';
import { GENESIS_HASH } from '../core/audit/chain.js';
import { StoreError } from '../core/errors.js';
import type { StoreKey } from '../core/records.js';
import { STORE_TABLES, type BackupFacts, type StorePort } from '../core/store-port.js';
import { refuseExisting, refuseMissingDirectory } from '../store/snapshot.js';

const BATCH = 1000;

/**
 * Writes `source`'s current snapshot to `out` (which must not exist) as an encrypted store file.
 * @throws ConflictError (`already_registered`) when `out` exists; UsageError when its
 * directory is missing; StoreError (`store_corrupt`) when the copy does not hold the snapshot.
 */
export async function backupToSqlite(source: StorePort, out: string, key: StoreKey): Promise<BackupFacts> {
  refuseExisting(out);
  refuseMissingDirectory(out);
  const { openSqliteStore } = await import('../store/sqlite-port.js');
  let expected: Omit<BackupFacts, 'bytes'> | undefined;
  const copy = await openSqliteStore(out, key, {
    create: true,
    initialize: (target) =>
      source.read(async (tx) => {
        expected = { audit_events: await tx.auditLength(), audit_head_hash: (await tx.lastAuditEvent())?.hash ?? GENESIS_HASH };
        await target.write(async (writer) => {
          for (const table of STORE_TABLES) for await (const batch of tx.exportRows(table, BATCH)) await writer.importRows(table, batch);
        });
      }),
  });
  await copy.close();
  // Reopened, so what is checked is what reached the file.
  const reopened = await openSqliteStore(out, key);
  try {
    const held = await reopened.read(async (tx) => ({
      audit_events: await tx.auditLength(),
      audit_head_hash: (await tx.lastAuditEvent())?.hash ?? GENESIS_HASH,
    }));
    // Undefined when another process put a store at `out` first: the copy was never made.
    if (expected === undefined || held.audit_events !== expected.audit_events || held.audit_head_hash !== expected.audit_head_hash) {
      throw new StoreError('store_corrupt', `the backup ${out} does not hold the store's snapshot`, {
        kind: 'choose_another_backup_path',
        because: 'written_meanwhile',
      });
    }
    return { bytes: statSync(out).size, ...held };
  } finally {
    await reopened.close();
  }
}
