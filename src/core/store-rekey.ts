/** `store rekey`: re-encrypt the store under a new key file or passphrase, crash-safely. */
import { replaceStoreKey, type RekeyStep } from '../store/rekey.js';
import type { StoreKey } from '../store/store.js';
import { recordEvent } from './audit.js';
import type { CoreContext } from './context.js';
import { rfc3339 } from './time.js';

export type { RekeyStep } from '../store/rekey.js';

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
 * or the new one (see `replaceStoreKey` in src/store/rekey.ts). `ctx.store` is closed
 * afterwards, also on failure; reopen the store with the key that applies.
 * @throws StoreError (`store_locked`) when another process has the store open, in
 * which case nothing changed.
 */
export function rekeyStore(ctx: CoreContext, newKey: StoreKey, onStep?: (step: RekeyStep) => void): RekeyResult {
  const path = ctx.store.path;
  const previous = ctx.store.keyMode;
  replaceStoreKey(ctx.store, newKey, {
    onStep,
    beforeReplace: (copy) => copy.write(() => recordEvent({ ...ctx, store: copy }, {
      action: 'store.rekey',
      organization_id: null,
      subject: null,
      outcome: 'success',
      reason: null,
      details: { previous_key_mode: previous, key_mode: newKey.mode },
    })),
  });
  return { path, previous_key_mode: previous, key_mode: newKey.mode, rekeyed_at: rfc3339(ctx.clock.now().getTime()) };
}
