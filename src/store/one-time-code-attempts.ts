/**
 * The one_time_code_attempts table: consecutive failed attempts and the lock of each
 * (organization, user, purpose). Callers read and write it inside one immediate
 * transaction, so counts stay exact when processes race.
 */
import type { AttemptState, CodePair } from '../core/records.js';
import type { Store } from './store.js';

export type { AttemptState } from '../core/records.js';

/** The pair's state; no row means no failures and no lock. */
export function readAttempts(store: Store, pair: CodePair): AttemptState {
  const row = store
    .prepare('SELECT failures, locked_until FROM one_time_code_attempts WHERE organization_id = @organizationId AND user_id = @userId AND purpose = @purpose')
    .get(pair) as AttemptState | undefined;
  return row ?? { failures: 0, locked_until: null };
}

/** Stores the pair's state. Call inside `store.write`. */
export function writeAttempts(store: Store, pair: CodePair, state: AttemptState): void {
  store
    .prepare(
      `INSERT INTO one_time_code_attempts (organization_id, user_id, purpose, failures, locked_until)
       VALUES (@organizationId, @userId, @purpose, @failures, @locked_until)
       ON CONFLICT (organization_id, user_id, purpose) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until`,
    )
    .run({ ...pair, ...state });
}

/** Forgets the pair's failures (after a successful redeem). Call inside `store.write`. */
export function clearAttempts(store: Store, pair: CodePair): void {
  store.prepare('DELETE FROM one_time_code_attempts WHERE organization_id = @organizationId AND user_id = @userId AND purpose = @purpose').run(pair);
}
