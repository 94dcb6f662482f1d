/** `store backup`: a consistent, encrypted copy of the store, taken while others write. */
import { resolve } from 'node:path';
import { recordEvent } from './audit.js';
import type { CoreContext } from './context.js';
import { UsageError } from './errors.js';
import { rfc3339 } from './time.js';

/** What a backup wrote. */
export interface BackupResult {
  path: string;
  bytes: number;
  /** The audit events the copy holds, and the hash of its last: its chain ends there. */
  audit: { events: number; head_hash: string };
  created_at: string;
  /**
   * False when the store is read-only: the `store.backup` event cannot be written, and
   * the backup is still made (a read-only store is exactly the one worth copying).
   */
  event_recorded: boolean;
}

/**
 * Copies one snapshot of the store to `out` (a new file, 0600) encrypted with the same
 * key or passphrase, reopens the copy to check it, then records a `store.backup` event
 * in the store (so the copy's chain ends just before that event), unless the store is
 * read-only (then `event_recorded` is false).
 * @throws ConflictError (`already_registered`) when `out` exists; UsageError when `out`
 * is empty, the store itself or a file SQLite or `store rekey` keeps beside it, or its
 * directory is missing or not writable; StoreError (`store_locked`) naming `out` when
 * writing it fails (a full disk), (`store_corrupt`) when the copy does not open.
 */
export async function backupStore(ctx: CoreContext, out: string): Promise<BackupResult> {
  if (out.trim() === '') throw new UsageError('the backup needs a file name');
  const path = resolve(out);
  const facts = await ctx.store.backup(path);
  const eventRecorded = !ctx.store.readOnly;
  if (eventRecorded)
    await ctx.store.write((tx) =>
      recordEvent(ctx, tx, {
        action: 'store.backup',
        organization_id: null,
        subject: null,
        outcome: 'success',
        reason: null,
        details: { path, bytes: facts.bytes, audit_events: facts.audit_events },
      }),
    );
  return {
    path,
    bytes: facts.bytes,
    audit: { events: facts.audit_events, head_hash: facts.audit_head_hash },
    created_at: rfc3339(ctx.clock.now().getTime()),
    event_recorded: eventRecorded,
  };
}
