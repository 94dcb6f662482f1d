/** `store rekey`: re-encrypt the store under a new key file or passphrase, crash-safely. */
import { recordEvent } from './audit.js';
import type { CoreContext } from './context.js';
import type { StoreKey } from './records.js';
import type { RekeyStep } from './store-port.js';
import { rfc3339 } from './time.js';

export type { RekeyStep } from './store-port.js';

/** What a rekey did. */
export interface RekeyResult {
  path: string;
  previous_key_mode: StoreKey['mode'];
  key_mode: StoreKey['mode'];
  rekeyed_at: string;
}

/**
 * Re-encrypts the whole store under `newKey`. The `store.rekey` audit event is written
 * into the re-encrypted copy before it replaces the store, so it exists exactly when
 * the new key is in force. Interrupted at any point, the store opens with the old key
 * or the new one (see the store's `rekey`). `ctx.store` is closed
 * afterwards, also on failure; reopen the store with the key that applies.
 * @throws StoreError (`store_locked`) when another process has the store open, in
 * which case nothing changed.
 */
export async function rekeyStore(ctx: CoreContext, newKey: StoreKey, onStep?: (step: RekeyStep) => void): Promise<RekeyResult> {
  const path = ctx.store.location;
  const previous = ctx.store.keyMode;
  await ctx.store.rekey(newKey, {
    onStep,
    beforeReplace: async (copy) => {
      await copy.write((tx) =>
        recordEvent({ ...ctx, store: copy }, tx, {
          action: 'store.rekey',
          organization_id: null,
          subject: null,
          outcome: 'success',
          reason: null,
          details: { previous_key_mode: previous, key_mode: newKey.mode },
        }),
      );
    },
  });
  return { path, previous_key_mode: previous, key_mode: newKey.mode, rekeyed_at: rfc3339(ctx.clock.now().getTime()) };
}
